/**
 * Turning an upstream image or a cached entry into the client's response: 200 (a copy of the
 * body feeds the cache in the background), 304 for a current conditional request, or headers only for HEAD.
 * With no background runner (no ExecutionContext) nothing is cached.
 *
 * A fresh body goes through guardedBody (size cap, declared length, the fetch's deadline), and a
 * client must never take a cut body for a whole one. workerd ends a chunked response cleanly
 * when its body stream errors (it writes the last chunk), so an image is never sent chunked:
 * - upstream declared its length: streamed through a FixedLengthStream, so the response carries
 *   that Content-Length and a cut body is a connection closed short of it (detectably
 *   incomplete);
 * - no declared length (chunked or content-encoded upstream): read whole first (it is at most
 *   IMAGE_MAX_BYTES), then a 200 with its exact length, or the error (502 too large, 504 timed
 *   out, 502 upstream error) when the body fails.
 * The cache stores only a body that ended cleanly (image-cache.ts).
 */
import type { Deadline } from './deadline';
import { DeadlineExceededError } from './deadline';
import { ByteLimitExceededError, guardedBody } from './image-body';
import type { HotEntry } from '../http/hot-cache';
import { isNotModified } from '../http/conditional';
import { storeCachedImage } from './image-cache';
import { type ImageErrorKind, imageErrorResponse } from './image-errors';
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

/** The error to answer for a body that failed before any of it was sent. */
export function bodyErrorKind(error: unknown): ImageErrorKind {
  if (error instanceof ByteLimitExceededError) return 'too-large';
  if (error instanceof DeadlineExceededError) return 'timeout';
  return 'upstream-error';
}

/** Concatenates chunks into one buffer. */
function concat(chunks: readonly Uint8Array[], total: number): ArrayBuffer {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out.buffer;
}

interface Relayed {
  /** For the client: exactly `length` bytes, or an error (the connection is cut short). */
  stream: ReadableStream<Uint8Array>;
  /** The whole body when it ended cleanly and `keepCopy` was asked for, else null. Never rejects. */
  copy: Promise<ArrayBuffer | null>;
}

/**
 * Relays `body` into a FixedLengthStream (Content-Length on the wire, never chunked) and, when
 * `keepCopy`, keeps the bytes for the cache. The body is read at the origin's pace, not the
 * client's: writes are queued (the body is at most IMAGE_MAX_BYTES, and the copy holds the same
 * chunks anyway), so the cache is filled even if the client stalls or goes away. One reader
 * loop instead of tee() + pipeTo(): in workerd 2026-04-26 that pair leaves an unhandled
 * rejection behind when the body errors.
 */
function relayWithLength(body: ReadableStream<Uint8Array>, length: number, keepCopy: boolean): Relayed {
  const fixed = new FixedLengthStream(length);
  const writer = fixed.writable.getWriter();
  const copy = (async (): Promise<ArrayBuffer | null> => {
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    let clientGone = false;
    const clientWent = () => {
      clientGone = true;
    };
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (keepCopy) {
          chunks.push(value);
          total += value.byteLength;
        } else if (clientGone) {
          await reader.cancel('client went away').catch(() => {});
          return null;
        }
        if (!clientGone) writer.write(value).catch(clientWent);
      }
      if (!clientGone) writer.close().catch(clientWent);
      return keepCopy ? concat(chunks, total) : null;
    } catch (error) {
      // The body failed (cap, length, deadline, network): the client's stream errors too.
      await writer.abort(error).catch(() => {});
      return null;
    }
  })();
  return { stream: fixed.readable as ReadableStream<Uint8Array>, copy };
}

/** Client response for a 200 image just fetched from upstream. */
export async function deliverFresh(image: FreshImage): Promise<Response> {
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
  if (image.contentLength === null) return deliverWhole(image, body, stored, headers);
  const relayed = relayWithLength(body, image.contentLength, image.background !== null);
  if (image.background) {
    const { cacheKey } = image;
    image.background(relayed.copy.then((bytes) => (bytes === null ? false : storeCachedImage(cacheKey, new Response(bytes, { headers: stored })))));
  } else {
    relayed.copy.catch(() => {});
  }
  return new Response(relayed.stream, { status: 200, headers });
}

/** A body of unknown length: read to its end (or failure) before answering. */
async function deliverWhole(image: FreshImage, body: ReadableStream<Uint8Array>, stored: Headers, headers: Headers): Promise<Response> {
  let bytes: ArrayBuffer;
  try {
    bytes = await new Response(body).arrayBuffer();
  } catch (error) {
    return imageErrorResponse(bodyErrorKind(error), serverTiming(false, image.upstreamMs));
  }
  const length = String(bytes.byteLength);
  if (image.background) {
    image.background(storeCachedImage(image.cacheKey, new Response(bytes.slice(0), { headers: withHeader(stored, 'content-length', length) })));
  }
  return new Response(bytes, { status: 200, headers: withHeader(headers, 'content-length', length) });
}

/** Client response for an upstream 404/410, also cached (for five minutes) on GET/HEAD. */
export function deliverUpstreamNotFound(cacheKey: string, upstreamMs: number, background: Background): Response {
  if (background) background(storeCachedImage(cacheKey, imageErrorResponse('upstream-not-found')));
  return imageErrorResponse('upstream-not-found', serverTiming(false, upstreamMs));
}
