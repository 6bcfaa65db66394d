/**
 * The Worker half of search (query parsing, tokens, snippets, search.xml) inside workerd, whose
 * V8/ICU tokenises queries while Node's tokenised the documents: the same inputs must give the
 * same outputs as in tests/node/search (expected values written out, not computed in Node).
 */
import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../src/search/query';
import { searchXml } from '../../../src/search/search-xml';
import { highlightTitle, makeSnippet } from '../../../src/search/snippet';
import { indexTokens, normaliseForSearch } from '../../../src/search/tokenize';

describe('search in workerd', () => {
  it.each([
    ['华为手机', '华为 为手 手机 机'],
    ['ＷＩＮ１１漏洞', 'win 11 漏洞 洞'],
    ['ｶﾞｲﾄﾞ', 'ガイ イド ド'],
    ['Café İstanbul Straße', 'cafe istanbul strasse'],
    ['㍻元年', '平成 成元 元年 年'],
    ['𠀀𠀁', '𠀀𠀁 𠀁'],
    ['한국어', '한국 국어 어'],
    ['infor\u00admation a\u0000b', 'information ab'],
  ])('indexes %j as Node does', (text, tokens) => {
    expect(indexTokens(text)).toBe(tokens);
  });

  it('normalises as Node does', () => {
    expect(normaliseForSearch('  ＷＩＮ１１\u3000漏洞\ud800 ')).toBe('win11 漏洞');
  });

  it.each([
    ['芯片', '"芯片"'],
    ['猫', '"猫"*'],
    ['Win11 漏洞', '"win 11" "漏洞"'],
    ['NEAR(苹果 芯片, 2)', '"near 苹果" "芯片" "2"'],
    ['"华为 手机', '"华为" "手机"'],
  ])('parses %j as Node does', (raw, match) => {
    expect(parseSearchQuery(raw)).toMatchObject({ match });
  });

  it('refuses 101 characters', () => {
    expect(parseSearchQuery('字'.repeat(101))).toEqual({ error: 'too-long' });
  });

  it('cuts snippets on grapheme clusters (Intl.Segmenter) and marks matches', () => {
    const family = '👨\u200d👩\u200d👧';
    expect(makeSnippet(`${family.repeat(10)}华为${family.repeat(10)}`, ['华为'], { maxChars: 7 })).toBe(`…${family}<mark>华为</mark>…`);
    expect(makeSnippet('升级到 Win 11 之后 <b>', ['win11'], { maxChars: 100 })).toBe('升级到 <mark>Win 11</mark> 之后 &lt;b&gt;');
    expect(highlightTitle('一只猫和小猫咪', ['猫'])).toBe('一只<mark>猫</mark>和小<mark>猫</mark>咪');
  });

  it('writes search.xml', () => {
    expect(searchXml([{ title: 'A & B', url: '/articles/a', content: '<p>x</p>', date: null, categories: [], tags: [] }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<search>\n  <entry>\n    <title>A &amp; B</title>\n    <link href="/articles/a"/>\n' +
        '    <url>/articles/a</url>\n    <content type="html"><![CDATA[<p>x</p>]]></content>\n  </entry>\n</search>\n',
    );
  });
});
