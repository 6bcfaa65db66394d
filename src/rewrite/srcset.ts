/**
 * `srcset` parsing close to the HTML spec's algorithm: a candidate's URL is a run of
 * non-whitespace (so URLs may contain commas, e.g. `?x-bce-process=image/watermark,g_7`), trailing
 * commas end it, and descriptors run to the next comma outside parentheses.
 */

export interface SrcsetCandidate {
  url: string;
  /** Normalised descriptors (`2x`, `600w`), '' when none. */
  descriptor: string;
}

const WS = /[\t\n\f\r ]/;

export function parseSrcset(value: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (WS.test(value[i] as string) || value[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !WS.test(value[i] as string)) i++;
    let url = value.slice(start, i);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const dStart = i;
      let depth = 0;
      while (i < n) {
        const c = value[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
        i++;
      }
      descriptor = value.slice(dStart, i).trim().replace(/[\t\n\f\r ]+/g, ' ');
      i++; // skip the comma
    }
    if (url !== '') out.push({ url, descriptor });
  }
  return out;
}

export function serializeSrcset(candidates: readonly SrcsetCandidate[]): string {
  return candidates.map((c) => (c.descriptor ? `${c.url} ${c.descriptor}` : c.url)).join(', ');
}
