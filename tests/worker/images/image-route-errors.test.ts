import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  call,
  cached,
  chunkedBody,
  env,
  imageResponse,
  PNG,
  redirect,
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

describe('one deadline (IMAGE_TIMEOUT_MS) for headers and body together', () => {
  // Fake timers: the deadline passes when the test advances the clock, never by waiting.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A body that sends `first`, then one byte every `everyMs` (fake) ms, like a trickling origin. */
  function tricklingBody(first: Uint8Array, total: number, everyMs: number): ReadableStream<Uint8Array> {
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 0) {
          sent = first.byteLength;
          controller.enqueue(first);
          return;
        }
        if (sent >= total) {
          controller.close();
          return;
        }
        await new Promise((r) => setTimeout(r, everyMs));
        sent += 1;
        controller.enqueue(new Uint8Array([7]));
      },
    });
  }

  it('no headers before the deadline → 504 no-store, and the fetch is aborted', async () => {
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
    const pending = call(path, undefined, { ...env, IMAGE_TIMEOUT_MS: '50' });
    await vi.advanceTimersByTimeAsync(50);
    const { res, settle } = await pending;
    expect(res.status).toBe(504);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image upstream timed out\n');
    expect(aborted).toBe(true);
    await settle();
    expect(await cached(path)).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('an origin that ignores the abort still gets its 504 when the deadline passes', async () => {
    scriptUpstream(() => new Promise<Response>((resolve) => setTimeout(() => resolve(imageResponse()), 500)));
    let answered = false;
    const pending = call(subPath(uniqueImageUrl()), undefined, { ...env, IMAGE_TIMEOUT_MS: '50' }).then((result) => {
      answered = true;
      return result;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const { res } = await pending;
    expect(answered).toBe(true);
    expect(res.status).toBe(504);
    await vi.advanceTimersByTimeAsync(500); // let the ignored upstream resolve; its body is released
  });

  it('the deadline counts across redirect hops', async () => {
    const original = uniqueImageUrl();
    const spy = scriptUpstream(async (request) => {
      await new Promise((r) => setTimeout(r, 30));
      return request.url === original ? redirect(`${original}?hop`) : imageResponse();
    });
    const pending = call(subPath(original), undefined, { ...env, IMAGE_TIMEOUT_MS: '50' });
    await vi.advanceTimersByTimeAsync(60);
    const { res } = await pending;
    expect(res.status).toBe(504);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('a body of unknown length still trickling at the deadline → 504, nothing cached (it is read whole before answering)', async () => {
    // Headers after 30 ms of a 100 ms deadline, then 1 byte per 20 ms of a 64-byte image.
    scriptUpstream(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return imageResponse({ body: tricklingBody(PNG.slice(0, 8), 64, 20) });
    });
    const path = subPath(uniqueImageUrl());
    let answered = false;
    const pending = call(path, undefined, { ...env, IMAGE_TIMEOUT_MS: '100' }).then((result) => {
      answered = true;
      return result;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const { res, settle } = await pending;
    expect(res.status).toBe(504);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image upstream timed out\n');
    await settle();
    expect(await cached(path)).toBeUndefined();
  });

  it('a declared Content-Length: streamed with that length, and the stream errors short of it at the deadline', async () => {
    scriptUpstream(async () => imageResponse({ body: tricklingBody(PNG.slice(0, 8), 64, 20), headers: { 'content-length': '64' } }));
    const path = subPath(uniqueImageUrl());
    const pending = call(path, undefined, { ...env, IMAGE_TIMEOUT_MS: '100' });
    await vi.advanceTimersByTimeAsync(0);
    const { res, settle } = await pending;
    expect(res.headers.get('content-length')).toBe('64');
    const reader = res.body!.getReader();
    let received = 0;
    const drained = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'complete';
        received += value.byteLength;
      }
    })();
    drained.catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    await expect(drained).rejects.toThrow('deadline');
    expect(received).toBeLessThan(64);
    await settle();
    expect(await cached(path)).toBeUndefined();
  });

  it('a body that ends within the deadline is served whole and cached', async () => {
    scriptUpstream(async () => imageResponse({ body: tricklingBody(PNG.slice(0, 8), 12, 10) }));
    const path = subPath(uniqueImageUrl());
    const pending = call(path, undefined, { ...env, IMAGE_TIMEOUT_MS: '100' });
    await vi.advanceTimersByTimeAsync(50); // 4 more bytes at one per 10 ms: read whole, then answered
    const { res, settle } = await pending;
    expect(res.headers.get('content-length')).toBe('12');
    expect((await res.arrayBuffer()).byteLength).toBe(12);
    await settle();
    const entry = await cached(path);
    expect(entry?.status).toBe(200);
    expect(entry?.headers.get('content-length')).toBe('12');
    await entry?.body?.cancel();
  });
});

describe('size cap while streaming', () => {
  it('a body without Content-Length that exceeds the cap → 502 image too large, and is not cached', async () => {
    // Read whole before answering: workerd would end a chunked 200 cleanly however it was cut.
    scriptUpstream(() => imageResponse({ body: chunkedBody(5000) }));
    const path = subPath(uniqueImageUrl());
    const { res, settle } = await call(path, undefined, { ...env, IMAGE_MAX_BYTES: '1000' });
    expect(res.status).toBe(502);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image too large\n');
    await settle();
    expect(await cached(path)).toBeUndefined();
  });

  it('a body shorter than its Content-Length: the stream errors, nothing is cached', async () => {
    const short = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(PNG.slice(0, 8));
        controller.close();
      },
    });
    scriptUpstream(() => imageResponse({ body: short, headers: { 'content-length': '16' } }));
    const path = subPath(uniqueImageUrl());
    const { res, settle } = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('16');
    await expect(res.arrayBuffer()).rejects.toThrow();
    await settle();
    expect(await cached(path)).toBeUndefined();
  });

  it('a body without Content-Length within the cap is served whole and cached', async () => {
    scriptUpstream(() => imageResponse({ body: chunkedBody(1000) }));
    const path = subPath(uniqueImageUrl());
    const { res, settle } = await call(path, undefined, { ...env, IMAGE_MAX_BYTES: '1000' });
    expect(res.headers.get('content-length')).toBe('1000');
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

  it('a Content-Encoding response is sent with its decoded length, not the encoded one', async () => {
    scriptUpstream(() => imageResponse({ type: 'image/svg+xml', body: '<svg/>', headers: { 'content-encoding': 'gzip', 'content-length': '3' } }));
    const { res } = await call(subPath(uniqueImageUrl('svg')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('6');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('<svg/>');
  });
});

describe('route-level errors', () => {
  it('a missing signing key → 500 "server misconfigured", one log line for many requests, nothing fetched', async () => {
    const spy = scriptUpstream(() => imageResponse());
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (let i = 0; i < 3; i++) {
      const { res } = await call(subPath(uniqueImageUrl()), undefined, { ...env, IMAGE_SIGNING_KEY: '' });
      expect(res.status).toBe(500);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toBe('server misconfigured\n');
    }
    expect(log.mock.calls).toEqual([
      [
        'server misconfigured: IMAGE_SIGNING_KEY is not set: set a long random value with `npx wrangler secret put IMAGE_SIGNING_KEY` (for local development, `npm run dev` creates .dev.vars)',
      ],
    ]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('the public development key on a non-local SITE_URL → 500, even for a URL it signed, and nothing fetched', async () => {
    const spy = scriptUpstream(() => imageResponse());
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const devKey = 'dev-only-insecure-image-signing-key';
    // Signed while local (e.g. copied from a development page), requested from the public site.
    const path = subPath(uniqueImageUrl(), devKey);
    const { res } = await call(path, undefined, { ...env, IMAGE_SIGNING_KEY: devKey, SITE_URL: 'https://news.example.com' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('server misconfigured\n');
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]?.[0])).toContain('SITE_URL (https://news.example.com) is not a local origin');
    expect(spy).not.toHaveBeenCalled();
  });

  it('the development key on a local SITE_URL serves images', async () => {
    const devKey = 'dev-only-insecure-image-signing-key';
    scriptUpstream(() => imageResponse());
    const { res } = await call(subPath(uniqueImageUrl(), devKey), undefined, { ...env, IMAGE_SIGNING_KEY: devKey, SITE_URL: 'http://127.0.0.1:8790' });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
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
