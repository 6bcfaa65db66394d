import { Hono } from 'hono';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, expect, it, vi } from 'vitest';
import { imageRoutePath } from '../../../src/images/image-url';
import { imageRoutes } from '../../../src/images/image-route';
import { env, imageResponse, KEY, scriptUpstream, SITE, uniqueImageUrl } from './helpers';

afterEach(() => vi.restoreAllMocks());

// The lead mounts the sub-app like this in src/index.ts.
const app = new Hono<{ Bindings: Env }>().route('/img', imageRoutes);

async function get(path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await app.request(`https://blog.example.org${path}`, init, env, ctx);
  return { res, settle: () => waitOnExecutionContext(ctx) };
}

it('serves imageRoutePath() URLs when mounted at /img, caching under https://<host>/img/…', async () => {
  const spy = scriptUpstream(() => imageResponse());
  const path = imageRoutePath(uniqueImageUrl(), KEY, SITE);
  const first = await get(path);
  expect(first.res.status).toBe(200);
  await first.res.arrayBuffer();
  await first.settle();
  const entry = await caches.default.match(new Request(`https://blog.example.org${path}`));
  expect(entry?.status).toBe(200);
  await entry?.body?.cancel();
  const second = await get(path);
  expect(second.res.headers.get('server-timing')).toBe('cache;desc="hit"');
  expect(spy).toHaveBeenCalledTimes(1);
});

it('keeps 404 for unknown paths and 405 for other methods under /img', async () => {
  const spy = scriptUpstream();
  const path = imageRoutePath(uniqueImageUrl(), KEY, SITE);
  expect((await get(`${path}/x`)).res.status).toBe(404);
  expect((await get('/img/')).res.status).toBe(404);
  expect((await get(path, { method: 'POST' })).res.status).toBe(405);
  expect(spy).not.toHaveBeenCalled();
});
