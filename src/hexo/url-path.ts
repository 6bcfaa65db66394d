/**
 * Root-relative paths as text (`/2021/09/12/新媒体/标题 #1?/`) and as they go into an href or a
 * `Location` header. Each segment is percent-encoded with `encodeURIComponent`, so `?`, `#`, `%`,
 * spaces, `\` (a separator to WHATWG URL parsers in http(s) URLs) and non-ASCII survive a round
 * trip through a URL parser (https://url.spec.whatwg.org/#path-state), and `/` stays the only
 * separator.
 */

/**
 * Percent-encodes each `/`-separated segment of `path`. The segments `.` and `..` cannot be
 * represented (URL parsers resolve them, encoded or not) and are refused, as are lone
 * surrogates (not representable in UTF-8).
 */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      if (segment === '.' || segment === '..') throw new RangeError(`encodePath: a "${segment}" segment cannot be part of a URL path`);
      return encodeURIComponent(segment);
    })
    .join('/');
}

/**
 * The inverse of `encodePath` for a URL's pathname (as `new URL(…).pathname` or a request gives
 * it): each segment percent-decoded as UTF-8. Null for malformed percent-encoding (`%zz`, `%e9`
 * alone) and for an encoded `/` (`%2F`), which would make a different path of the same text.
 */
export function decodePath(urlPathname: string): string | null {
  const segments = urlPathname.split('/');
  const out: string[] = [];
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (decoded.includes('/')) return null;
    out.push(decoded);
  }
  return out.join('/');
}
