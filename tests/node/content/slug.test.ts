import { describe, expect, it } from 'vitest';
import { caseFoldCollisions, pathProblem, slugFromPath, utf8Length } from '../../../src/content/slug';

describe('slugFromPath', () => {
  it.each([
    ['a flat file', '000_1c07ab0e1a8962a0.md', '000_1c07ab0e1a8962a0'],
    ['a nested post', '新媒体/ZAKER/channel/习近平出席会议.md', '新媒体/ZAKER/channel/习近平出席会议'],
    ['an upper-case extension', 'News/Title.MD', 'News/Title'],
    ['a name with Hexo-awkward characters', 'a/"100%" + & # ? \' ^ ~ 😀 ，？.md', 'a/"100%" + & # ? \' ^ ~ 😀 ，？'],
    ['only the last .md', 'a.md/b.md.md', 'a.md/b.md'],
    ['a name without .md (kept whole)', 'notes/readme.txt', 'notes/readme.txt'],
    // U+0065 U+0301 (decomposed, as macOS stores it) becomes U+00E9.
    ['a decomposed name, composed (NFC)', 'cafe\u0301/Ame\u0301lie.md', 'caf\u00e9/Am\u00e9lie'],
    ['Hangul jamo, composed', '\u1112\u1161\u11ab.md', '\ud55c'],
  ])('%s', (_name, relPath, expected) => {
    expect(slugFromPath(relPath)).toBe(expected);
  });
});

describe('pathProblem', () => {
  it.each([
    ['a flat file', '000_1c07ab0e1a8962a0.md'],
    ['a nested post with spaces and punctuation', '新媒体/9To5/9To5 分站/Apple "CSAM" 100% & more?.md'],
    ['emoji and full-width punctuation', '图片/煎蛋/首页/😀（测试）！.md'],
    ['a leading dot inside a name', 'a/.hidden.md'],
    ['three dots', 'a/.../b.md'],
    ['a file named .mdx (only .md alone is refused)', 'a/.mdx'],
  ])('accepts %s', (_name, relPath) => {
    expect(pathProblem(relPath)).toBeNull();
  });

  it.each([
    ['an empty path', '', /^is empty$/],
    ['a backslash', 'a\\b.md', /backslash/],
    ['a NUL', 'a\u0000b.md', /control character U\+0000/],
    ['a newline', 'a\nb.md', /control character U\+000A/],
    ['DEL', 'a\u007fb.md', /control character U\+007F/],
    ['a C1 control', 'a\u0085b.md', /control character U\+0085/],
    ['RIGHT-TO-LEFT OVERRIDE', 'evil\u202egpj.md', /bidirectional control character U\+202E/],
    ['LEFT-TO-RIGHT MARK', 'a\u200eb.md', /bidirectional control character U\+200E/],
    ['RIGHT-TO-LEFT MARK', 'a\u200fb.md', /bidirectional control character U\+200F/],
    ['ARABIC LETTER MARK', 'a\u061cb.md', /bidirectional control character U\+061C/],
    ['FIRST STRONG ISOLATE', 'a\u2068b.md', /bidirectional control character U\+2068/],
    ['LEFT-TO-RIGHT EMBEDDING', 'a\u202ab.md', /bidirectional control character U\+202A/],
    ['a lone high surrogate', 'a\ud800.md', /lone surrogate/],
    ['a lone low surrogate', '\udc00a.md', /lone surrogate/],
    ['a leading slash', '/a.md', /empty path segment/],
    ['a trailing slash', 'a/', /empty path segment/],
    ['a double slash', 'a//b.md', /empty path segment/],
    ['a "." segment', 'a/./b.md', /"\." path segment/],
    ['a ".." segment', '../b.md', /"\.\." path segment/],
    ['a file named only .md', 'a/.md', /only "\.md"/],
  ])('refuses %s', (_name, relPath, reason) => {
    expect(pathProblem(relPath)).toMatch(reason);
  });
});

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['新媒体', 9],
    ['😀', 4],
    ['a😀b', 6],
    ['\ud800', 3],
    ['\ud800x', 4],
    ['\udc00', 3],
  ])('%j is %i bytes', (s, expected) => {
    expect(utf8Length(s)).toBe(expected);
  });

  it.each([
    // Each limit of UTF-8's 1-, 2-, 3- and 4-byte forms and of the surrogate ranges, alone and in pairs.
    '\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff',
    '\ud800\udc00', '\ud800\udfff', '\udbff\udc00', '\udbff\udfff', '\ud801\udc37',
    '\ud800\udbff', '\ud800\ue000', '\ud7ff\udc00', '\udc00\ud800', '\udbff\udbff\udc00',
    '\ud800\u007f', 'a\udfff', '\ud800\ud800',
  ])('agrees with TextEncoder (lone surrogates as U+FFFD) on %j', (s) => {
    expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });

  it('agrees with TextEncoder on the corpus-like names', () => {
    for (const s of ['v1:article:新媒体/ZAKER/channel/标题', 'Ω≈ç√∫˜µ≤≥÷', '𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});

describe('caseFoldCollisions', () => {
  it('folds by lower-casing the upper case: the Kelvin sign meets k (Unicode CaseFolding.txt: 212A; C; 006B)', () => {
    expect(caseFoldCollisions(['\u212a', 'k'])).toEqual([['k', '\u212a']]);
  });

  it('groups slugs that differ only in case', () => {
    expect(caseFoldCollisions(['News/Apple', 'news/apple', 'news/Apple', 'other'])).toEqual([['News/Apple', 'news/Apple', 'news/apple']]);
  });

  it('groups slugs that differ only in Unicode normalisation', () => {
    expect(caseFoldCollisions(['caf\u00e9', 'cafe\u0301'])).toEqual([['cafe\u0301', 'caf\u00e9']]);
  });

  it('uses full case folding (ß, SS and ss meet; final and medial sigma meet)', () => {
    expect(caseFoldCollisions(['straße', 'STRASSE', 'strasse'])).toEqual([['STRASSE', 'strasse', 'straße']]);
    expect(caseFoldCollisions(['ΟΔΟΣ', 'οδος', 'οδοσ'])).toEqual([['ΟΔΟΣ', 'οδος', 'οδοσ']]);
  });

  it('reports nothing when names only look alike or repeat exactly', () => {
    // Full-width Ａ is another letter (NFKC would merge it; file systems do not).
    expect(caseFoldCollisions(['Ａpple', 'apple', '新媒体', '新媒体'])).toEqual([]);
  });

  it('sorts groups by their first slug', () => {
    expect(caseFoldCollisions(['b', 'B', 'a', 'A'])).toEqual([
      ['A', 'a'],
      ['B', 'b'],
    ]);
  });
});

