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
