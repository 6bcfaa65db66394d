import fc from 'fast-check';
import { type DefaultTreeAdapterTypes, parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { escapeHtml, highlightTitle, makeSnippet } from '../../../src/search/snippet';
import { normaliseForSearch } from '../../../src/search/tokenize';

type Node = DefaultTreeAdapterTypes.Node;

/** The snippet as parse5 reads it: its text, and the text of each <mark>; fails on other elements. */
function read(html: string): { text: string; marks: string[] } {
  const marks: string[] = [];
  const textOf = (node: Node): string => {
    if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
    if (!('childNodes' in node)) return '';
    if (node.nodeName !== '#document-fragment' && node.nodeName !== 'mark') throw new Error(`unexpected <${node.nodeName}>`);
    const inner = node.childNodes.map(textOf).join('');
    if (node.nodeName === 'mark') marks.push(inner);
    return inner;
  };
  return { text: textOf(parseFragment(html)), marks };
}

const codePoints = (s: string) => Array.from(s).length;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('makeSnippet', () => {
  it.each([
    ['a two-character word', '苹果发布了新的芯片。', ['芯片'], '苹果发布了新的<mark>芯片</mark>。'],
    ['a one-character word, also inside a longer word', '一只猫和小猫咪', ['猫'], '一只<mark>猫</mark>和小<mark>猫</mark>咪'],
    ['a longer CJK word', '华为手机发布', ['华为手机'], '<mark>华为手机</mark>发布'],
    ['letters and digits apart in the text', '升级到 Win 11 之后', ['win11'], '升级到 <mark>Win 11</mark> 之后'],
    ['full-width text', '全角ＷＩＮ１１测试', ['win11'], '全角<mark>ＷＩＮ１１</mark>测试'],
    ['case and diacritics folded', 'Le CAFÉ est ouvert', ['cafe'], 'Le <mark>CAFÉ</mark> est ouvert'],
    ['a whole word only', 'Linux and linuxes', ['linux'], '<mark>Linux</mark> and linuxes'],
    ['a phrase', '华为 手机 和 华为平板', ['华为 手机'], '<mark>华为 手机</mark> 和 华为平板'],
    ['several terms', 'iPhone 13 用上了 A15 芯片', ['iphone', '芯片'], '<mark>iPhone</mark> 13 用上了 A15 <mark>芯片</mark>'],
    ['everything escaped', '<script>alert("x")</script> 华为 & co\'s', ['华为'], '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>华为</mark> &amp; co&#39;s'],
    ['entity-looking text stays text', 'a &amp; b 华为', ['华为'], 'a &amp;amp; b <mark>华为</mark>'],
    ['line breaks become spaces', '第一行\n第二行 华为', ['华为'], '第一行 第二行 <mark>华为</mark>'],
    ['no match: the start', '没有匹配的文本', ['华为'], '没有匹配的文本'],
    ['empty text', '', ['华为'], ''],
  ])('%s', (_name, text, terms, expected) => {
    expect(makeSnippet(text, terms, { maxChars: 100 })).toBe(expected);
  });

  it('cuts a long text around the match with ellipses, within maxChars', () => {
    const text = `${'的'.repeat(300)}芯片${'的'.repeat(300)}`;
    const html = makeSnippet(text, ['芯片'], { maxChars: 20 });
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('…')).toBe(true);
    const { text: shown, marks } = read(html);
    expect(marks).toEqual(['芯片']);
    expect(codePoints(shown.slice(1, -1))).toBeLessThanOrEqual(20);
    expect(text).toContain(shown.slice(1, -1));
  });

  it('prefers the window that holds the most different terms', () => {
    const text = `芯片${'的'.repeat(200)}华为新芯片${'的'.repeat(200)}`;
    expect(read(makeSnippet(text, ['芯片', '华为'], { maxChars: 30 })).marks).toEqual(['华为', '芯片']);
  });

  it('shows the start of the text, with an ellipsis, when only the title matched', () => {
    expect(makeSnippet('一二三四五六七八九十', ['华为'], { maxChars: 4 })).toBe('一二三四…');
  });

  it('never cuts a surrogate pair', () => {
    const text = `${'𠀀'.repeat(50)}芯片${'𠀀'.repeat(50)}`;
    for (const maxChars of [3, 4, 5, 10, 11]) {
      const html = makeSnippet(text, ['芯片'], { maxChars });
      expect(html).not.toMatch(LONE_SURROGATE);
      expect(read(html).marks).toEqual(['芯片']);
    }
  });

  it('never separates a letter from its combining mark', () => {
    const text = `${'e\u0301'.repeat(60)} 华为 ${'e\u0301'.repeat(60)}`;
    for (const maxChars of [5, 6, 7, 8, 20]) {
      const { text: shown } = read(makeSnippet(text, ['华为'], { maxChars }));
      expect(shown.replace(/…/g, '')).toMatch(/^(e\u0301| |华|为)*$/);
    }
  });

  it('never splits an emoji sequence or a flag', () => {
    const family = '👨\u200d👩\u200d👧';
    const text = `${family.repeat(20)}华为${'🇨🇳'.repeat(20)}`;
    for (const maxChars of [2, 3, 4, 5, 9, 13]) {
      const { text: shown } = read(makeSnippet(text, ['华为'], { maxChars }));
      const inner = shown.replace(/…/g, '');
      expect(inner).toMatch(new RegExp(`^(${family})*华为(🇨🇳)*$`, 'u'));
    }
  });

  it('always gives well-formed HTML with only <mark> elements, showing a piece of the text', () => {
    const unit = fc.constantFrom(...'华为芯片猫 a<>&"\'\n'.split(''), '𠀀', 'e\u0301', '👨\u200d👩', '\ud800');
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 80 }),
        fc.constantFrom(['华为'], ['猫'], ['芯片', 'a'], ['e']),
        fc.integer({ min: 1, max: 40 }),
        (text, terms, maxChars) => {
          const { text: shown, marks } = read(makeSnippet(text, terms, { maxChars }));
          const inner = shown.replace(/^…/, '').replace(/…$/, '');
          expect(text.replace(/\s+/g, ' ')).toContain(inner);
          for (const m of marks) expect(terms).toContain(normaliseForSearch(m));
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('highlightTitle', () => {
  it.each([
    ['marks every match', 'Win11 离线激活：Win11 教程', ['win11'], '<mark>Win11</mark> 离线激活：<mark>Win11</mark> 教程'],
    ['escapes the rest', '<b>华为</b> & "苹果"', ['华为'], '&lt;b&gt;<mark>华为</mark>&lt;/b&gt; &amp; &quot;苹果&quot;'],
    ['no terms', 'Alda 2 发布', [], 'Alda 2 发布'],
  ])('%s', (_name, title, terms, expected) => {
    expect(highlightTitle(title, terms)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
