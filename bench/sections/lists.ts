/**
 * 4. Lists don't grow: the same list requests against stores of N = 100, 10,000 and 100,000
 * articles, each served by its own Worker, requests interleaved across endpoints and stores
 * (one request at a time), so every ratio compares samples taken side by side. The isolate-memory
 * cache is off (HOT_CACHE_MS=0), so every request reads the index meta and one shard from KV.
 */
import type { Bundle, WranglerSettings } from '../lib/project.js';
import { tempDir } from '../lib/project.js';
import { median, now, rotate } from '../lib/stats.js';
import { NO_MEMORY_CACHE, type RunningWorker, parseServerTiming, startWorker } from '../lib/worker.js';

export const LIST_CATEGORY = 'source';
export const LIST_ENDPOINTS = ['/', '/?page=3', `/categories/${LIST_CATEGORY}`, '/api/articles'];

export interface ListStore {
  n: number;
  kvRoot: string;
  how: string;
}

export interface ListResult {
  n: number;
  how: string;
  /** endpoint → median client time (ms), median Server-Timing kv (ms), response bytes. */
  endpoints: Map<string, { wall: number; kv: number; bytes: number }>;
}

export async function listLatency(stores: ListStore[], bundle: Bundle, settings: WranglerSettings, requests: number, warmup: number): Promise<{ results: ListResult[]; errors: string[] }> {
  const workers: { store: ListStore; worker: RunningWorker }[] = [];
  const errors: string[] = [];
  try {
    for (const store of stores) {
      workers.push({ store, worker: await startWorker({ scriptPath: bundle.scriptPath, settings, kvRoot: store.kvRoot, cacheDir: await tempDir('cache-list'), listen: true, vars: NO_MEMORY_CACHE }) });
    }
    const wall = new Map<string, number[]>();
    const kv = new Map<string, number[]>();
    const bytes = new Map<string, number>();
    const key = (n: number, ep: string) => `${n} ${ep}`;
    for (let i = 0; i < warmup + requests; i++) {
      for (const ep of rotate(LIST_ENDPOINTS, i)) {
        for (const { store, worker } of rotate(workers, i)) {
          const t = now();
          const res = await worker.fetch(encodeURI(ep));
          const body = await res.text();
          const dt = now() - t;
          if (res.status !== 200) {
            if (errors.length < 20) errors.push(`N=${store.n} ${ep}: status ${res.status}`);
            continue;
          }
          const st = parseServerTiming(res.headers.get('server-timing'));
          if (st.mem && errors.length < 20) errors.push(`N=${store.n} ${ep}: answered from isolate memory although HOT_CACHE_MS=0`);
          if (i < warmup) continue;
          const k = key(store.n, ep);
          (wall.get(k) ?? wall.set(k, []).get(k)!).push(dt);
          (kv.get(k) ?? kv.set(k, []).get(k)!).push(st.kv ?? NaN);
          bytes.set(k, Buffer.byteLength(body));
        }
      }
    }
    // The same page must show the same number of items at every N (bytes differ only in digits).
    for (const ep of LIST_ENDPOINTS) {
      const sizes = stores.map((s) => bytes.get(key(s.n, ep)) ?? 0);
      if (Math.min(...sizes) < 0.8 * Math.max(...sizes)) errors.push(`${ep}: response sizes differ across N (${sizes.join(' / ')} bytes): not the same page`);
    }
    const results = stores.map((store) => ({
      n: store.n,
      how: store.how,
      endpoints: new Map(
        LIST_ENDPOINTS.map((ep) => {
          const k = key(store.n, ep);
          return [ep, { wall: median(wall.get(k) ?? []), kv: median(kv.get(k) ?? []), bytes: bytes.get(k) ?? 0 }];
        }),
      ),
    }));
    return { results, errors };
  } finally {
    for (const { worker } of workers) await worker.dispose().catch(() => undefined);
  }
}
