/**
 * Edge cache for the image route (Cache API, `caches.default`). One GET key per image:
 * `https://<host>/img/<sig>/<payload>`, with no query string, so a query never makes a new entry.
 * Cache failures are never fatal: a failed lookup is a miss, a failed write is dropped (which is
 * how a body errored past the size cap stays out of the cache).
 */

/** The cache key URL for a verified route (sig and payload are canonical once verified). */
export function imageCacheKey(requestUrl: string, sig: string, payload: string): string {
  return `https://${new URL(requestUrl).host}/img/${sig}/${payload}`;
}

/**
 * Some Cache API implementations (miniflare's) drop Content-Length from stored entries; the
 * length is kept under this internal header and restored on a hit. Never sent to clients.
 */
const STORED_LENGTH = 'x-image-route-length';

function edgeCache(): Cache | null {
  return typeof caches === 'undefined' ? null : caches.default;
}

export async function matchCachedImage(key: string): Promise<Response | null> {
  let hit: Response | undefined;
  try {
    hit = await edgeCache()?.match(new Request(key));
  } catch {
    return null;
  }
  if (!hit) return null;
  const headers = new Headers(hit.headers);
  const length = headers.get(STORED_LENGTH);
  headers.delete(STORED_LENGTH);
  if (length !== null && /^\d+$/.test(length) && !headers.has('content-length')) headers.set('content-length', length);
  return new Response(hit.body, { status: hit.status, headers });
}

/** Stores `response` (status 200 or 404, our own headers) under `key`; resolves even on failure. */
export async function storeCachedImage(key: string, response: Response): Promise<void> {
  const cache = edgeCache();
  if (!cache) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const length = response.headers.get('content-length');
  const headers = new Headers(response.headers);
  if (length !== null) headers.set(STORED_LENGTH, length);
  try {
    await cache.put(new Request(key), new Response(response.body, { status: response.status, headers }));
  } catch {
    // e.g. the body errored past the size cap: nothing is stored.
  }
}
