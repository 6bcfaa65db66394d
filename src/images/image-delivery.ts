/**
 * Turning an upstream image or a cached entry into the client's response: 200 streamed (a tee
 * feeds the cache in the background), 304 for a current conditional request, or headers only
 * for HEAD. With no background runner (no ExecutionContext) nothing is cached.
 *
 * A fresh body goes through guardedBody (size cap, declared length, the fetch's deadline): when
 * it is cut, the client's stream errors (the connection is cut, never a short body ending like a
 * whole one) and the cache branch stores nothing.
 */
import type { Deadline } from './deadline';
import { guardedBody } from './image-body';
import type { HotEntry } from '../http/hot-cache';
import { isNotModified } from '../http/conditional';
import { storeCachedImage } from './image-cache';
import { imageErrorResponse } from './image-errors';
import { imageHeaders, notModifiedHeaders, serverTiming, validatorsOf } from './image-response-headers';

export type Background = ((work: Promise<unknown>) => void) | null;

function withHeader(headers: Headers, name: string, value: string): Headers {
  const copy = new Headers(headers);
  copy.set(name, value);
  return copy;
}

/** Client response for an entry found in the cache (a 200 image or a 5-minute 404). */
export function deliverCached(request: Request, cached: Response): Response {
  const headers = withHeader(cached.headers, 'server-timing', serverTiming(true));
  headers.delete('cf-cache-status');
  if (cached.status === 200 && isNotModified(request.headers, validatorsOf(headers))) {
    cached.body?.cancel().catch(() => {});
    return new Response(null, { status: 304, headers: notModifiedHeaders(headers) });
  }
  if (request.method === 'HEAD') {
    cached.body?.cancel().catch(() => {});
    return new Response(null, { status: cached.status, headers });
  }
  return new Response(cached.body, { status: cached.status, headers });
}

const MEMORY_TIMING = `${serverTiming(true)}, mem;desc="hit"`;

/**
 * A memory copy of a cached 200 image, with its final response headers built once, so a hit
 * only constructs the Response (the steady state of a popular image).
 */
export function memoryEntry(cachedHeaders: Headers, body: ArrayBuffer): HotEntry {
  const headers = withHeader(cachedHeaders, 'server-timing', MEMORY_TIMING);
  headers.delete('cf-cache-status');
  const { etag, lastModified } = validatorsOf(headers);
  return { status: 200, headers: [...headers], body, etag, lastModified };
}

export function deliverFromMemory(request: Request, hot: HotEntry): Response {
  const conditional = request.headers.has('if-none-match') || request.headers.has('if-modified-since');
  if (conditional && isNotModified(request.headers, { etag: hot.etag, lastModified: hot.lastModified })) {
    return new Response(null, { status: 304, headers: notModifiedHeaders(new Headers(hot.headers)) });
  }
  return new Response(request.method === 'HEAD' ? null : hot.body, { status: hot.status, headers: hot.headers });
}

export interface FreshImage {
  request: Request;
  upstream: Response;
  contentType: string;
  contentLength: number | null;
  maxBytes: number;
  /** The deadline the upstream fetch started; the body must end before it passes. */
  deadline: Deadline;
  cacheKey: string;
  upstreamMs: number;
  background: Background;
}

/** Client response for a 200 image just fetched from upstream. */
export function deliverFresh(image: FreshImage): Response {
  const stored = imageHeaders(image.upstream.headers, image.contentType, image.contentLength);
  const headers = withHeader(stored, 'server-timing', serverTiming(false, image.upstreamMs));
  const body = guardedBody(image.upstream.body, {
    maxBytes: image.maxBytes,
    expectedLength: image.contentLength,
    deadline: image.deadline,
  });
  const notModified = isNotModified(image.request.headers, validatorsOf(headers));

  if (notModified || image.request.method === 'HEAD') {
    // The client gets no body; the upstream body still fills the cache for the next GET.
    if (image.background) image.background(storeCachedImage(image.cacheKey, new Response(body, { headers: stored })));
    else body.cancel().catch(() => {});
    return notModified
      ? new Response(null, { status: 304, headers: notModifiedHeaders(headers) })
      : new Response(null, { status: 200, headers });
  }
  if (!image.background) return new Response(body, { status: 200, headers });
  const [toClient, toCache] = body.tee();
  image.background(storeCachedImage(image.cacheKey, new Response(toCache, { headers: stored })));
  return new Response(toClient, { status: 200, headers });
}

/** Client response for an upstream 404/410, also cached (for five minutes) on GET/HEAD. */
export function deliverUpstreamNotFound(cacheKey: string, upstreamMs: number, background: Background): Response {
  if (background) background(storeCachedImage(cacheKey, imageErrorResponse('upstream-not-found')));
  return imageErrorResponse('upstream-not-found', serverTiming(false, upstreamMs));
}
