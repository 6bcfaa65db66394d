import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  call,
  cached,
  chunkedBody,
  env,
  imageResponse,
  PNG,
  scriptUpstream,
  subPath,
  uniqueImageUrl,
} from './helpers';

afterEach(() => vi.restoreAllMocks());

function expectShortPlainText(res: Response, body: string) {
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(body.length).toBeLessThan(80);
  expect(body).not.toMatch(/\bat \S+:\d|stack|secret|traceback|econn/i);
}

describe('upstream 404/410', () => {
  it.each([404, 410])('upstream %i → 404 cached for five minutes, never a year', async (status) => {
    const spy = scriptUpstream(() => new Response('<h1>Not Found</h1> secret internals', { status }));
    const path = subPath(uniqueImageUrl());
    const first = await call(path);
    expect(first.res.status).toBe(404);
    expect(first.res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = await first.res.text();
    expect(body).toBe('image not found\n');
    expectShortPlainText(first.res, body);
    await first.settle();

    const entry = await cached(path);
    expect(entry?.status).toBe(404);
    expect(entry?.headers.get('cache-control')).toBe('public, max-age=300');
    await entry?.body?.cancel();

    const second = await call(path);
    expect(second.res.status).toBe(404);
    expect(second.res.headers.get('server-timing')).toBe('cache;desc="hit"');
    expect(second.res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('upstream failures → 502 no-store, never cached', () => {
  const cases: { name: string; upstream: () => Response; message: string }[] = [
    { name: 'upstream 500', upstream: () => new Response('Traceback: secret', { status: 500 }), message: 'image upstream error' },
    { name: 'upstream 503', upstream: () => new Response('down', { status: 503 }), message: 'image upstream error' },
    { name: 'upstream 403 (hotlink protection)', upstream: () => new Response('no', { status: 403 }), message: 'image upstream error' },
    { name: 'upstream 400', upstream: () => new Response('bad', { status: 400 }), message: 'image upstream error' },
    { name: 'upstream 429', upstream: () => new Response('slow down', { status: 429 }), message: 'image upstream error' },
    { name: 'upstream 204', upstream: () => new Response(null, { status: 204 }), message: 'image upstream error' },
    { name: 'upstream 304 (never asked for)', upstream: () => new Response(null, { status: 304 }), message: 'image upstream error' },
    {
      name: 'HTML disguised as an image',
      upstream: () => imageResponse({ type: 'text/html; charset=utf-8', body: '<script>alert(1)</script>' }),
      message: 'upstream did not return an image',
    },
    {
      name: 'JSON',
      upstream: () => imageResponse({ type: 'application/json', body: '{"error":"secret"}' }),
      message: 'upstream did not return an image',
    },
    {
      name: 'a missing content type',
      upstream: () => new Response(PNG, { headers: { 'content-type': '' } }),
      message: 'upstream did not return an image',
    },
    {
      name: 'a content type that only mentions image',
      upstream: () => imageResponse({ type: 'text/plain; x=image/png' }),
      message: 'upstream did not return an image',
    },
    {
      name: 'a declared Content-Length over the cap',
      upstream: () => imageResponse({ body: chunkedBody(2000), headers: { 'content-length': '2000' } }),
      message: 'image too large',
    },
  ];

  it.each(cases)('$name → 502', async ({ upstream, message }) => {
    const spy = scriptUpstream(upstream);
    const path = subPath(uniqueImageUrl('jpg'));
    const { res, settle } = await call(path, undefined, { ...env, IMAGE_MAX_BYTES: '1000' });
    expect(res.status).toBe(502);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(body).toBe(`${message}\n`);
    expectShortPlainText(res, body);
    expect(res.headers.get('server-timing')).toMatch(/^cache;desc="miss", upstream;dur=\d+$/);
    await settle();
    expect(await cached(path)).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('a network error → 502 without the error text', async () => {
    scriptUpstream(() => {
      throw new TypeError('connect ECONNREFUSED 10.1.2.3:80 secret');
    });
    const { res } = await call(subPath(uniqueImageUrl()));
    expect(res.status).toBe(502);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image upstream unreachable\n');
  });
});

describe('timeouts', () => {
  it('an upstream slower than IMAGE_TIMEOUT_MS → 504 no-store, and the fetch is aborted', async () => {
    let aborted = false;
    const spy = scriptUpstream(
      (request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => {
            aborted = true;
            reject(request.signal.reason);
          });
        }),
    );
    const path = subPath(uniqueImageUrl());
    const started = Date.now();
    const { res, settle } = await call(path, undefined, { ...env, IMAGE_TIMEOUT_MS: '50' });
    expect(res.status).toBe(504);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image upstream timed out\n');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(aborted).toBe(true);
    await settle();
    expect(await cached(path)).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('an upstream that ignores the abort still gets a 504 in time', async () => {
    scriptUpstream(() => new Promise<Response>((resolve) => setTimeout(() => resolve(imageResponse()), 500)));
    const started = Date.now();
    const { res } = await call(subPath(uniqueImageUrl()), undefined, { ...env, IMAGE_TIMEOUT_MS: '50' });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('the timeout covers the headers only: a body that streams for longer still completes', async () => {
    // Like a real fetch, the body dies if the request's signal is aborted.
    const slowBody = (signal: AbortSignal) =>
      new ReadableStream<Uint8Array>({
        async start(controller) {
          signal.addEventListener('abort', () => controller.error(signal.reason));
          controller.enqueue(PNG.slice(0, 8));
          await new Promise((r) => setTimeout(r, 150));
          if (signal.aborted) return;
          controller.enqueue(PNG.slice(8));
          controller.close();
        },
      });
    scriptUpstream((request) => imageResponse({ body: slowBody(request.signal) }));
    const { res } = await call(subPath(uniqueImageUrl()), undefined, { ...env, IMAGE_TIMEOUT_MS: '50' });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });
});

describe('size cap while streaming', () => {
  it('a body without Content-Length that exceeds the cap errors the stream and is not cached', async () => {
    scriptUpstream(() => imageResponse({ body: chunkedBody(5000) }));
    const path = subPath(uniqueImageUrl());
    const { res, settle } = await call(path, undefined, { ...env, IMAGE_MAX_BYTES: '1000' });
    expect(res.status).toBe(200); // headers were sent before the overflow could be seen
    expect(res.headers.get('content-length')).toBeNull();
    await expect(res.arrayBuffer()).rejects.toThrow();
    await settle();
    expect(await cached(path)).toBeUndefined();
  });

  it('a body without Content-Length within the cap is served whole and cached', async () => {
    scriptUpstream(() => imageResponse({ body: chunkedBody(1000) }));
    const path = subPath(uniqueImageUrl());
    const { res, settle } = await call(path, undefined, { ...env, IMAGE_MAX_BYTES: '1000' });
    expect((await res.arrayBuffer()).byteLength).toBe(1000);
    await settle();
    expect((await cached(path))?.status).toBe(200);
  });

  it('a Content-Length equal to the cap is allowed', async () => {
    scriptUpstream(() => imageResponse({ body: new Uint8Array(1000) }));
    const { res } = await call(subPath(uniqueImageUrl()), undefined, { ...env, IMAGE_MAX_BYTES: '1000' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
    expect((await res.arrayBuffer()).byteLength).toBe(1000);
  });

  it('a Content-Encoding response keeps no (encoded) Content-Length', async () => {
    scriptUpstream(() => imageResponse({ type: 'image/svg+xml', body: '<svg/>', headers: { 'content-encoding': 'gzip', 'content-length': '3' } }));
    const { res } = await call(subPath(uniqueImageUrl('svg')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('content-encoding')).toBeNull();
  });
});

describe('route-level errors', () => {
  it('a missing signing key → 503 and nothing is fetched', async () => {
    const spy = scriptUpstream(() => imageResponse());
    const { res } = await call(subPath(uniqueImageUrl()), undefined, { ...env, IMAGE_SIGNING_KEY: '' });
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image route not configured\n');
    expect(spy).not.toHaveBeenCalled();
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s → 405 with Allow: GET, HEAD', async (method) => {
    const spy = scriptUpstream(() => imageResponse());
    const { res } = await call(subPath(uniqueImageUrl()), { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(spy).not.toHaveBeenCalled();
  });
});
