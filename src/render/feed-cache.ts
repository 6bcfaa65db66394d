/**
 * The edge cache for feeds and sitemaps. Like cachedBody (src/http/edge-cache.ts), but the body is
 * produced asynchronously, because producing it means reading KV (20 articles for a feed, a shard
 * of up to 50,000 URLs for a sitemap): on a hit no KV read and no rendering happens at all.
 *
 * A body built from incomplete data (an article missing or corrupt, e.g. while KV replicas catch
 * up after an upload) is served but not stored: the key only changes with the next upload, so
 * storing it would pin the gap for that long.
 */
import { RENDER_CACHE_TTL } from '../http/edge-cache.js';

export interface ProducedBody {
  body: string;
  /** False when something was skipped: serve, but do not store. */
  cacheable: boolean;
}

export async function cachedAsyncBody(
  key: Request,
  produce: () => Promise<ProducedBody>,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<{ body: string; hit: boolean }> {
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  if (cache) {
    try {
      const hit = await cache.match(key);
      if (hit) return { body: await hit.text(), hit: true };
    } catch {
      // A failing cache never fails the request: produce the body instead.
    }
  }
  const { body, cacheable } = await produce();
  if (cache && cacheable) {
    const stored = new Response(body, {
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': `public, max-age=${RENDER_CACHE_TTL}` },
    });
    waitUntil(cache.put(key, stored).catch(() => undefined));
  }
  return { body, hit: false };
}
