import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFileName, escapeFileNameBytes } from '../../../src/content/file-name';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeFileName', () => {
  it.each([
    ['ASCII', bytes('000_1c07ab0e1a8962a0.md'), '000_1c07ab0e1a8962a0.md'],
    ['Chinese and emoji', bytes('习近平 😀.md'), '习近平 😀.md'],
    ['a decomposed name, kept decomposed', bytes('cafe\u0301.md'), 'cafe\u0301.md'],
    ['a leading BOM, kept', bytes([0xef, 0xbb, 0xbf], 'a.md'), '\ufeffa.md'],
  ])('decodes %s', (_name, input, expected) => {
    expect(decodeFileName(input)).toEqual({ name: expected });
  });

  it.each([
    ['Latin-1 é', bytes('caf', [0xe9], '.md'), 'caf\\xe9.md'],
    ['a lone continuation byte', bytes('a', [0x80], 'b.md'), 'a\\x80b.md'],
    ['an overlong slash (C0 AF)', bytes([0xc0, 0xaf], '.md'), '\\xc0\\xaf.md'],
    ['a UTF-8-encoded surrogate (ED A0 80)', bytes([0xed, 0xa0, 0x80], '.md'), '\\xed\\xa0\\x80.md'],
    ['a code point past U+10FFFF (F4 90 80 80)', bytes([0xf4, 0x90, 0x80, 0x80]), '\\xf4\\x90\\x80\\x80'],
    ['a truncated sequence before valid Chinese', bytes([0xe6, 0x96], '新.md'), '\\xe6\\x96新.md'],
    ['valid text around one bad byte, with a control and a backslash', bytes('新\t\\', [0xff], '.md'), '新\\x09\\\\\\xff.md'],
    ['a bidi override next to a bad byte', bytes('a\u202e', [0xfe]), 'a\\u{202e}\\xfe'],
  ])('names the bytes of %s', (_name, input, shown) => {
    expect(decodeFileName(input)).toEqual({ problem: `file name is not valid UTF-8: "${shown}"` });
  });
});

describe('escapeFileNameBytes', () => {
  it('keeps valid UTF-8 readable and escapes only what must be', () => {
    expect(escapeFileNameBytes(bytes('标题 ', [0x00, 0x7f], 'x\u0085'))).toBe('标题 \\x00\\x7fx\\u{85}');
  });
});

describe('decodeFileName on a real directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'file-name-'));
    await writeFile(Buffer.concat([Buffer.from(`${dir}/`), bytes('caf', [0xe9], '.md')]), 'x');
    await writeFile(path.join(dir, '新媒体.md'), 'x');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the Latin-1 name and decodes the UTF-8 one', async () => {
    const entries = (await readdir(dir, { encoding: 'buffer' })).map(decodeFileName);
    expect(entries).toHaveLength(2);
    expect(entries).toContainEqual({ problem: 'file name is not valid UTF-8: "caf\\xe9.md"' });
    expect(entries).toContainEqual({ name: '新媒体.md' });
  });
});

describe('escapeFileNameBytes: which characters are shown as \\u{…}', () => {
  // C1 controls, ALM, LRM/RLM, the bidi embeddings/overrides and isolates; their neighbours are kept.
  it.each<[number, string]>([
    [0x7e, '~'],
    [0x7f, '\\x7f'],
    [0x80, '\\u{80}'],
    [0x9f, '\\u{9f}'],
    [0xa0, '\u00a0'],
    [0x61b, '\u061b'],
    [0x61c, '\\u{61c}'],
    [0x61d, '\u061d'],
    [0x200d, '\u200d'],
    [0x200e, '\\u{200e}'],
    [0x200f, '\\u{200f}'],
    [0x2010, '\u2010'],
    [0x2029, '\u2029'],
    [0x202a, '\\u{202a}'],
    [0x202e, '\\u{202e}'],
    [0x202f, '\u202f'],
    [0x2065, '\u2065'],
    [0x2066, '\\u{2066}'],
    [0x2067, '\\u{2067}'],
    [0x2069, '\\u{2069}'],
    [0x206a, '\u206a'],
  ])('U+%s', (cp, shown) => {
    expect(escapeFileNameBytes(Buffer.from(String.fromCodePoint(cp), 'utf8'))).toBe(shown);
  });
});

