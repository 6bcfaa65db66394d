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
