/**
 * The flow every content response shares:
 *
 *   1. `load`: read what decides the response's version — small KV values (the index record, an
 *      article), timed as `kv`. Never D1: a conditional request and a render-cache hit need no
 *      query;
 *   2. the version (every input the body depends on, identity included) gives both the strong ETag
 *      and the render-cache key — one value, so no field can be in one and missing from the other;
 *      a matching If-None-Match / If-Modified-Since is answered 304 here, before any rendering;
 *   3. otherwise the body comes from the edge cache under that key, or `produce` builds it (D1
 *      queries timed as `db`, rendering as `render`) and it is stored — unless `produce` says it is
 *      degraded (built from incomplete data), which is served but never cached.
 *
 * When KV or D1 fails (throws, or is slower than KV_TIMEOUT_MS) the URL's last good rendering is
 * served from the edge cache (stale-if-error); with none, a 503 with Retry-After. Corrupt values
 * answer a clean 500 and are logged; nothing internal reaches the client.
 *
 * A per-isolate memory layer (hot-cache.ts) answers repeats for HOT_CACHE_MS, and collapses
 * concurrent misses for one URL into one load and render: the others wait for its result (or its
 * error, so a 404 is the same 404 for all of them).
 */
import { HTTPException } from 'hono/http-exception';
import { type AppConfig, ConfigError, runtimeSettings } from '../config.js';
import type { AppContext } from '../routes/app-env.js';
import { CorruptValueError } from '../store/article-store.js';
import { contentHash } from '../store/hash.js';
import type { CacheKind } from './cache-policy.js';
import { httpDate, isNotModified, notModified } from './conditional.js';
import { type Produced, cachedBody, findLastGood, renderCacheKey } from './edge-cache.js';
import { type HotEntry, hotKey, pageHotCache } from './hot-cache.js';
import { respond } from './respond.js';
import { ServerTiming } from './server-timing.js';

export interface Versioned {
  config: AppConfig;
  /** Every input the body depends on (data versions, identity, render version). */
  version: readonly (string | number)[];
  /** When what the response shows last changed (ISO), or null. */
  lastModified: string | null;
  /** Builds the body on an edge-cache miss (D1 reads, rendering). */
  produce: (timing: ServerTiming) => Produced | Promise<Produced>;
}

export interface VersionedRoute {
  kind: CacheKind;
  contentType: string;
  /** Reads KV; throws HTTPException (404, 400, 301) for requests that name nothing here. */
  load: () => Promise<Versioned>;
}

/** The strong ETag and the render-cache key of a version: both derive from the same value. */
export function versionTag(kind: string, version: readonly (string | number)[]): { etag: string; cacheKey: string[] } {
  const hash = contentHash(version.map(String));
  return { etag: `"${kind}-${hash}"`, cacheKey: [kind, hash] };
}

const encoder = new TextEncoder();

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Outcome {
  response: Response;
  /** A full 200 entry that may be kept in memory (null for 304s, degraded bodies, errors). */
  entry: HotEntry | null;
}

/** In-flight misses of this isolate, by memory key. */
const pending = new Map<string, Promise<HotEntry | null>>();

/** A remembered "nothing here", so a flood of requests for a missing page is not a flood of reads. */
const NOT_FOUND_STATUS = 404;

function fromEntry(request: Request, entry: HotEntry): Response {
  if (entry.status === NOT_FOUND_STATUS) {
    throw new HTTPException(404, typeof entry.body === 'string' && entry.body ? { message: entry.body } : undefined);
  }
  const headers = new Headers(entry.headers);
  headers.set('server-timing', 'kv;dur=0, cache;desc="hit", mem;desc="hit"');
  if (isNotModified(request.headers, { etag: entry.etag, lastModified: entry.lastModified })) return notModified(headers);
  return new Response(request.method === 'HEAD' ? null : entry.body, { status: entry.status, headers });
}