describe('escapeFileNameBytes agrees with a strict TextDecoder on where UTF-8 is well-formed', () => {
  // The oracle: at each position, the shortest run of 1–4 bytes that a fatal TextDecoder decodes to
  // one code point is a character; a byte that starts none is shown as \xHH.
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const oracle = (input: Uint8Array): string => {
    let out = '';
    let i = 0;
    while (i < input.length) {
      let taken = 0;
      for (let n = 1; n <= 4 && i + n <= input.length; n++) {
        try {
          const ch = fatal.decode(input.subarray(i, i + n));
          if ([...ch].length === 1) {
            taken = n;
            break;
          }
        } catch {
          // not a whole character (yet)
        }
      }
      if (taken === 0) {
        out += `\\x${input[i]!.toString(16).padStart(2, '0')}`;
        i += 1;
      } else {
        // The inputs below hold no bidi character; DEL and the C1 controls (C2 80–C2 9F) they do.
        const ch = fatal.decode(input.subarray(i, i + taken));
        const cp = ch.codePointAt(0)!;
        out += cp === 0x7f ? '\\x7f' : cp >= 0x80 && cp <= 0x9f ? `\\u{${cp.toString(16)}}` : ch;
        i += taken;
      }
    }
    return out;
  };
  // Lead bytes from C0 to FF, each followed by continuation bytes at and around every limit of
  // Unicode's Table 3-7, then by an ASCII `z` (or by nothing: a sequence cut short).
  const limits = [0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
  const cases: number[][] = [];
  for (let b0 = 0xc0; b0 <= 0xff; b0++) {
    for (const b1 of limits) {
      cases.push([b0, b1], [b0, b1, 0x7a]);
      for (const b2 of [0x7f, 0x80, 0xbf, 0xc0]) {
        cases.push([b0, b1, b2, 0x7a]);
        for (const b3 of [0x7f, 0x80, 0xbf, 0xc0]) cases.push([b0, b1, b2, b3, 0x7a]);
      }
    }
    cases.push([b0]);
  }

  it(`on ${cases.length} byte strings`, () => {
    expect(cases.length).toBe(64 * (8 * (2 + 4 + 16) + 1));
    const wrong = cases
      .map((c) => Uint8Array.from(c))
      .filter((c) => escapeFileNameBytes(c) !== oracle(c))
      .map((c) => `${Buffer.from(c).toString('hex')}: ${escapeFileNameBytes(c)} ≠ ${oracle(c)}`);
    expect(wrong).toEqual([]);
  });

  it('the oracle itself: a few sequences worked out by hand', () => {
    expect(oracle(Uint8Array.from([0xe0, 0x9f, 0x80]))).toBe('\\xe0\\x9f\\x80'); // overlong
    expect(oracle(Uint8Array.from([0xe0, 0xa0, 0x80]))).toBe('\u0800');
    expect(oracle(Uint8Array.from([0xf0, 0x8f, 0x80, 0x80]))).toBe('\\xf0\\x8f\\x80\\x80'); // overlong
    expect(oracle(Uint8Array.from([0xf0, 0x90, 0x80, 0x80]))).toBe('\u{10000}');
    expect(oracle(Uint8Array.from([0xf4, 0x8f, 0xbf, 0xbf]))).toBe('\u{10ffff}');
    expect(oracle(Uint8Array.from([0xf5, 0x80, 0x80, 0x80]))).toBe('\\xf5\\x80\\x80\\x80');
  });
});
