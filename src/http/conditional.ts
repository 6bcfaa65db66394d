/**
 * Conditional GET/HEAD evaluation, shared by pages, API, feeds and the image route (RFC 9110 §13.1.2, §13.1.3, §13.2.2) against the validators
 * of the representation we would send. If-None-Match, when present, decides alone (weak
 * comparison; `*` matches any current representation); only without it is If-Modified-Since used.
 */

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

const ENTITY_TAG = /(?:W\/)?"([^"]*)"/g;

/** The opaque-tags of an If-None-Match list (weak prefix dropped), or '*'. */
export function parseEntityTags(value: string): '*' | string[] {
  if (value.trim() === '*') return '*';
  return [...value.matchAll(ENTITY_TAG)].map((m) => m[1] ?? '');
}

/** Opaque-tag of one entity-tag (`W/"x"` and `"x"` both give `x`), or null when malformed. */
export function opaqueTag(etag: string): string | null {
  const m = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(etag);
  return m ? (m[1] ?? '') : null;
}

/** If-None-Match is false (the client's copy is current) when one listed tag weakly matches. */
export function ifNoneMatchMatches(header: string, etag: string | null): boolean {
  const tags = parseEntityTags(header);
  if (tags === '*') return true;
  const current = etag === null ? null : opaqueTag(etag);
  return current !== null && tags.includes(current);
}

/**
 * If-Modified-Since is false (not modified) when Last-Modified is not after the given date.
 * An invalid date, or one later than now, is ignored (RFC 9110 §13.1.3: "a date which is later
 * than the server's current time is invalid").
 */
export function notModifiedSince(header: string, lastModified: string | null, now = Date.now()): boolean {
  if (lastModified === null) return false;
  const since = Date.parse(header);
  const modified = Date.parse(lastModified);
  if (Number.isNaN(since) || Number.isNaN(modified) || since > now) return false;
  return modified <= since;
}

/** True when a GET/HEAD with these request headers should be answered 304 Not Modified. */
export function isNotModified(requestHeaders: Headers, validators: Validators, now = Date.now()): boolean {
  const inm = requestHeaders.get('if-none-match');
  if (inm !== null) return ifNoneMatchMatches(inm, validators.etag);
  const ims = requestHeaders.get('if-modified-since');
  if (ims !== null) return notModifiedSince(ims, validators.lastModified, now);
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

/**
 * ISO date → IMF-fixdate for Last-Modified, never later than now (RFC 9110 §8.8.2.1: an origin
 * server must not send a Last-Modified date later than its own time), or null.
 */
export function httpDate(iso: string | null | undefined, now = Date.now()): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(Math.min(t, now)).toUTCString();
}
