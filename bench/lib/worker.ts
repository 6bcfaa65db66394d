/**
 * Runs the real Worker bundle (from `wrangler deploy --dry-run`) in workerd through Miniflare's
 * Node API, on loopback, against a persisted KV store and a fresh (or given) Cache API store.
 * Outbound fetches (the image route's upstream) go to a local HTTP server on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Miniflare } from 'miniflare';
import { localPersistPath } from '../../src/upload/local-kv.js';
import { type WranglerSettings, benchEnv } from './project.js';

export interface WorkerOptions {
  /** The bundle to run; or `script`, an inline module Worker, with the same bindings and services. */
  scriptPath?: string;
  script?: string;
  settings: WranglerSettings;
  /** Root folder whose .wrangler/state/v3/kv holds the ARTICLES namespace (as openLocalKv writes it). */
  kvRoot: string;
  cacheDir: string;
  /** host:port of the HTTP server that answers every outbound fetch. */
  upstream?: string;
  /** Listen on 127.0.0.1 (a random port) for wrk/autocannon; otherwise dispatchFetch only. */
  listen?: boolean;
  /** Vars overriding wrangler.toml's, e.g. { HOT_CACHE_MS: '0' } to measure the KV/Cache API path. */
  vars?: Record<string, string>;
}

export interface RunningWorker {
  mf: Miniflare;
  /** http://127.0.0.1:PORT/ when listening. */
  url: URL;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { settings } = options;
  // The bundle is one self-contained module: passed as such, so Miniflare does not parse it in
  // Node to look for imports (which would count in start-up). Module names are relative to
  // modulesRoot; the default (cwd) would make them start with `..`.
  const source = options.scriptPath
    ? {
        modules: [{ type: 'ESModule' as const, path: options.scriptPath, contents: readFileSync(options.scriptPath, 'utf8') }],
        modulesRoot: path.dirname(options.scriptPath),
      }
    : { modules: true, script: options.script ?? '' };
  const mf = new Miniflare({
    ...source,
    compatibilityDate: settings.compatibilityDate,
    compatibilityFlags: settings.compatibilityFlags,
    kvNamespaces: { ARTICLES: settings.kvNamespaceId },
    kvPersist: localPersistPath(options.kvRoot),
    cachePersist: options.cacheDir,
    bindings: { ...benchEnv(settings), ...options.vars },
    ...(options.upstream ? { outboundService: { external: { address: options.upstream, http: {} } } } : {}),
    ...(options.listen ? { host: '127.0.0.1', port: 0 } : {}),
  });
  const url = await mf.ready;
  return {
    mf,
    url,
    // Over real loopback HTTP when listening (what a client sees), else Miniflare's dispatch.
    fetch: options.listen
      ? (u, init) => fetch(new URL(u, url), init)
      : (u, init) => mf.dispatchFetch(u, init as never) as unknown as Promise<Response>,
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

/** `render;dur=…`, `kv;dur=…`, the cache status and a memory-cache hit (`mem;desc="hit"`) of a Server-Timing header. */
export function parseServerTiming(header: string | null): { render: number | null; kv: number | null; cache: string | null; mem: boolean } {
  const h = header ?? '';
  const num = (name: string) => {
    const m = new RegExp(`(?:^|,\\s*)${name};dur=([0-9.]+)`).exec(h);
    return m ? Number(m[1]) : null;
  };
  return { render: num('render'), kv: num('kv'), cache: /(?:^|,\s*)cache;desc="(\w+)"/.exec(h)?.[1] ?? null, mem: /(?:^|,\s*)mem;desc="hit"/.test(h) };
}
