/**
 * Rendered output kept in the edge cache (Cache API) under a key that contains the content's
 * version, so an updated article is simply a new key: no purge, and a repeat request does no
 * linkedom work. Keys live under a reserved path of the request's own origin, which is what the
 * Cache API on a Cloudflare zone accepts.
 *
 * Beside the versioned entry, the newest rendering of each URL is kept as its "last good" copy:
 * when KV fails, that is what we serve (RFC 5861 stale-if-error, done by the Worker itself).
 */

export const RENDER_CACHE_TTL = 7 * 24 * 3600;

type WaitUntil = (p: Promise<unknown>) => void;

function edgeCache(): Cache | null {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default ?? null;
}

export function renderCacheKey(requestUrl: string, parts: string[]): Request {
  const url = new URL(requestUrl);
  return new Request(`${url.origin}/__render/${parts.map(encodeURIComponent).join('/')}`);
}

/** The last-good key of a URL: path and query, nothing that varies with the article version. */
export function lastGoodKey(requestUrl: string): Request {
  const url = new URL(requestUrl);
  return new Request(`${url.origin}/__last-good${url.pathname}${url.search}`);
}

/**
 * What a producer returns: the body, or the body plus `cacheable: false` when it was built from
 * incomplete data (an article missing while KV replicas catch up): serve it, but do not store it,
 * since its key only changes with the next upload.
 */
export type Produced = string | { body: string; cacheable: boolean };

export interface CachedBody {
  body: string;
  hit: boolean;
  /** Milliseconds spent producing the body on a miss. */
  renderMs: number | null;
  /** False for a degraded body: served once, stored nowhere. */
  cacheable: boolean;
}

async function put(key: Request, body: string, headers: Record<string, string>, waitUntil: WaitUntil) {
  const cache = edgeCache();
  if (!cache) return;
  const stored = new Response(body, {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': `public, max-age=${RENDER_CACHE_TTL}`, ...headers },
  });
  waitUntil(cache.put(key, stored).catch(() => undefined));
}

/**
 * Returns the cached body for `key`, or produces, stores (in the background) and returns it.
 * A failing cache never fails the request: the body is produced instead. On a miss the body is
 * also stored as the URL's last-good copy, with its validators, for `serveLastGood`.
 */
export async function cachedBody(
  key: Request,
  produce: () => Produced | Promise<Produced>,
  waitUntil: WaitUntil,
  lastGood?: { requestUrl: string; etag: string; lastModified: string | null },
): Promise<CachedBody> {
  const cache = edgeCache();
  if (cache) {
    try {
      const hit = await cache.match(key);
      if (hit) return { body: await hit.text(), hit: true, renderMs: null, cacheable: true };
    } catch {
      // Fall through to rendering.
    }
  }
  const start = performance.now();
  const produced = await produce();
  const renderMs = performance.now() - start;
  const body = typeof produced === 'string' ? produced : produced.body;
  // A degraded body is never stored: not under the versioned key (which only changes with the
  // next upload) and not as the last good copy.
  if (typeof produced !== 'string' && !produced.cacheable) return { body, hit: false, renderMs, cacheable: false };
  await put(key, body, {}, waitUntil);
  if (lastGood) {
    const meta: Record<string, string> = { 'x-etag': lastGood.etag };
    if (lastGood.lastModified) meta['x-last-modified'] = lastGood.lastModified;
    await put(lastGoodKey(lastGood.requestUrl), body, meta, waitUntil);
  }
  return { body, hit: false, renderMs, cacheable: true };
}

export interface LastGood {
  body: string;
  etag: string | null;
  lastModified: string | null;
}

export async function findLastGood(requestUrl: string): Promise<LastGood | null> {
  const cache = edgeCache();
  if (!cache) return null;
  try {
    const hit = await cache.match(lastGoodKey(requestUrl));
    if (!hit) return null;
    return { body: await hit.text(), etag: hit.headers.get('x-etag'), lastModified: hit.headers.get('x-last-modified') };
  } catch {
    return null;
  }
}
