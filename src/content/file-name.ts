/**
 * Directory entries as bytes. On Linux a file name is any bytes but `/` and NUL; Node decodes
 * them as UTF-8 and silently turns invalid bytes into U+FFFD, so two different files could get
 * the same name. Reading with `readdir(dir, { encoding: 'buffer' })` and decoding here keeps
 * that from happening, and names the offending bytes when a name is not UTF-8.
 */

// ignoreBOM keeps a leading U+FEFF in the name (the default would silently drop it).
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Length of the well-formed UTF-8 sequence starting at `i` (Unicode 15 Table 3-7: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0 if the byte there starts none.
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

const byteHex = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`;

/**
 * The name with every byte that is not part of well-formed UTF-8 written as `\xHH`, and
 * characters that would be invisible or reorder a terminal line (controls, bidi controls) as
 * `\u{…}`, so that an error message shows exactly what is on disk: `caf\xe9.md`.
 */
export function escapeFileNameBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += byteHex(bytes[i]!);
      i += 1;
      continue;
    }
    const ch = strict.decode(bytes.subarray(i, i + n));
    const cp = ch.codePointAt(0)!;
    if (cp === 0x5c) out += '\\\\';
    else if (cp < 0x20 || cp === 0x7f) out += byteHex(cp);
    else if ((cp >= 0x80 && cp <= 0x9f) || cp === 0x61c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      out += `\\u{${cp.toString(16)}}`;
    } else out += ch;
    i += n;
  }
  return out;
}

/**
 * Decodes a directory entry read as bytes. Valid UTF-8 gives `{ name }` (not normalised; the
 * slug is); anything else gives `{ problem }` naming the bytes, e.g.
 * `file name is not valid UTF-8: "caf\xe9.md"`. Never throws.
 */
export function decodeFileName(bytes: Uint8Array): { name: string } | { problem: string } {
  try {
    return { name: strict.decode(bytes) };
  } catch {
    return { problem: `file name is not valid UTF-8: "${escapeFileNameBytes(bytes)}"` };
  }
}
