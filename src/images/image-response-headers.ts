/**
 * Response headers of the image route, built from an allowlist: our fixed security and caching
 * headers plus the upstream's validators (ETag, Last-Modified) when well-formed. Upstream
 * headers are never copied wholesale, so Set-Cookie and hop-by-hop headers cannot leak through.
 */
import type { Validators } from '../http/conditional';

export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Blocks scripts and every fetch of a (possibly SVG) image opened directly. */
export const SANDBOX_CSP = "default-src 'none'; sandbox";

const ETAG = /^(?:W\/)?"[^"\x00-\x20\x7f]*"$/;

/** The upstream ETag when it is a valid entity-tag, else null. */
export function safeEtag(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return ETAG.test(trimmed) ? trimmed : null;
}

/** The upstream Last-Modified re-serialised as an IMF-fixdate, or null when unparseable. */
export function httpDate(value: string | null): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toUTCString();
}

/** Headers of a 200 image response (without Server-Timing). */
export function imageHeaders(upstream: Headers, contentType: string, contentLength: number | null): Headers {
  const headers = new Headers({
    'content-type': contentType,
    'cache-control': IMAGE_CACHE_CONTROL,
    'x-content-type-options': 'nosniff',
    'content-security-policy': SANDBOX_CSP,
    'cross-origin-resource-policy': 'cross-origin',
  });
  if (contentLength !== null) headers.set('content-length', String(contentLength));
  const etag = safeEtag(upstream.get('etag'));
  if (etag) headers.set('etag', etag);
  const lastModified = httpDate(upstream.get('last-modified'));
  if (lastModified) headers.set('last-modified', lastModified);
  return headers;
}

export function validatorsOf(headers: Headers): Validators {
  return { etag: headers.get('etag'), lastModified: headers.get('last-modified') };
}

/** Headers of a 304 answering for a 200 with `full` headers (RFC 9110 §15.4.5). */
export function notModifiedHeaders(full: Headers): Headers {
  const headers = new Headers();
  for (const name of ['cache-control', 'etag', 'last-modified', 'server-timing']) {
    const value = full.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

/** `cache;desc="hit"`, or `cache;desc="miss", upstream;dur=<ms>` after an upstream fetch. */
export function serverTiming(hit: boolean, upstreamMs?: number): string {
  if (hit) return 'cache;desc="hit"';
  return upstreamMs === undefined ? 'cache;desc="miss"' : `cache;desc="miss", upstream;dur=${Math.max(0, Math.round(upstreamMs))}`;
}
