/**
 * Builds a cacheable response: validators, Cache-Control, Server-Timing and, for GET/HEAD with a
 * matching If-None-Match / If-Modified-Since, a 304 with no body.
 */
import type { AppConfig } from '../config.js';
import { type CacheKind, DEFAULT_CACHE_CONTROL } from './cache-policy.js';
import { isNotModified, notModified } from './conditional.js';
import { applyHtmlSecurityHeaders } from './security-headers.js';
import type { ServerTiming } from './server-timing.js';

export interface CacheableBody {
  /** The body, or a function producing it: only called when the answer is not a 304. */
  body: string | (() => Promise<string>);
  contentType: string;
  /** Strong entity-tag value including quotes, e.g. `"a.x1.r1"`. */
  etag: string;
  lastModified?: string | null;
  kind: CacheKind;
  status?: number;
  timing?: ServerTiming;
}

/** `config` is null when it could not be read (a store outage before the index record). */
export async function respond(request: Request, config: AppConfig | null, input: CacheableBody): Promise<Response> {
  const isGet = request.method === 'GET' || request.method === 'HEAD';
  const status = input.status ?? 200;
  const notModifiedNow =
    status === 200 && isGet && isNotModified(request.headers, { etag: input.etag, lastModified: input.lastModified ?? null });
  const body = notModifiedNow || typeof input.body === 'string' ? input.body : await input.body();
  const headers = new Headers({
    'content-type': input.contentType,
    'cache-control': config ? config.cache[input.kind] : DEFAULT_CACHE_CONTROL[input.kind],
    etag: input.etag,
  });
  if (input.lastModified) headers.set('last-modified', input.lastModified);
  if (input.contentType.startsWith('text/html')) applyHtmlSecurityHeaders(headers, config?.csp);
  else headers.set('x-content-type-options', 'nosniff');
  // Server-Timing is set after the body is produced, so it includes render time.
  if (input.timing) headers.set('server-timing', input.timing.toString());
  if (notModifiedNow) return notModified(headers);
  return new Response(request.method === 'HEAD' ? null : (body as string), { status, headers });
}

export function strongEtag(...parts: (string | number)[]): string {
  return `"${parts.join('.')}"`;
}
