/** Shared scaffolding for the image-route tests: signed paths, scripted upstreams, cache access. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi, type MockInstance } from 'vitest';
import { imageRoutePath } from '../../../src/images/image-url';
import { imageRoutes } from '../../../src/images/image-route';
import { type Deadline, DeadlineExceededError } from '../../../src/images/deadline';

/** The signing key the test config binds (IMAGE_SIGNING_KEY = 'test-signing-key'). */
export const KEY: string = env.IMAGE_SIGNING_KEY!;
/** A local SITE_URL, with which any non-empty key may sign (the test config's own is local too). */
export const SITE = 'http://localhost:8787';
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

let counter = 0;
/** A URL no other test uses, so cache entries never leak between tests. */
export function uniqueImageUrl(ext = 'png', host = 'img.example.com'): string {
  counter += 1;
  return `https://${host}/t/${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2)}.${ext}`;
}

/** Route path as seen by the sub-app (the app mounts it at /img). */
export function subPath(originalUrl: string, key = KEY): string {
  return imageRoutePath(originalUrl, key, SITE).replace(/^\/img/, '');
}

/** The Cache API key the route uses for a sub-app path requested on http://localhost. */
export function cacheKeyOf(path: string): string {
  return `https://localhost/img${path.split('?')[0]}`;
}

export async function cached(path: string): Promise<Response | undefined> {
  return caches.default.match(new Request(cacheKeyOf(path)));
}

export interface Call {
  res: Response;
  /** Waits for background work (cache writes) to settle. */
  settle: () => Promise<void>;
}

/** Requests the sub-app directly, with a fresh ExecutionContext. */
export async function call(path: string, init?: RequestInit, bindings: Partial<Env> = env): Promise<Call> {
  const ctx = createExecutionContext();
  const res = await imageRoutes.request(path, init, bindings, ctx);
  return { res, settle: () => waitOnExecutionContext(ctx) };
}

export type FetchSpy = MockInstance<typeof fetch>;

/** Requests the spy received, as Request objects. */
export function upstreamRequests(spy: FetchSpy): Request[] {
  return spy.mock.calls.map(([input, init]) => (input instanceof Request ? input : new Request(String(input), init)));
}

/** Spies on fetch; every call is answered by `handler` (default: fail loudly, never the network). */
export function scriptUpstream(handler?: (request: Request) => Response | Promise<Response>): FetchSpy {
  const spy = vi.spyOn(globalThis, 'fetch') as FetchSpy;
  spy.mockImplementation(async (input, init) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    if (!handler) throw new Error(`unexpected upstream fetch: ${request.url}`);
    return handler(request);
  });
  return spy;
}

export function imageResponse(init: { type?: string; body?: BodyInit | null; headers?: Record<string, string>; status?: number } = {}): Response {
  const body = init.body === undefined ? PNG : init.body;
  const headers: Record<string, string> = { 'content-type': init.type ?? 'image/png', ...init.headers };
  if (body instanceof Uint8Array && !('content-length' in headers)) headers['content-length'] = String(body.byteLength);
  return new Response(body, { status: init.status ?? 200, headers });
}

export function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location } });
}

/** A body of `total` bytes in `chunk`-sized pieces, with no declared length. */
export function chunkedBody(total: number, chunk = 256): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(chunk, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(7));
    },
  });
}

export { env };

export interface ManualDeadline extends Deadline {
  /** Makes the deadline pass now. */
  expire(): void;
  readonly disposed: boolean;
  /** onExpire callbacks still subscribed. */
  listeners(): number;
}

/** A Deadline that passes only when the test says so (no timers involved). */
export function manualDeadline(): ManualDeadline {
  const controller = new AbortController();
  const callbacks = new Set<() => void>();
  let disposed = false;
  return {
    signal: controller.signal,
    get expired() {
      return controller.signal.aborted;
    },
    get disposed() {
      return disposed;
    },
    onExpire(callback) {
      if (controller.signal.aborted) {
        callback();
        return () => {};
      }
      callbacks.add(callback);
      return () => callbacks.delete(callback);
    },
    dispose() {
      disposed = true;
    },
    expire() {
      if (disposed || controller.signal.aborted) return;
      controller.abort(new DeadlineExceededError());
      for (const callback of [...callbacks]) callback();
      callbacks.clear();
    },
    listeners: () => callbacks.size,
  };
}
