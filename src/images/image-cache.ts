/**
 * Edge cache for the image route (Cache API, `caches.default`). One GET key per image:
 * `https://<host>/img/<sig>/<payload>`, with no query string, so a query never makes a new entry.
 * Cache failures are never fatal: a failed lookup is a miss, a failed write is dropped.
 *
 * Only a complete body is ever stored: the body is read to its end first (it is at most
 * IMAGE_MAX_BYTES, image-body.ts) and put only if it ended cleanly. Handing cache.put() the
 * stream instead relied on the runtime refusing an errored body, and some do not (the Cache API
 * of workerd 2026-04-26 stores the part that arrived before the error).
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

/**
 * Stores `response` (status 200 or 404, our own headers) under `key` once its whole body has
 * arrived; stores nothing when the body errors (size cap, length mismatch, deadline, network).
 * Resolves either way, never rejects. Returns whether an entry was written.
 */
export async function storeCachedImage(key: string, response: Response): Promise<boolean> {
  const cache = edgeCache();
  if (!cache) {
    await response.body?.cancel().catch(() => {});
    return false;
  }
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch {
    return false; // a cut body: never cached
  }
  const headers = new Headers(response.headers);
  // The exact length of what is stored, whether or not the upstream declared one.
  headers.set('content-length', String(body.byteLength));
  headers.set(STORED_LENGTH, String(body.byteLength));
  try {
    await cache.put(new Request(key), new Response(body, { status: response.status, headers }));
    return true;
  } catch {
    return false;
  }
}