export async function serveVersioned(c: AppContext, route: VersionedRoute): Promise<Response> {
  const { hotCacheMs, versionId } = runtimeSettings(c.env);
  if (hotCacheMs <= 0) return (await serveFromStore(c, route)).response;
  const key = `${versionId}|${hotKey(c.req.url)}`;
  const hot = pageHotCache.get(key);
  if (hot) return fromEntry(c.req.raw, hot);
  const conditional = c.req.raw.headers.has('if-none-match') || c.req.raw.headers.has('if-modified-since');
  const waiting = conditional ? undefined : pending.get(key);
  if (waiting) {
    const entry = await waiting;
    if (entry) return fromEntry(c.req.raw, entry);
    // The other request's answer could not be shared (degraded): serve this one ourselves.
    return (await serveFromStore(c, route)).response;
  }
  // Conditional requests neither wait nor are waited on: they may end in a 304 without a body.
  let settle: ((entry: HotEntry | null) => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;
  if (!conditional) {
    const promise = new Promise<HotEntry | null>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    promise.catch(() => {}); // waiters handle it; an unwaited rejection must not be "unhandled"
    pending.set(key, promise);
  }
  try {
    const outcome = await serveFromStore(c, route);
    if (outcome.entry) pageHotCache.set(key, outcome.entry, hotCacheMs);
    settle?.(outcome.entry);
    return outcome.response;
  } catch (error) {
    if (error instanceof HTTPException && error.status === 404) {
      pageHotCache.set(key, { status: NOT_FOUND_STATUS, headers: [], body: error.message, etag: null, lastModified: null }, hotCacheMs);
    }
    fail?.(error);
    throw error;
  } finally {
    if (!conditional) pending.delete(key);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Failures of the stores, as opposed to requests that name nothing (HTTPException). */
function isStoreFailure(error: unknown): boolean {
  return !(error instanceof HTTPException) && !(error instanceof CorruptValueError) && !(error instanceof ConfigError);
}

async function serveLastGood(c: AppContext, route: VersionedRoute, timing: ServerTiming, error: unknown, config: AppConfig | null): Promise<Outcome> {
  console.error(`${c.req.path}: store unavailable: ${describe(error)}`);
  const last = await findLastGood(c.req.url);
  if (!last) throw new HTTPException(503);
  timing.cache('stale');
  const response = await respond(c.req.raw, config, {
    kind: 'error',
    contentType: route.contentType,
    etag: last.etag ?? '"stale"',
    lastModified: last.lastModified,
    timing,
    body: last.body,
  });
  return { response, entry: null };
}

async function serveFromStore(c: AppContext, route: VersionedRoute): Promise<Outcome> {
  const timing = new ServerTiming();
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  let v: Versioned;
  try {
    v = await timing.time('kv', () => route.load());
  } catch (error) {
    if (error instanceof CorruptValueError) {
      console.error(`${c.req.path}: ${error.message}`);
      throw new HTTPException(500);
    }
    if (!isStoreFailure(error)) throw error;
    return serveLastGood(c, route, timing, error, null);
  }
  const { etag, cacheKey } = versionTag(route.kind, v.version);
  const lastModified = httpDate(v.lastModified);
  let produced: string | null = null;
  let cacheable = true;
  let response: Response;
  try {
    response = await respond(c.req.raw, v.config, {
      kind: route.kind,
      contentType: route.contentType,
      etag,
      lastModified,
      timing,
      body: async () => {
        const rendered = await cachedBody(
          renderCacheKey(c.req.url, cacheKey),
          () => withTimeout(Promise.resolve(v.produce(timing)), v.config.kvTimeoutMs, 'D1'),
          waitUntil,
          { requestUrl: c.req.url, etag, lastModified },
        );
        // `render` is the producing time without the D1 queries, which `db` reports.
        if (rendered.renderMs !== null) timing.add('render', Math.max(0, rendered.renderMs - timing.total('db')));
        timing.cache(rendered.hit ? 'hit' : 'miss');
        produced = rendered.body;
        cacheable = rendered.cacheable;
        return rendered.body;
      },
    });
  } catch (error) {
    if (error instanceof CorruptValueError) {
      console.error(`${c.req.path}: ${error.message}`);
      throw new HTTPException(500);
    }
    if (!isStoreFailure(error)) throw error;
    return serveLastGood(c, route, timing, error, v.config);
  }
  if (!cacheable) response.headers.set('cache-control', 'no-store');
  let entry: HotEntry | null = null;
  if (produced !== null && cacheable && response.status === 200) {
    const headers = [...response.headers].filter(([name]) => name !== 'server-timing');
    // Stored encoded: a memory hit then hands workerd bytes, with no per-request UTF-8 encoding
    // of a large string (that garbage made GC pauses under load).
    entry = { status: 200, headers, body: encoder.encode(produced).buffer as ArrayBuffer, etag, lastModified };
  }
  return { response, entry };
}
