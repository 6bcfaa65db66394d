import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AbbrlinkOptions,
  type AbbrlinkPost,
  type ExistingAbbrlink,
  assignAbbrlinks,
  computeAbbrlink,
  readAbbrlinkValue,
} from '../../../src/hexo/abbrlink';

const HEX16: AbbrlinkOptions = { alg: 'crc16', rep: 'hex' };
const TITLE_000 = '习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话';

// CRC values from tests/node/hexo/crc.test.ts (computed independently in Python). Two titles
// found by brute force in Python: CRC-16/ARC("dad") = CRC-16/ARC("haa") = 0xa469, and
// CRC-16/ARC("ilyh") = 0xffff.
describe('computeAbbrlink', () => {
  it.each<[string, AbbrlinkOptions, string]>([
    ['123456789', { alg: 'crc16', rep: 'hex' }, 'bb3d'],
    ['123456789', { alg: 'crc16', rep: 'dec' }, '47933'],
    ['123456789', { alg: 'crc32', rep: 'hex' }, 'cbf43926'],
    ['123456789', { alg: 'crc32', rep: 'dec' }, '3421780262'],
    [TITLE_000, { alg: 'crc16', rep: 'hex' }, '5df8'],
    [TITLE_000, { alg: 'crc16', rep: 'dec' }, '24056'],
    // 0x0e17acb5: hex without padding, as `Number#toString(16)` writes it.
    [TITLE_000, { alg: 'crc32', rep: 'hex' }, 'e17acb5'],
    [TITLE_000, { alg: 'crc32', rep: 'dec' }, '236432565'],
    ['みもパ！～夏休みだよ、全員集合！～', HEX16, 'a51d'],
    ['', HEX16, '0'],
    ['a', HEX16, 'e8c1'],
  ])('%j with %o → %s', (title, options, expected) => {
    expect(computeAbbrlink(title, options)).toBe(expected);
  });
});

describe('readAbbrlinkValue', () => {
  it.each([
    ['absent', undefined, null],
    ['null', null, null],
    ['false', false, null],
    ['empty', '', null],
    ['0', 0, null],
    ["'0'", '0', null],
    ['NaN', Number.NaN, null],
    ['a hex text', '1a2b', '1a2b'],
    ['a positive integer', 12345, '12345'],
    ["'00' (not hexo-abbrlink's '0')", '00', '00'],
    ['Chinese text', '新闻', '新闻'],
  ])('%s → %j', (_name, value, expected) => {
    expect(readAbbrlinkValue(value)).toEqual({ ok: true, abbrlink: expected });
  });

  it.each([
    ['true', true, /must be a text or a whole number/],
    ['a negative number', -5, /-5 is not a whole number/],
    ['a fraction', 1.5, /1\.5 is not a whole number/],
    ['Infinity', Number.POSITIVE_INFINITY, /Infinity is not a whole number/],
    ['a list', ['a'], /must be a text or a whole number/],
    ['a mapping', new Map(), /must be a text or a whole number/],
    ['a slash', 'a/b', /contains a slash/],
    ['a backslash', 'a\\b', /contains a slash, backslash/],
    ['a control character', 'a\nb', /control character/],
    ['a bidi override', 'a\u202eb', /control character/],
    ['surrounding spaces', ' 1a2b', /white space/],
    ['..', '..', /dot segment/],
  ])('refuses %s', (_name, value, reason) => {
    const result = readAbbrlinkValue(value);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(reason);
  });
});

const p = (slug: string, title: string, date: string | null = null, abbrlink: string | null = null): AbbrlinkPost => ({ slug, title, date, abbrlink });
const none = new Map<string, ExistingAbbrlink>();

