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
import { renderVersion } from '../render/render-version.js';
import type { AppContext } from '../routes/app-env.js';
import { CorruptValueError } from '../store/article-store.js';
import type { CacheKind } from './cache-policy.js';
import { isNotModified, notModified } from './conditional.js';
import { type Produced, cachedBody, findLastGood, renderCacheKey } from './edge-cache.js';
import { type HotEntry, hotKey, pageHotCache } from './hot-cache.js';
import { respond } from './respond.js';
import { ServerTiming } from './server-timing.js';

export interface Versioned {
  etag: string;
  lastModified: string | null;
  /** Render-cache key parts; must contain every version the body depends on. */
  cacheKey: string[];
  /** Builds the body on an edge-cache miss (it may read more from KV, e.g. a feed's articles). */
  produce: () => Produced | Promise<Produced>;
}

export interface VersionedRoute {
  kind: CacheKind;
  contentType: string;
  /** Reads KV; throws HTTPException (404, 400) for requests that name nothing. */
  load: () => Promise<Versioned>;
}

const encoder = new TextEncoder();

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

/** Answers from the isolate's memory: no KV read, no cache lookup, no rendering. */
function fromMemory(request: Request, hot: HotEntry, timing: ServerTiming): Response {
  timing.add('kv', 0);
  timing.cache('hit');
  const headers = new Headers(hot.headers);
  headers.set('server-timing', `${timing.toString()}, mem;desc="hit"`);
  if (isNotModified(request.headers, { etag: hot.etag, lastModified: hot.lastModified })) return notModified(headers);
  return new Response(request.method === 'HEAD' ? null : hot.body, { status: hot.status, headers });
}

export async function serveVersioned(c: AppContext, route: VersionedRoute): Promise<Response> {
  const config = getConfig(c.env);
  if (config.hotCacheMs <= 0) return serveFromStore(c, route, null);
  // Keyed by configuration too: a response depends on it (one config per deployment in practice).
  const memoryKey = `${renderVersion(config)}|${hotKey(c.req.url)}`;
  const hot = pageHotCache.lookup(memoryKey);
  if (hot?.fresh) return answerFromMemory(c.req.raw, hot.entry);
  if (!pageHotCache.claimRefresh(memoryKey)) {
    // Another request is refreshing this URL: answer from the previous copy meanwhile.
    if (hot) return answerFromMemory(c.req.raw, hot.entry);
  }
  try {
    return await serveFromStore(c, route, memoryKey);
  } catch (error) {
    // Remember "nothing here" briefly too, so a flood of requests for a missing page does not
    // become a flood of KV reads.
    if (error instanceof HTTPException && error.status === 404) {
      pageHotCache.set(memoryKey, { status: 404, headers: [], body: '', etag: null, lastModified: null }, config.hotCacheMs);
    }
    throw error;
  } finally {
    pageHotCache.releaseRefresh(memoryKey);
  }
}

function answerFromMemory(request: Request, entry: HotEntry): Response {
  if (entry.status === 404) throw new HTTPException(404);
  return fromMemory(request, entry, new ServerTiming());
}

async function serveFromStore(c: AppContext, route: VersionedRoute, memoryKey: string | null): Promise<Response> {
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
  let produced: string | null = null;
  const response = await respond(c.req.raw, config, {
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
      produced = rendered.body;
      return rendered.body;
    },
  });
  if (memoryKey !== null && produced !== null && response.status === 200) {
    const headers = [...response.headers].filter(([name]) => name !== 'server-timing');
    // Stored encoded: a memory hit then hands workerd bytes, with no per-request UTF-8 encoding
    // of a large string (that garbage made GC pauses under load).
    const bytes = encoder.encode(produced).buffer as ArrayBuffer;
    pageHotCache.set(memoryKey, { status: 200, headers, body: bytes, etag: v.etag, lastModified: v.lastModified }, config.hotCacheMs);
  }
  return response;
}
