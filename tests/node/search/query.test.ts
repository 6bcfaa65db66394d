import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, type SearchQuery, codePointLength, fts5String, parseSearchQuery } from '../../../src/search/query';
import { HOSTILE_QUERIES } from './hostile-queries';

function ok(raw: string): SearchQuery {
  const q = parseSearchQuery(raw);
  if ('error' in q) throw new Error(`unexpected error for ${JSON.stringify(raw)}`);
  return q;
}

/** The only shape a MATCH expression may have: quoted token strings, an optional `*`, spaces. */
const TOKEN = String.raw`[^\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+`;
const MATCH_GRAMMAR = new RegExp(String.raw`^"${TOKEN}(?: ${TOKEN})*"\*?(?: "${TOKEN}(?: ${TOKEN})*"\*?)*$`, 'u');

describe('parseSearchQuery', () => {
  it.each([
    ['a two-character word', '芯片', '"芯片"', '芯片', ['芯片']],
    ['a one-character word is a prefix', '猫', '"猫"*', '猫', ['猫']],
    ['a longer CJK word is a phrase of bigrams', '华为手机', '"华为 为手 手机"', '华为手机', ['华为手机']],
    ['mixed scripts', 'iPhone 13', '"iphone" "13"', 'iphone 13', ['iphone', '13']],
    ['a word and digits together are a phrase', 'Win11 漏洞', '"win 11" "漏洞"', 'win11 漏洞', ['win11', '漏洞']],
    ['full-width is folded', 'ＷＩＮ１１', '"win 11"', 'win11', ['win11']],
    ['a quoted phrase', '"华为 手机"', '"华为 为 手机"', '"华为 手机"', ['华为 手机']],
    ['curly quotes are quotes', '“华为 手机”', '"华为 为 手机"', '"华为 手机"', ['华为 手机']],
    ['a quoted single word is the word', '"华为"', '"华为"', '华为', ['华为']],
    ['duplicate terms count once', '华为 华为 HUAWEI huawei', '"华为" "huawei"', '华为 huawei', ['华为', 'huawei']],
    ['terms without letters or digits are dropped', '华为 + - 。', '"华为"', '华为', ['华为']],
    ['empty', '', null, '', []],
    ['whitespace only', ' \t\n ', null, '', []],
    ['punctuation only', '!!! ，。', null, '', []],
  ])('%s', (_name, raw, match, normalised, terms) => {
    expect(ok(raw)).toEqual({ match, normalised, terms });
  });

  describe(`length limit (${MAX_QUERY_CHARS} characters)`, () => {
    it.each([
      ['100 CJK characters', '字'.repeat(100), false],
      ['101 CJK characters', '字'.repeat(101), true],
      ['100 emoji (surrogate pairs count once)', '😀'.repeat(100), false],
      ['101 emoji', '😀'.repeat(101), true],
      ['100 characters plus surrounding spaces', ` ${'a'.repeat(100)}   `, false],
      ['101 lone surrogates', '\ud800'.repeat(101), true],
    ])('%s', (_name, raw, tooLong) => {
      expect('error' in parseSearchQuery(raw)).toBe(tooLong);
    });
  });

  describe('hostile input is literal text', () => {
    it.each(HOSTILE_QUERIES.map((h) => [h.name, h.raw, h.match] as const))('%s', (_name, raw, match) => {
      const q = ok(raw);
      expect(q.match).toBe(match);
      expect(q.match === null || MATCH_GRAMMAR.test(q.match)).toBe(true);
    });
  });

  it('always yields null, or a MATCH of quoted token strings only (any input)', () => {
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: MAX_QUERY_CHARS }),
      fc.string({ unit: fc.constantFrom(...'"“”*^-+():{}NEAROTD ,\u0000\ud800\udc00a华'.split('')), maxLength: MAX_QUERY_CHARS }),
    );
    fc.assert(
      fc.property(input, (raw) => {
        const q = parseSearchQuery(raw);
        expect('error' in q).toBe(false);
        const match = (q as SearchQuery).match;
        expect(match === null || MATCH_GRAMMAR.test(match)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('parses its own normalised form to the same MATCH (a safe cache key)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'"“” a1华为手机猫Ｗ，'.split('')), maxLength: 40 }), (raw) => {
        const q = ok(raw);
        expect(ok(q.normalised).match).toBe(q.match);
        expect(ok(q.normalised).normalised).toBe(q.normalised);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['华为', 2],
    ['😀', 1],
    ['\ud800', 1],
    ['\udc00\ud800', 2],
  ])('%j has %i', (s, n) => {
    expect(codePointLength(s)).toBe(n);
  });
});

describe('fts5String', () => {
  it.each([
    ['plain', 'a b', '"a b"'],
    ['quotes doubled', 'say "hi"', '"say ""hi"""'],
  ])('%s', (_name, s, expected) => {
    expect(fts5String(s)).toBe(expected);
  });
});
