/**
 * Rendered output kept in the edge cache (Cache API) under a key that contains the content's
 * version, so an updated article is simply a new key: no purge, and a repeat request does no
 * linkedom work. The key lives under a reserved path of the request's own origin, which is what
 * the Cache API on a Cloudflare zone accepts.
 */

export const RENDER_CACHE_TTL = 7 * 24 * 3600;

export function renderCacheKey(requestUrl: string, parts: string[]): Request {
  const url = new URL(requestUrl);
  return new Request(`${url.origin}/__render/${parts.map(encodeURIComponent).join('/')}`);
}

export interface CachedBody {
  body: string;
  hit: boolean;
  /** Milliseconds spent producing the body on a miss. */
  renderMs: number | null;
}

/**
 * Returns the cached body for `key`, or produces, stores (in the background) and returns it.
 * A failing cache never fails the request: the body is produced instead.
 */
export async function cachedBody(
  key: Request,
  produce: () => string,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<CachedBody> {
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  if (cache) {
    try {
      const hit = await cache.match(key);
      if (hit) return { body: await hit.text(), hit: true, renderMs: null };
    } catch {
      // Fall through to rendering.
    }
  }
  const start = performance.now();
  const body = produce();
  const renderMs = performance.now() - start;
  if (cache) {
    const stored = new Response(body, {
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': `public, max-age=${RENDER_CACHE_TTL}` },
    });
    waitUntil(cache.put(key, stored).catch(() => undefined));
  }
  return { body, hit: false, renderMs };
}
