import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, cached, imageResponse, PNG, scriptUpstream, subPath, uniqueImageUrl } from './helpers';

afterEach(() => vi.restoreAllMocks());

const ETAG = '"v1"';
const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';

function upstreamWithValidators() {
  return scriptUpstream(() => imageResponse({ headers: { etag: ETAG, 'last-modified': LAST_MODIFIED } }));
}

function withoutVolatile(headers: Headers, drop: string[]): [string, string][] {
  return [...headers].filter(([name]) => !drop.includes(name));
}

describe('image route edge caching', () => {
  it('serves a miss from upstream, with the image headers and a miss timing', async () => {
    const spy = scriptUpstream(() => imageResponse());
    const path = subPath(uniqueImageUrl());
    const { res, settle } = await call(path);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(PNG.byteLength));
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('server-timing')).toMatch(/^cache;desc="miss", upstream;dur=\d+$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    await settle();
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('answers a second request from the cache without reaching upstream', async () => {
    const spy = scriptUpstream(() => imageResponse());
    const path = subPath(uniqueImageUrl());
    const first = await call(path);
    await first.res.arrayBuffer();
    await first.settle();

    const second = await call(path);
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('server-timing')).toBe('cache;desc="hit"');
    expect(second.res.headers.get('content-type')).toBe('image/png');
    expect(second.res.headers.get('content-length')).toBe(String(PNG.byteLength));
    expect(second.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(new Uint8Array(await second.res.arrayBuffer())).toEqual(PNG);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('caches even when the client never reads the body (the cache copy does not wait for the client)', async () => {
    const spy = scriptUpstream(() => imageResponse());
    const path = subPath(uniqueImageUrl());
    await (await call(path)).settle();
    expect((await cached(path))?.status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('ignores the query string: same cache entry, same upstream URL', async () => {
    const url = uniqueImageUrl();
    const spy = scriptUpstream(() => imageResponse());
    const path = subPath(url);
    const first = await call(`${path}?u=http://evil.example.net/x.png`);
    expect(first.res.status).toBe(200);
    await first.res.arrayBuffer();
    await first.settle();
    const second = await call(path);
    expect(second.res.headers.get('server-timing')).toBe('cache;desc="hit"');
    expect(spy).toHaveBeenCalledTimes(1);
    expect((spy.mock.calls[0]?.[0] as Request).url).toBe(url);
  });

  it('answers HEAD with the headers of GET and no body, on a miss and on a hit', async () => {
    scriptUpstream(() => imageResponse({ headers: { etag: ETAG } }));
    const getMiss = await call(subPath(uniqueImageUrl()));
    const headPath = subPath(uniqueImageUrl());
    const headMiss = await call(headPath, { method: 'HEAD' });
    expect(headMiss.res.status).toBe(200);
    expect(await headMiss.res.text()).toBe('');
    expect(withoutVolatile(headMiss.res.headers, ['server-timing'])).toEqual(
      withoutVolatile(getMiss.res.headers, ['server-timing']),
    );
    await getMiss.res.arrayBuffer();
    await getMiss.settle();
    await headMiss.settle();

    // The HEAD filled the cache: both methods now hit, with the same headers.
    const headHit = await call(headPath, { method: 'HEAD' });
    const getHit = await call(headPath);
    expect(headHit.res.headers.get('server-timing')).toBe('cache;desc="hit"');
    expect(await headHit.res.text()).toBe('');
    expect(withoutVolatile(headHit.res.headers, ['age', 'date'])).toEqual(withoutVolatile(getHit.res.headers, ['age', 'date']));
    expect(headHit.res.headers.get('content-length')).toBe(String(PNG.byteLength));
    expect(new Uint8Array(await getHit.res.arrayBuffer())).toEqual(PNG);
  });

  it('passes ETag and Last-Modified through (Last-Modified as an IMF-fixdate)', async () => {
    scriptUpstream(() => imageResponse({ headers: { etag: 'W/"abc"', 'last-modified': 'Wednesday, 21-Oct-15 07:28:00 GMT' } }));
    const { res } = await call(subPath(uniqueImageUrl()));
    expect(res.headers.get('etag')).toBe('W/"abc"');
    expect(res.headers.get('last-modified')).toBe(LAST_MODIFIED);
  });

  it('drops a malformed upstream ETag', async () => {
    scriptUpstream(() => imageResponse({ headers: { etag: 'no-quotes' } }));
    const { res } = await call(subPath(uniqueImageUrl()));
    expect(res.headers.get('etag')).toBeNull();
  });
});

describe('conditional requests', () => {
  const later = 'Thu, 22 Oct 2015 07:28:00 GMT';
  const earlier = 'Tue, 20 Oct 2015 07:28:00 GMT';
  const cases: { name: string; headers: Record<string, string>; status: 200 | 304 }[] = [
    { name: 'If-None-Match with the current ETag', headers: { 'if-none-match': ETAG }, status: 304 },
    { name: 'If-None-Match with the weak form (weak comparison)', headers: { 'if-none-match': 'W/"v1"' }, status: 304 },
    { name: 'If-None-Match listing the ETag among others', headers: { 'if-none-match': '"a", "v1" ,"b"' }, status: 304 },
    { name: 'If-None-Match: *', headers: { 'if-none-match': '*' }, status: 304 },
    { name: 'If-None-Match with another ETag', headers: { 'if-none-match': '"v0"' }, status: 200 },
    { name: 'If-Modified-Since equal to Last-Modified', headers: { 'if-modified-since': LAST_MODIFIED }, status: 304 },
    { name: 'If-Modified-Since after Last-Modified', headers: { 'if-modified-since': later }, status: 304 },
    { name: 'If-Modified-Since before Last-Modified', headers: { 'if-modified-since': earlier }, status: 200 },
    { name: 'If-Modified-Since that is not a date', headers: { 'if-modified-since': 'yesterday-ish' }, status: 200 },
    {
      name: 'a non-matching If-None-Match even with a satisfied If-Modified-Since (INM wins)',
      headers: { 'if-none-match': '"v0"', 'if-modified-since': later },
      status: 200,
    },
    {
      name: 'a matching If-None-Match even with an unsatisfied If-Modified-Since (INM wins)',
      headers: { 'if-none-match': ETAG, 'if-modified-since': earlier },
      status: 304,
    },
  ];

  for (const mode of ['miss', 'hit'] as const) {
    describe(`on a cache ${mode}`, () => {
      it.each(cases)('$name → $status', async ({ headers, status }) => {
        const spy = upstreamWithValidators();
        const path = subPath(uniqueImageUrl());
        if (mode === 'hit') {
          const prime = await call(path);
          await prime.res.arrayBuffer();
          await prime.settle();
        }
        const { res, settle } = await call(path, { headers });
        expect(res.status).toBe(status);
        expect(res.headers.get('server-timing')).toMatch(mode === 'hit' ? /^cache;desc="hit"$/ : /^cache;desc="miss"/);
        expect(res.headers.get('etag')).toBe(ETAG);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        if (status === 304) {
          expect(await res.text()).toBe('');
          expect(res.headers.get('content-type')).toBeNull();
        } else {
          expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
        }
        await settle();
        expect(spy).toHaveBeenCalledTimes(1);
      });
    });
  }

  it('a 304 on a miss still fills the cache for the next GET', async () => {
    const spy = upstreamWithValidators();
    const path = subPath(uniqueImageUrl());
    const conditional = await call(path, { headers: { 'if-none-match': ETAG } });
    expect(conditional.res.status).toBe(304);
    await conditional.settle();
    const next = await call(path);
    expect(next.res.status).toBe(200);
    expect(next.res.headers.get('server-timing')).toBe('cache;desc="hit"');
    expect(new Uint8Array(await next.res.arrayBuffer())).toEqual(PNG);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('without validators, conditionals never produce a 304', async () => {
    scriptUpstream(() => imageResponse());
    const { res } = await call(subPath(uniqueImageUrl()), {
      headers: { 'if-none-match': '"v1"', 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' },
    });
    expect(res.status).toBe(200);
  });
});
