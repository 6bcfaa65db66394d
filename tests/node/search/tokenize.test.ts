import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_CHARS, indexTokens, normaliseForSearch, queryTermTokens, tokenSpans } from '../../../src/search/tokenize';

describe('normaliseForSearch', () => {
  it.each([
    ['full-width Latin and digits', 'ＷＩＮ１１', 'win11'],
    ['case', 'iPhone', 'iphone'],
    ['whitespace collapsed and trimmed', '  华为 \t\n  手机  ', '华为 手机'],
    ['ideographic space is a space', '华为\u3000手机', '华为 手机'],
    ['NUL removed', 'a\u0000b', 'ab'],
    ['lone high surrogate removed', 'a\ud800b', 'ab'],
    ['lone low surrogate removed', 'a\udc00b', 'ab'],
    ['a surrogate pair is kept', '𠀀', '𠀀'],
    ['soft hyphen and zero-width space removed', 'in\u00adfor\u200bmation', 'information'],
    ['a byte order mark removed, not a space', 'in\ufefffor', 'infor'],
    ['Latin diacritics dropped', 'Café ÉCOLE naïve', 'cafe ecole naive'],
    ['dotted capital I', 'İstanbul', 'istanbul'],
    ['Greek tonos dropped, final sigma folded', 'Ελληνικά ΟΔΟΣ', 'ελληνικα οδοσ'],
    ['sharp s', 'Straße', 'strasse'],
    ['ligature', 'ﬁle', 'file'],
    ['circled digits', '①②', '12'],
    ['half-width katakana with voiced mark', 'ｶﾞｲﾄﾞ', 'ガイド'],
    ['dakuten kept', 'が', 'が'],
    ['Cyrillic short i kept', 'й', 'й'],
    ['punctuation kept', '「苹果」发布会。', '「苹果」发布会。'],
    ['empty', '', ''],
  ])('%s', (_name, input, expected) => {
    expect(normaliseForSearch(input)).toBe(expected);
  });
});

describe('indexTokens', () => {
  it.each([
    ['a CJK run is its bigrams and its last character', '华为手机', '华为 为手 手机 机'],
    ['a one-character run is that character', '猫', '猫'],
    ['punctuation ends a run', '「苹果」发布会。', '苹果 果 发布 布会 会'],
    ['letters and digits split', 'Win11', 'win 11'],
    ['full-width is the same', 'ＷＩＮ１１漏洞', 'win 11 漏洞 洞'],
    ['mixed with a space', 'iPhone 13 Pro', 'iphone 13 pro'],
    ['code identifiers split on ASCII punctuation', 'get_user_name(log4j-core)', 'get user name log 4 j core'],
    ['kana and kanji together', 'コーヒーを飲む', 'コー ーヒ ヒー ーを を飲 飲む む'],
    ['hangul', '한국어 텍스트', '한국 국어 어 텍스 스트 트'],
    ['supplementary-plane ideographs', '𠀀𠀁', '𠀀𠀁 𠀁'],
    ['a compatibility character that becomes two ideographs', '㍻元年', '平成 成元 元年 年'],
    ['symbols and emoji only separate', '🇨🇳中国©2021', '中国 国 2021'],
    ['invisible characters do not separate', 'infor\u00admation', 'information'],
    ['nothing', ' ,.;!? ', ''],
  ])('%s', (_name, input, expected) => {
    expect(indexTokens(input)).toBe(expected);
  });

  it(`cuts words at ${MAX_TOKEN_CHARS} characters`, () => {
    const long = 'a'.repeat(100);
    expect(indexTokens(long)).toBe('a'.repeat(MAX_TOKEN_CHARS));
    expect(indexTokens(`${long} b`)).toBe(`${'a'.repeat(MAX_TOKEN_CHARS)} b`);
  });

  it('makes only tokens the ascii tokenizer keeps whole (no ASCII space or punctuation inside)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        for (const token of indexTokens(text).split(' ').filter((t) => t !== '')) {
          expect(token).not.toMatch(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/);
        }
      }),
    );
  });

  it('gives the same tokens for a text and its normalised form (index and query agree)', () => {
    const tricky = fc.constantFrom(
      ...'aZ9 é\u0301İßς①ｶﾞ华为手机。,"\'\u0000\ud800\udc00\u00ad\u200b\u3000㍻𠀀🇨🇳ﬁ١x²\t\n가\u0301'.split(''),
    );
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: tricky, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(text, (t) => {
        expect(indexTokens(normaliseForSearch(t))).toBe(indexTokens(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tokenSpans', () => {
  it('gives each token its span in the original text', () => {
    const text = 'Ｗin11 「漏洞」';
    expect(tokenSpans(text)).toEqual([
      { token: 'win', kind: 'word', start: 0, end: 3, firstEnd: 3 },
      { token: '11', kind: 'word', start: 3, end: 5, firstEnd: 5 },
      { token: '漏洞', kind: 'cjk-bigram', start: 7, end: 9, firstEnd: 8 },
      { token: '洞', kind: 'cjk-last', start: 8, end: 9, firstEnd: 9 },
    ]);
  });

  it('counts a surrogate pair as one character of the span', () => {
    expect(tokenSpans('𠀀𠀁')).toEqual([
      { token: '𠀀𠀁', kind: 'cjk-bigram', start: 0, end: 4, firstEnd: 2 },
      { token: '𠀁', kind: 'cjk-last', start: 2, end: 4, firstEnd: 4 },
    ]);
  });

  it('keeps a base letter and its combining marks in one span', () => {
    expect(tokenSpans('e\u0301te')).toEqual([{ token: 'ete', kind: 'word', start: 0, end: 4, firstEnd: 4 }]);
  });
});

describe('queryTermTokens', () => {
  it.each([
    ['two CJK characters are one token', '华为', ['华为'], false],
    ['a longer run is its bigrams, without its last character', '华为手机', ['华为', '为手', '手机'], false],
    ['one CJK character is a prefix', '猫', ['猫'], true],
    ['a term ending in one CJK character ends in a prefix', 'a猫', ['a', '猫'], true],
    ['a run followed by a word keeps its last character (the text has it too)', '漏洞Win11', ['漏洞', '洞', 'win', '11'], false],
    ['a word then a run', 'Win11漏洞', ['win', '11', '漏洞'], false],
    ['a phrase with a space keeps the run boundary', '华为 手机', ['华为', '为', '手机'], false],
    ['punctuation only', '+-*', [], false],
  ])('%s', (_name, term, tokens, prefix) => {
    expect(queryTermTokens(term)).toEqual({ tokens, prefix });
  });

  it('finds every CJK term inside the index tokens of a text that contains it', () => {
    // Any substring of a CJK text (with punctuation) is a term whose tokens appear in a row in the
    // text's tokens: the property that makes "a two-character word finds its article" hold.
    const alphabet = fc.constantFrom(...'华为手机苹果芯片漏洞发布会，。「」'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (text, a, b) => {
        const chars = Array.from(text);
        const i = a % chars.length;
        const term = chars.slice(i, i + 1 + (b % (chars.length - i))).join('');
        const { tokens, prefix } = queryTermTokens(term);
        expect(tokens.length === 0).toBe(!/[\u4e00-\u9fff]/.test(term));
        const have = tokenSpans(text).map((s) => s.token);
        const found =
          tokens.length === 0 ||
          have.some((_, k) => tokens.every((t, n) => (n === tokens.length - 1 && prefix ? have[k + n]?.startsWith(t) : have[k + n] === t)));
        expect(found).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