describe('assignAbbrlinks', () => {
  it('gives each post the CRC of its title', () => {
    const { links, errors } = assignAbbrlinks([p('a', '123456789'), p('b', TITLE_000)], none, HEX16);
    expect([...links]).toEqual([
      ['a', 'bb3d'],
      ['b', '5df8'],
    ]);
    expect(errors).toEqual([]);
  });

  it('bumps colliding titles +1 in date order, undated last, then by slug', () => {
    const posts = [
      p('undated', 'dad'),
      p('z-late', 'haa', '2021-09-13T00:00:00.000Z'),
      p('b-early', 'dad', '2021-09-12T00:00:00.000Z'),
      p('a-early', 'haa', '2021-09-12T00:00:00.000Z'),
    ];
    const { links } = assignAbbrlinks(posts, none, HEX16);
    expect(Object.fromEntries(links)).toEqual({ 'a-early': 'a469', 'b-early': 'a46a', 'z-late': 'a46b', undated: 'a46c' });
  });

  it('gives the same result whatever the input order', () => {
    const posts = [
      p('a', 'dad', '2021-01-01T00:00:00.000Z'),
      p('b', 'haa', '2021-01-01T00:00:00.000Z'),
      p('c', 'dad'),
      p('d', 'x', null, 'a46a'),
      p('e', 'haa', '2020-12-31T00:00:00.000Z'),
    ];
    const expected = Object.fromEntries(assignAbbrlinks(posts, none, HEX16).links);
    expect(expected).toEqual({ e: 'a469', a: 'a46b', b: 'a46c', c: 'a46d', d: 'a46a' });
    fc.assert(
      fc.property(fc.shuffledSubarray(posts, { minLength: posts.length }), (shuffled) => {
        expect(Object.fromEntries(assignAbbrlinks(shuffled, none, HEX16).links)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('honours explicit front-matter values and bumps computed ones past them', () => {
    const { links, errors } = assignAbbrlinks([p('a', '123456789'), p('b', 'x', null, 'bb3d'), p('c', 'y', null, 'bb3e')], none, HEX16);
    expect(Object.fromEntries(links)).toEqual({ a: 'bb3f', b: 'bb3d', c: 'bb3e' });
    expect(errors).toEqual([]);
  });

  it('does not let non-canonical explicit values block a computed number', () => {
    const { links } = assignAbbrlinks([p('a', '123456789'), p('b', 'x', null, 'BB3D'), p('c', 'y', null, '0bb3d')], none, HEX16);
    expect(links.get('a')).toBe('bb3d');
  });

  it('reports an explicit value shared by posts, naming them all', () => {
    const { links, errors } = assignAbbrlinks([p('news/b', 'x', null, '1a2b'), p('news/a', 'y', null, '1a2b'), p('c', 'z', null, '1a2b')], none, HEX16);
    expect(errors).toEqual(['abbrlink "1a2b" is set in the front matter of 3 posts: "c", "news/a", "news/b"']);
    expect(links.get('news/a')).toBe('1a2b');
    expect(links.get('news/b')).toBe('1a2b');
  });

  it('keeps an earlier upload\'s link when the title is unchanged, even if a new older post now wants it', () => {
    const existing = new Map([['later', { abbrlink: 'a469', title: 'dad' }]]);
    const posts = [p('older-new-post', 'dad', '2020-01-01T00:00:00.000Z'), p('later', 'dad', '2021-01-01T00:00:00.000Z')];
    expect(Object.fromEntries(assignAbbrlinks(posts, existing, HEX16).links)).toEqual({ later: 'a469', 'older-new-post': 'a46a' });
  });

  it('keeps a bumped link whose title CRC is unchanged (a title with the same CRC counts as unchanged)', () => {
    const existing = new Map([['b', { abbrlink: 'a46a', title: 'haa' }]]);
    const { links } = assignAbbrlinks([p('b', 'dad', '2021-01-01T00:00:00.000Z')], existing, HEX16);
    expect(links.get('b')).toBe('a46a');
  });

  it('assigns afresh when the title changed', () => {
    const existing = new Map([['a', { abbrlink: 'ffff', title: 'Old title' }]]);
    expect(assignAbbrlinks([p('a', '123456789')], existing, HEX16).links.get('a')).toBe('bb3d');
  });

  it('gives up a kept link that an explicit value now claims', () => {
    const existing = new Map([['a', { abbrlink: 'bb3d', title: '123456789' }]]);
    const { links } = assignAbbrlinks([p('a', '123456789'), p('b', 'x', null, 'bb3d')], existing, HEX16);
    expect(Object.fromEntries(links)).toEqual({ a: 'bb3e', b: 'bb3d' });
  });

  it('keeps only the first (in date order) of two existing entries holding one link', () => {
    const existing = new Map([
      ['a', { abbrlink: 'bb3d', title: '123456789' }],
      ['b', { abbrlink: 'bb3d', title: '123456789' }],
    ]);
    const posts = [p('b', '123456789', '2021-02-01T00:00:00.000Z'), p('a', '123456789', '2021-01-01T00:00:00.000Z')];
    expect(Object.fromEntries(assignAbbrlinks(posts, existing, HEX16).links)).toEqual({ a: 'bb3d', b: 'bb3e' });
  });

  it('bumps past ffff without wrapping, as hexo-abbrlink does', () => {
    const { links } = assignAbbrlinks([p('a', 'ilyh', '2021-01-01T00:00:00.000Z'), p('b', 'ilyh', '2021-01-02T00:00:00.000Z')], none, HEX16);
    expect(Object.fromEntries(links)).toEqual({ a: 'ffff', b: '10000' });
  });

  it('bumps in decimal with rep: dec', () => {
    const { links } = assignAbbrlinks([p('a', '123456789'), p('b', '123456789')], none, { alg: 'crc16', rep: 'dec' });
    expect(Object.fromEntries(links)).toEqual({ a: '47933', b: '47934' });
  });

  it('gives 100,000 posts with one title 100,000 consecutive links', () => {
    const posts = Array.from({ length: 100_000 }, (_, i) => p(`post-${String(i).padStart(6, '0')}`, '123456789'));
    const { links } = assignAbbrlinks(posts, none, HEX16);
    expect(links.size).toBe(100_000);
    expect(links.get('post-000000')).toBe('bb3d');
    expect(links.get('post-099999')).toBe((0xbb3d + 99_999).toString(16));
    expect(new Set(links.values()).size).toBe(100_000);
  });

  it('gives 100,000 distinct titles distinct links (crc16 has only 65,536 values)', () => {
    const posts = Array.from({ length: 100_000 }, (_, i) => p(`s${i}`, `标题 ${i}`, `2021-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`));
    const { links } = assignAbbrlinks(posts, none, HEX16);
    expect(links.size).toBe(100_000);
    expect(new Set(links.values()).size).toBe(100_000);
  });
});

describe('readAbbrlinkValue: every refusal, exactly', () => {
  it.each<[string, unknown, string]>([
    ['.', '.', 'abbrlink "." is a dot segment'],
    ['..', '..', 'abbrlink ".." is a dot segment'],
    ['a lone surrogate', 'a\ud800', 'abbrlink is not well-formed Unicode'],
    ['a DEL', 'a\u007fb', 'abbrlink "a\u007fb" contains a slash, backslash or control character'],
    ['an Arabic letter mark', 'a\u061cb', 'abbrlink "a\u061cb" contains a slash, backslash or control character'],
    ['-1', -1, 'abbrlink -1 is not a whole number ≥ 0 or a text'],
    ['2^53', 2 ** 53, 'abbrlink 9007199254740992 is not a whole number ≥ 0 or a text'],
    ['trailing white space', '1a2b\t', 'abbrlink starts or ends with white space'],
  ])('%s', (_name, value, problem) => {
    expect(readAbbrlinkValue(value)).toEqual({ ok: false, problem });
  });

  it.each<[string, unknown, string]>([
    ['a dot inside a name', 'a.b', 'a.b'],
    ['three dots', '...', '...'],
    ['1', 1, '1'],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('accepts %s', (_name, value, abbrlink) => {
    expect(readAbbrlinkValue(value)).toEqual({ ok: true, abbrlink });
  });
});

describe('assignAbbrlinks with rep: dec', () => {
  // CRC-32 of "post 225" is 158745863 (0x9764507), from Node's zlib, not our crc.ts.
  const TITLE = 'post 225';
  const DEC32: AbbrlinkOptions = { alg: 'crc32', rep: 'dec' };

  it('checks the oracle: zlib gives the CRC-32 the test expects', () => {
    expect(zlib.crc32(Buffer.from(TITLE, 'utf8'))).toBe(158_745_863);
  });

  it.each<[string, string]>([
    // Decimal text that reads as this CRC in hex: a decimal link, it blocks nothing.
    ['the hex digits of the CRC', '9764507'],
    // Not canonical decimal (a leading zero): blocks nothing either.
    ['the CRC with a leading zero', '0158745863'],
    ['the CRC with a plus sign', '+158745863'],
  ])('a post keeps its CRC when another post\'s explicit link is %s', (_name, explicit) => {
    const { links } = assignAbbrlinks([p('a', TITLE), p('b', 'x', null, explicit)], none, DEC32);
    expect(Object.fromEntries(links)).toEqual({ a: '158745863', b: explicit });
  });

  it('bumps past an explicit link that is the CRC in canonical decimal', () => {
    const { links } = assignAbbrlinks([p('a', TITLE), p('b', 'x', null, '158745863'), p('c', 'y', null, '158745864')], none, DEC32);
    expect(links.get('a')).toBe('158745865');
  });
});
