import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, env, imageResponse, PNG, scriptUpstream, subPath, uniqueImageUrl } from './helpers';

afterEach(() => vi.restoreAllMocks());

describe('image route isolate memory', () => {
  it('keeps a hot image in memory after its first cache hit, with identical bytes and headers', async () => {
    const bindings = { ...env, HOT_CACHE_MS: '1000' } as Env;
    const spy = scriptUpstream(() => imageResponse());
    const path = subPath(uniqueImageUrl());
    const miss = await call(path, undefined, bindings);
    await miss.res.arrayBuffer();
    await miss.settle();
    const edgeHit = await call(path, undefined, bindings);
    expect(edgeHit.res.headers.get('server-timing')).toBe('cache;desc="hit"');
    expect(new Uint8Array(await edgeHit.res.arrayBuffer())).toEqual(PNG);
    const memoryHit = await call(path, undefined, bindings);
    expect(memoryHit.res.headers.get('server-timing')).toBe('cache;desc="hit", mem;desc="hit"');
    expect(new Uint8Array(await memoryHit.res.arrayBuffer())).toEqual(PNG);
    for (const h of ['content-type', 'cache-control', 'content-security-policy', 'x-content-type-options']) {
      expect(memoryHit.res.headers.get(h)).toBe(edgeHit.res.headers.get(h));
    }
    const head = await call(path, { method: 'HEAD' }, bindings);
    expect(head.res.status).toBe(200);
    expect(await head.res.text()).toBe('');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('answers conditional requests from memory with 304', async () => {
    const bindings = { ...env, HOT_CACHE_MS: '1000' } as Env;
    const spy = scriptUpstream(() => imageResponse({ headers: { etag: '"m1"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' } }));
    const path = subPath(uniqueImageUrl());
    for (let i = 0; i < 2; i++) {
      const r = await call(path, undefined, bindings);
      await r.res.arrayBuffer();
      await r.settle();
    }
    const inm = await call(path, { headers: { 'if-none-match': 'W/"m1"' } }, bindings);
    expect(inm.res.status).toBe(304);
    expect(inm.res.headers.get('etag')).toBe('"m1"');
    expect(inm.res.headers.get('server-timing')).toContain('mem;desc="hit"');
    const ims = await call(path, { headers: { 'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT' } }, bindings);
    expect(ims.res.status).toBe(304);
    const miss = await call(path, { headers: { 'if-none-match': '"other"' } }, bindings);
    expect(miss.res.status).toBe(200);
    expect(new Uint8Array(await miss.res.arrayBuffer())).toEqual(PNG);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('does not use memory when HOT_CACHE_MS is 0', async () => {
    scriptUpstream(() => imageResponse());
    const path = subPath(uniqueImageUrl());
    for (let i = 0; i < 3; i++) {
      const r = await call(path);
      expect(r.res.headers.get('server-timing') ?? '').not.toContain('mem;');
      await r.res.arrayBuffer();
      await r.settle();
    }
  });
});
