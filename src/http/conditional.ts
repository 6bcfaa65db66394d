/**
 * Conditional GET evaluation (RFC 9110 §13.1-13.2): If-None-Match first, and only when it is
 * absent If-Modified-Since; a match means 304 Not Modified with no body.
 */

/** Weak comparison (RFC 9110 §8.8.3.2): `W/"x"` matches `"x"`. */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const mine = opaque(etag);
  // Split on commas outside quotes; entity-tags cannot contain `"` so a simple scan suffices.
  const tags = ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? [];
  return tags.some((t) => opaque(t) === mine);
}

/** HTTP-date to epoch seconds, or null when unparseable. */
function httpDateSeconds(value: string): number | null {
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

export function isNotModified(headers: Headers, etag: string | null, lastModified: string | null): boolean {
  const inm = headers.get('if-none-match');
  if (inm !== null) return etag !== null && etagMatches(inm, etag);
  const ims = headers.get('if-modified-since');
  if (ims !== null && lastModified !== null) {
    const since = httpDateSeconds(ims);
    const modified = httpDateSeconds(lastModified);
    return since !== null && modified !== null && modified <= since;
  }
  return false;
}

/** Headers a 304 must repeat (RFC 9110 §15.4.5). */
const KEEP_ON_304 = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary', 'last-modified', 'server-timing'];

export function notModified(headers: Headers): Response {
  const out = new Headers();
  for (const name of KEEP_ON_304) {
    const v = headers.get(name);
    if (v !== null) out.set(name, v);
  }
  return new Response(null, { status: 304, headers: out });
}

/** ISO date → IMF-fixdate for Last-Modified, or null. */
export function httpDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toUTCString();
}
