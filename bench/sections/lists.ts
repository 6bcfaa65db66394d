/**
 * Lists don't grow (issue 11 item 5): the same list pages against stores of N = 100, 10,000 and
 * 100,000 posts, each served by the real Worker bundle in its own Miniflare (isolate-memory cache
 * off, HOT_CACHE_MS=0, so every request reads the KV index record), one request at a time,
 * interleaved across endpoints and stores so every ratio compares samples taken side by side.
 *
 * - miss: a new origin per request (`http://m<k>.bench/…`): the render-cache key contains the
 *   request's origin, so the Worker reads KV, queries D1 (one batch) and renders;
 * - hit: the same URL on a fixed origin after it was rendered once: KV index record + Cache API.
 *
 * D1's own `rows_read` for each miss comes from the probe Worker in the same workerd running
 * the Worker's query function (readListPage) with the same arguments the route passes.
 */
import { HOME, listKey } from '../../src/store/d1-layout.js';
import { categorySlugs, tagSlug } from '../../src/hexo/site-paths.js';
import { median, now, rotate } from '../lib/stats.js';
import { FOCUS_CATEGORY, FOCUS_MONTH, FOCUS_TAG, PER_PAGE } from '../lib/tree.js';
import { type RunningWorker, parseServerTiming } from '../lib/worker.js';

export interface ListEndpoint {
  name: string;
  path: string;
  /** The list and page the route reads (for the rows-read probe). */
  key: string;
  page: number | 'last';
}

const catSlugs = categorySlugs(FOCUS_CATEGORY);
const catPath = `/categories/${catSlugs.map(encodeURIComponent).join('/')}/`;
const month = `${FOCUS_MONTH.year}/${String(FOCUS_MONTH.month).padStart(2, '0')}`;

export const LIST_ENDPOINTS: ListEndpoint[] = [
  { name: 'home', path: '/', key: HOME, page: 1 },
  { name: 'home page 50', path: '/', key: HOME, page: 50 },
  { name: 'category (3rd level)', path: catPath, key: listKey.category(catSlugs), page: 1 },
  { name: 'category, last page', path: catPath, key: listKey.category(catSlugs), page: 'last' },
  { name: 'tag', path: `/tags/${encodeURIComponent(tagSlug(FOCUS_TAG))}/`, key: listKey.tag(tagSlug(FOCUS_TAG)), page: 1 },
  { name: 'archive month', path: `/archives/${month}/`, key: listKey.month(String(FOCUS_MONTH.year), month.slice(5)), page: 1 },
  { name: '/api/articles', path: '/api/articles', key: HOME, page: 1 },
];

export interface ListStore {
  n: number;
  worker: RunningWorker;
}

export interface EndpointResult {
  /** Whether the page exists in this store (page 50 needs 4,901 posts). */
  exists: boolean;
  path: string;
  missWall: number;
  hitWall: number;
  /** Median Server-Timing of misses. */
  kv: number;
  db: number;
  render: number;
  rowsRead: number;
  items: number;
  bytes: number;
}

export interface ListResult {
  n: number;
  endpoints: Map<string, EndpointResult>;
}

function pagePath(base: string, page: number): string {
  if (page === 1) return base;
  if (base.startsWith('/api/')) return `${base}?page=${page}`;
  return `${base}page/${page}/`;
}

export async function listLatency(stores: ListStore[], requests: number, warmup: number): Promise<{ results: ListResult[]; errors: string[] }> {
  const errors: string[] = [];
  // Resolve each endpoint's page and rows read per store, with the probe (the route's query).
  const plan = new Map<number, Map<string, EndpointResult>>();
  for (const { n, worker } of stores) {
    const m = new Map<string, EndpointResult>();
    for (const ep of LIST_ENDPOINTS) {
      const first = await worker.probe<{ found: boolean; pages: number; items: number; rowsRead: number }>('/list-page', { key: ep.key, page: 1, perPage: PER_PAGE });
      const page = ep.page === 'last' ? first.pages : ep.page;
      const read = page === 1 ? first : await worker.probe<{ found: boolean; pages: number; items: number; rowsRead: number }>('/list-page', { key: ep.key, page, perPage: PER_PAGE });
      m.set(ep.name, {
        exists: read.found && read.items > 0,
        path: pagePath(ep.path, page),
        missWall: NaN,
        hitWall: NaN,
        kv: NaN,
        db: NaN,
        render: NaN,
        rowsRead: read.rowsRead,
        items: read.items,
        bytes: 0,
      });
    }
    plan.set(n, m);
  }

  const samples = new Map<string, { miss: number[]; hit: number[]; kv: number[]; db: number[]; render: number[] }>();
  const key = (n: number, ep: string) => `${n} ${ep}`;
  let k = 0;
  for (let i = 0; i < warmup + requests; i++) {
    for (const ep of rotate(LIST_ENDPOINTS, i)) {
      for (const { n, worker } of rotate(stores, i)) {
        const target = plan.get(n)!.get(ep.name)!;
        if (!target.exists) continue;
        // Miss: an origin never used before.
        const missUrl = `http://m${k++}.bench${target.path}`;
        let t = now();
        const miss = await worker.fetch(missUrl);
        const body = await miss.text();
        const missMs = now() - t;
        const st = parseServerTiming(miss.headers.get('server-timing'));
        if (miss.status !== 200 || st.cache !== 'miss' || st.mem) {
          if (errors.length < 20) errors.push(`N=${n} ${ep.name} ${target.path}: miss answered ${miss.status}, server-timing ${miss.headers.get('server-timing')}`);
          continue;
        }
        // Hit: the fixed origin (rendered during warm-up; each hit after that is a cache hit).
        t = now();
        const hit = await worker.fetch(`http://hit.bench${target.path}`);
        await hit.arrayBuffer();
        const hitMs = now() - t;
        const hst = parseServerTiming(hit.headers.get('server-timing'));
        if (i < warmup) continue;
        if (hit.status !== 200 || hst.cache !== 'hit') {
          if (errors.length < 20) errors.push(`N=${n} ${ep.name}: repeat was not a render-cache hit (${hit.headers.get('server-timing')})`);
          continue;
        }
        const s = samples.get(key(n, ep.name)) ?? { miss: [], hit: [], kv: [], db: [], render: [] };
        s.miss.push(missMs);
        s.hit.push(hitMs);
        s.kv.push(st.kv ?? NaN);
        s.db.push(st.db ?? NaN);
        s.render.push(st.render ?? NaN);
        samples.set(key(n, ep.name), s);
        target.bytes = Buffer.byteLength(body);
      }
    }
  }
  const results = stores.map(({ n }) => {
    const endpoints = plan.get(n)!;
    for (const [name, r] of endpoints) {
      const s = samples.get(key(n, name));
      if (!s) continue;
      r.missWall = median(s.miss);
      r.hitWall = median(s.hit);
      r.kv = median(s.kv);
      r.db = median(s.db);
      r.render = median(s.render);
    }
    return { n, endpoints };
  });
  return { results, errors };
}
