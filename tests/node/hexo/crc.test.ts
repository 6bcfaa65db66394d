import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16Arc, crc32 } from '../../../src/hexo/crc';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A second CRC-16/ARC, written differently: bit by bit, MSB-first on reversed bits. */
function crc16ArcBitwise(bytes: Uint8Array): number {
  const reverse = (v: number, width: number) => {
    let r = 0;
    for (let i = 0; i < width; i++) if (v & (1 << i)) r |= 1 << (width - 1 - i);
    return r;
  };
  let crc = 0;
  for (const byte of bytes) {
    crc ^= reverse(byte, 8) << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return reverse(crc, 16);
}

// Vectors computed independently in Python 3: a bit-by-bit CRC-16/ARC and `zlib.crc32` over
// `s.encode('utf-8')`. The first row holds the catalogue check values (reveng CRC catalogue).
const VECTORS: readonly [string, number, number][] = [
  ['123456789', 0xbb3d, 0xcbf43926],
  ['', 0x0000, 0x00000000],
  ['a', 0xe8c1, 0xe8b7be43],
  ['习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话', 0x5df8, 0x0e17acb5],
  ['みもパ！～夏休みだよ、全員集合！～', 0xa51d, 0x3c45b45d],
  ['Apple details the ways its CSAM detection system is designed to prevent misuse', 0x32d3, 0x38fdad38],
  ['Windows 11 离线激活 "测试" 100% + & # ? \' ^ ~', 0xdb71, 0x1f20e8b2],
  ['😀 emoji 标题', 0xf957, 0x10ed9647],
];

describe('crc16Arc', () => {
  it.each(VECTORS)('of %j is %i', (text, expected) => {
    expect(crc16Arc(utf8(text))).toBe(expected);
  });

  it('agrees with a bitwise implementation on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(crc16Arc(bytes)).toBe(crc16ArcBitwise(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('crc32', () => {
  it.each(VECTORS)('of %j is %#', (text, _crc16, expected) => {
    expect(crc32(utf8(text))).toBe(expected);
  });

  it('agrees with zlib on any bytes, unsigned', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const value = crc32(bytes);
        expect(value).toBe(zlib.crc32(bytes));
        expect(value).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});
