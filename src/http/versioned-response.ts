/**
 * The flow every KV-backed page and API response shares:
 *
 *   1. read what the response shows from KV (small, versioned values), timed as `kv`;
 *   2. derive a strong ETag from those versions; answer If-None-Match / If-Modified-Since with 304;
 *   3. otherwise take the body from the edge cache under a versioned key, or render and store it.
 *
 * When KV fails (throws or is slower than KV_TIMEOUT_MS) the URL's last good rendering is served
 * from the edge cache (stale-if-error); with none, a 503 with Retry-After. Corrupt values answer a
 * clean 500 and are logged; nothing internal reaches the client.
 */
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import type { AppContext } from '../routes/app-env.js';
import { CorruptValueError } from '../store/article-store.js';
import type { CacheKind } from './cache-policy.js';
import { cachedBody, findLastGood, renderCacheKey } from './edge-cache.js';
import { respond } from './respond.js';
import { ServerTiming } from './server-timing.js';

export interface Versioned {
  etag: string;
  lastModified: string | null;
  /** Render-cache key parts; must contain every version the body depends on. */
  cacheKey: string[];
  produce: () => string | Promise<string>;
}

export interface VersionedRoute {
  kind: CacheKind;
  contentType: string;
  /** Reads KV; throws HTTPException (404, 400) for requests that name nothing. */
  load: () => Promise<Versioned>;
}

export class KvUnavailableError extends Error {
  override name = 'KvUnavailableError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KvUnavailableError(`KV did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function serveVersioned(c: AppContext, route: VersionedRoute): Promise<Response> {
  const config = getConfig(c.env);
  const timing = new ServerTiming();
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  let v: Versioned;
  try {
    v = await timing.time('kv', () => withTimeout(route.load(), config.kvTimeoutMs));
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    if (error instanceof CorruptValueError) {
      console.error(`${c.req.path}: ${error.message}`);
      throw new HTTPException(500);
    }
    console.error(`${c.req.path}: KV unavailable: ${error instanceof Error ? error.message : String(error)}`);
    const last = await findLastGood(c.req.url);
    if (!last) throw new HTTPException(503);
    timing.cache('stale');
    return respond(c.req.raw, config, {
      kind: 'error',
      contentType: route.contentType,
      etag: last.etag ?? '"stale"',
      lastModified: last.lastModified,
      timing,
      body: last.body,
    });
  }
  return respond(c.req.raw, config, {
    kind: route.kind,
    contentType: route.contentType,
    etag: v.etag,
    lastModified: v.lastModified,
    timing,
    body: async () => {
      const rendered = await cachedBody(renderCacheKey(c.req.url, v.cacheKey), v.produce, waitUntil, {
        requestUrl: c.req.url,
        etag: v.etag,
        lastModified: v.lastModified,
      });
      if (rendered.renderMs !== null) timing.add('render', rendered.renderMs);
      timing.cache(rendered.hit ? 'hit' : 'miss');
      return rendered.body;
    },
  });
}
