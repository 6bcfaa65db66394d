/**
 * Every error the image route answers: a short plain-text body with no internals, and a
 * short-lived cache policy (only an upstream 404/410 may be cached, for five minutes).
 */
import { SANDBOX_CSP } from './image-response-headers';

export type ImageErrorKind =
  | 'misconfigured'
  | 'bad-route'
  | 'forbidden-target'
  | 'method-not-allowed'
  | 'upstream-not-found'
  | 'upstream-error'
  | 'not-an-image'
  | 'too-large'
  | 'bad-redirect'
  | 'too-many-redirects'
  | 'network'
  | 'timeout'
  | 'internal';

export const NOT_FOUND_CACHE_CONTROL = 'public, max-age=300';

interface ErrorSpec {
  status: number;
  message: string;
  cacheControl: string;
}

export const IMAGE_ERRORS: Record<ImageErrorKind, ErrorSpec> = {
  // IMAGE_SIGNING_KEY missing, or the public development key on a non-local site (signing-key.ts).
  misconfigured: { status: 500, message: 'server misconfigured', cacheControl: 'no-store' },
  'bad-route': { status: 404, message: 'not found', cacheControl: 'no-store' },
  'forbidden-target': { status: 403, message: 'image URL not allowed', cacheControl: 'no-store' },
  'method-not-allowed': { status: 405, message: 'method not allowed', cacheControl: 'no-store' },
  'upstream-not-found': { status: 404, message: 'image not found', cacheControl: NOT_FOUND_CACHE_CONTROL },
  'upstream-error': { status: 502, message: 'image upstream error', cacheControl: 'no-store' },
  'not-an-image': { status: 502, message: 'upstream did not return an image', cacheControl: 'no-store' },
  'too-large': { status: 502, message: 'image too large', cacheControl: 'no-store' },
  'bad-redirect': { status: 502, message: 'image redirect not allowed', cacheControl: 'no-store' },
  'too-many-redirects': { status: 502, message: 'too many image redirects', cacheControl: 'no-store' },
  network: { status: 502, message: 'image upstream unreachable', cacheControl: 'no-store' },
  timeout: { status: 504, message: 'image upstream timed out', cacheControl: 'no-store' },
  internal: { status: 500, message: 'internal error', cacheControl: 'no-store' },
};

/** A fresh error response (bodies are single-use: call again for a second copy). */
export function imageErrorResponse(kind: ImageErrorKind, serverTiming?: string): Response {
  const spec = IMAGE_ERRORS[kind];
  const headers = new Headers({
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': spec.cacheControl,
    'x-content-type-options': 'nosniff',
    'content-security-policy': SANDBOX_CSP,
  });
  if (kind === 'method-not-allowed') headers.set('allow', 'GET, HEAD');
  if (serverTiming) headers.set('server-timing', serverTiming);
  return new Response(`${spec.message}\n`, { status: spec.status, headers });
}
