/**
 * Builds a cacheable response: validators, Cache-Control, Server-Timing and, for GET/HEAD with a
 * matching If-None-Match / If-Modified-Since, a 304 with no body.
 */
import type { AppConfig } from '../config.js';
import type { CacheKind } from './cache-policy.js';
import { isNotModified, notModified } from './conditional.js';
import { applyHtmlSecurityHeaders } from './security-headers.js';
import type { ServerTiming } from './server-timing.js';

export interface CacheableBody {
  body: string;
  contentType: string;
  /** Strong entity-tag value including quotes, e.g. `"a.x1.r1"`. */
  etag: string;
  lastModified?: string | null;
  kind: CacheKind;
  status?: number;
  timing?: ServerTiming;
}

export function respond(request: Request, config: AppConfig, input: CacheableBody): Response {
  const headers = new Headers({
    'content-type': input.contentType,
    'cache-control': config.cache[input.kind],
    etag: input.etag,
  });
  if (input.lastModified) headers.set('last-modified', input.lastModified);
  if (input.timing) headers.set('server-timing', input.timing.toString());
  if (input.contentType.startsWith('text/html')) applyHtmlSecurityHeaders(headers, config);
  else headers.set('x-content-type-options', 'nosniff');
  const status = input.status ?? 200;
  if (status === 200 && (request.method === 'GET' || request.method === 'HEAD')) {
    if (isNotModified(request.headers, input.etag, input.lastModified ?? null)) return notModified(headers);
  }
  return new Response(request.method === 'HEAD' ? null : input.body, { status, headers });
}

export function strongEtag(...parts: (string | number)[]): string {
  return `"${parts.join('.')}"`;
}
