/**
 * Image-route URLs: `/img/<signature>/<base64url(original URL)>`.
 *
 * The route fetches only URLs that our rewrite produced: the signature is an HMAC-SHA256 of the
 * exact original URL under a secret (IMAGE_SIGNING_KEY), so changing any byte of a route URL
 * fails verification instead of reaching another host (camo's design). node:crypto is used
 * because its HMAC is synchronous, which keeps `rewriteHtml` a pure synchronous function.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { cachedSigningKeyProblem, SigningKeyError } from './signing-key';

export const IMAGE_ROUTE_PREFIX = '/img/';
/** 22 base64url characters: 132 bits of HMAC output. */
const SIGNATURE_LENGTH = 22;

function sign(url: string, key: string): string {
  return createHmac('sha256', key).update(url, 'utf8').digest('base64url').slice(0, SIGNATURE_LENGTH);
}

/**
 * Root-relative route path for an absolute http(s) image URL. Throws SigningKeyError, and signs
 * nothing, when `key` is missing or is the public development key while `siteUrl` is not local
 * (signing-key.ts): such a URL would make the route an open proxy.
 */
export function imageRoutePath(originalUrl: string, key: string, siteUrl: string): string {
  const problem = cachedSigningKeyProblem(key, siteUrl);
  if (problem !== null) throw new SigningKeyError(problem);
  const payload = Buffer.from(originalUrl, 'utf8').toString('base64url');
  return `${IMAGE_ROUTE_PREFIX}${sign(originalUrl, key)}/${payload}`;
}

/** Returns the original URL when `signature` matches `payload`, otherwise null. */
export function verifyImageRoute(signature: string, payload: string, key: string): string | null {
  if (!key || signature.length !== SIGNATURE_LENGTH || !/^[A-Za-z0-9_-]{1,16384}$/.test(payload)) return null;
  const url = Buffer.from(payload, 'base64url').toString('utf8');
  // Re-encoding must give the same payload: rejects non-canonical base64 (trailing bits, padding).
  if (Buffer.from(url, 'utf8').toString('base64url') !== payload) return null;
  const expected = Buffer.from(sign(url, key));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? url : null;
}
