/**
 * The two checksums hexo-abbrlink offers (rozbo/ohroy hexo-abbrlink lib/crc16.js, lib/crc32.js):
 *   - CRC-16/ARC: poly 0x8005 reflected (0xA001), init 0, no final XOR; check("123456789") = 0xBB3D.
 *   - CRC-32 (ISO-HDLC, zlib's): poly 0x04C11DB7 reflected (0xEDB88320), init and final XOR
 *     0xFFFFFFFF; check("123456789") = 0xCBF43926.
 * Parameters: https://reveng.sourceforge.io/crc-catalogue/16.htm#crc.cat.crc-16-arc and
 * https://reveng.sourceforge.io/crc-catalogue/17plus.htm#crc.cat.crc-32-iso-hdlc
 */

function reflectedTable(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC16_ARC = reflectedTable(0xa001);
const CRC32 = reflectedTable(0xedb88320);

/** CRC-16/ARC of `bytes`, 0 … 0xFFFF. */
export function crc16Arc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ CRC16_ARC[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** CRC-32 of `bytes`, unsigned (0 … 0xFFFFFFFF), as hexo-abbrlink's `crc32.str(title) >>> 0`. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ CRC32[(crc ^ bytes[i]!) & 0xff]!;
  return (crc ^ 0xffffffff) >>> 0;
}
