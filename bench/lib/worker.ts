/**
 * Runs the real Worker bundle (from `wrangler deploy --dry-run`) in workerd through Miniflare's
 * Node API, against a store the upload wrote (KV and D1 persisted under `<state>/v3/{kv,d1}`, as
 * `wrangler dev --persist-to <state>` reads them) and a fresh (or given) Cache API store.
 * Outbound fetches (the image route's upstream) go to a local HTTP server on 127.0.0.1.
 *
 * Optionally a second Worker runs in the same workerd beside it (`probe`, bench/lib/probe-worker.ts)
 * with the same KV namespace and D1 database: one process owns the on-disk state, and the
 * probe reads exactly what the Worker reads.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Miniflare } from 'miniflare';
import { type WranglerSettings, benchEnv } from './project.js';

export interface WorkerOptions {
  /** The bundle to run; or `script`, an inline module Worker, with the same bindings and services. */
  scriptPath?: string;
  script?: string;
  settings: WranglerSettings;
  /** A state folder as `upload --persist-to` writes it (KV in v3/kv, D1 in v3/d1). */
  state: string;
  cacheDir: string;
  /** host:port of the HTTP server that answers every outbound fetch. */
  upstream?: string;
  /** Listen on 127.0.0.1 (a random port) for wrk/autocannon; otherwise dispatchFetch only. */
  listen?: boolean;
  /** Vars overriding wrangler.toml's, e.g. { HOT_CACHE_MS: '0' } to measure the KV/Cache API path. */
  vars?: Record<string, string>;
  /** The probe Worker's bundle (bench/lib/probe-worker.ts), run beside the main one. */
  probeScriptPath?: string;
}

export interface RunningWorker {
  mf: Miniflare;
  /** http://127.0.0.1:PORT/ when listening. */
  url: URL;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** POST a JSON body to the probe Worker; its JSON answer (throws on an error status). */
  probe<T>(route: string, body?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

/** A fixed deployment version: render versions (and so cache keys) stay the same across Workers. */
const VERSION_METADATA = { id: 'bench-version', tag: '', timestamp: '2026-01-01T00:00:00.000Z' };

export function statePaths(state: string): { kv: string; d1: string } {
  return { kv: path.join(state, 'v3', 'kv'), d1: path.join(state, 'v3', 'd1') };
}

function moduleSource(scriptPath: string) {
  // One self-contained module, passed as such, so Miniflare does not parse it in Node to look
  // for imports. Module names are relative to modulesRoot.
  return {
    modules: [{ type: 'ESModule' as const, path: scriptPath, contents: readFileSync(scriptPath, 'utf8') }],
    modulesRoot: path.dirname(scriptPath),
  };
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { settings } = options;
  const source = options.scriptPath ? moduleSource(options.scriptPath) : { modules: true, script: options.script ?? '' };
  const persist = statePaths(options.state);
  const main = {
    name: 'main',
    ...source,
    compatibilityDate: settings.compatibilityDate,
    compatibilityFlags: settings.compatibilityFlags,
    kvNamespaces: { ARTICLES: settings.kvNamespaceId },
    d1Databases: { DB: settings.d1DatabaseId },
    bindings: { ...benchEnv(settings), ...options.vars, CF_VERSION_METADATA: VERSION_METADATA },
    ...(options.upstream ? { outboundService: { external: { address: options.upstream, http: {} } } } : {}),
  };
  const workers = options.probeScriptPath
    ? [
        main,
        {
          name: 'probe',
          ...moduleSource(options.probeScriptPath),
          compatibilityDate: settings.compatibilityDate,
          kvNamespaces: { KV: settings.kvNamespaceId },
          d1Databases: { DB: settings.d1DatabaseId },
        },
      ]
    : [main];
  const mf = new Miniflare({
    workers,
    kvPersist: persist.kv,
    d1Persist: persist.d1,
    cachePersist: options.cacheDir,
    ...(options.listen ? { host: '127.0.0.1', port: 0 } : {}),
  });
  const url = await mf.ready;
  const probe = options.probeScriptPath ? await mf.getWorker('probe') : null;
  return {
    mf,
    url,
    // Over real loopback HTTP when listening (what a client sees), else Miniflare's dispatch.
    fetch: options.listen
      ? (u, init) => fetch(new URL(u, url), init)
      : (u, init) => mf.dispatchFetch(new URL(u, 'http://bench.local').href, init as never) as unknown as Promise<Response>,
    async probe<T>(route: string, body: unknown = {}): Promise<T> {
      if (!probe) throw new Error('no probe Worker');
      const res = await probe.fetch(`http://probe${route}`, { method: 'POST', body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`probe ${route}: ${res.status} ${text.slice(0, 500)}`);
      return JSON.parse(text) as T;
    },
    dispose: () => mf.dispose(),
  };
}

/** Image origin on loopback: a 24 KiB "JPEG" for every GET, counting hits. */
export interface ImageOrigin {
  address: string;
  hits(): number;
  close(): Promise<void>;
}

export async function startImageOrigin(): Promise<ImageOrigin> {
  const body = Buffer.alloc(24 * 1024, 0x5a);
  body[0] = 0xff;
  body[1] = 0xd8;
  body[2] = 0xff;
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    res.writeHead(200, {
      'content-type': 'image/jpeg',
      'content-length': String(body.length),
      etag: '"bench-image"',
      'last-modified': 'Sat, 13 Nov 2021 06:08:05 GMT',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The isolate-memory cache (src/http/hot-cache.ts) off: every request reads KV and the Cache API. */
export const NO_MEMORY_CACHE = { HOT_CACHE_MS: '0' };

export interface ServerTimingParts {
  render: number | null;
  kv: number | null;
  db: number | null;
  cache: string | null;
  mem: boolean;
}

/** `render;dur`, `kv;dur`, `db;dur`, the cache status and a memory-cache hit (`mem;desc="hit"`) of a Server-Timing header. */
export function parseServerTiming(header: string | null): ServerTimingParts {
  const h = header ?? '';
  const num = (name: string) => {
    // A name may appear more than once (two D1 reads): their sum.
    let total: number | null = null;
    for (const m of h.matchAll(new RegExp(`(?:^|,\\s*)${name};dur=([0-9.]+)`, 'g'))) total = (total ?? 0) + Number(m[1]);
    return total;
  };
  return { render: num('render'), kv: num('kv'), db: num('db'), cache: /(?:^|,\s*)cache;desc="(\w+)"/.exec(h)?.[1] ?? null, mem: /(?:^|,\s*)mem;desc="hit"/.test(h) };
}
