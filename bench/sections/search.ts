/**
 * Search (issue 15), on the stores the upload section built (the real schema, the real upload
 * path: search rows written by `searchIndexer()` in the article's batch), served by the real
 * Worker bundle:
 *
 * - latency: the 50 queries of bench/search/queries.ts as `/api/search?q=…`, each a render-cache
 *   miss (a new origin per request), `rounds` interleaved rounds (rotated order); per query the
 *   median, then the median and p95 over the 50. Two clocks: the whole request from Node, and
 *   `db;dur` from Server-Timing (workerd's clock around searchPage: whole milliseconds);
 * - D1 rows read and round trips per query (the probe runs searchPage on the same database);
 * - index size per post (FTS5 index, stored text) from the database itself;
 * - rows written per new post: a post's articles row and its search rows (the statements the
 *   upload sends: upsertArticle + searchIndexer().upsert) in one batch through the probe: D1's
 *   `rows_written` per statement, and the rows SQLite changed (total_changes(), FTS5 shadow tables
 *   and merges included, minus the articles row and the measured per-request overhead);
 * - bytes to the browser: an API response against hexo-generator-search's search.xml for the
 *   same posts (content = each post's HTML, `format: html`), and our own /search.xml.
 */
import { gzipSync } from 'node:zlib';
import { parsePost } from '../../src/content/front-matter.js';
import { computeAbbrlink } from '../../src/hexo/abbrlink.js';
import { SEARCH_XML_HEAD, SEARCH_XML_TAIL, searchXmlEntry } from '../../src/search/search-xml.js';
import { contentFields } from '../../src/upload/article-value.js';
import { upsertArticle } from '../../src/upload/execute.js';
import type { Statement } from '../../src/upload/plan.js';
import { searchIndexer } from '../../src/upload/search-index.js';
import { BENCH_QUERIES, type BenchQuery } from '../search/queries.js';
import { median, now, percentile, rotate } from '../lib/stats.js';
import { treePost } from '../lib/tree.js';
import { type RunningWorker, parseServerTiming } from '../lib/worker.js';

export interface StoreStats {
  dbBytes: number;
  articles: number;
  lists: number;
  entries: number;
  entryBytes: number;
  ftsDataBytes: number;
  ftsDataRows: number;
  docsizeBytes: number;
  textBytes: number;
  kvArticles: number;
  kvLinks: number;
  kvTotal: number;
}

export async function storeStats(worker: RunningWorker): Promise<StoreStats> {
  const s = await worker.probe<Omit<StoreStats, 'kvArticles' | 'kvLinks' | 'kvTotal'>>('/stats');
  const count = async (prefix: string) => (await worker.probe<{ n: number }>('/kv-count', { prefix })).n;
  return { ...s, kvArticles: await count('v2:article:'), kvLinks: await count('v2:link:'), kvTotal: await count('') };
}

export interface QueryResult {
  q: string;
  kind: BenchQuery['kind'];
  total: number;
  wall: number[];
  db: number[];
  rowsRead: number;
  roundTrips: number;
  apiBytes: number;
  apiGzip: number;
}

export interface SearchSize {
  n: number;
  queries: QueryResult[];
  /** `/api/search?q=` (no D1 call), measured in the same rounds. */
  noQueryWall: number[];
  inserts: { d1: number[]; changes: number[]; overhead: number };
  xml: { hexoAll: number; hexoAllGzip: number; hexoLimited: number; ours: number; oursGzip: number; oursEntries: number };
}

/**
 * The 50 queries, and the same route with an empty query (`/api/search?q=`: the KV index record
 * and an empty JSON page, no D1 call), measured alike in every round: the request cost that is
 * not the search (Miniflare's dispatch, routing, the KV read) on this machine at that moment.
 */
export async function queryLatency(n: number, worker: RunningWorker, rounds: number, errors: string[]): Promise<{ queries: QueryResult[]; noQueryWall: number[] }> {
  const out: QueryResult[] = BENCH_QUERIES.map((b) => ({ q: b.q, kind: b.kind, total: 0, wall: [], db: [], rowsRead: 0, roundTrips: 0, apiBytes: 0, apiGzip: 0 }));
  for (const r of out) {
    const probe = await worker.probe<{ total: number; meta: { rowsRead: number; roundTrips: number } }>('/search', { q: r.q, page: 1, pageSize: 10 });
    r.total = probe.total;
    r.rowsRead = probe.meta.rowsRead;
    r.roundTrips = probe.meta.roundTrips;
    if (r.total === 0) errors.push(`search N=${n}: ${r.q} found nothing`);
  }
  let k = 0;
  const noQueryWall: number[] = [];
  // Round 0 warms the Worker (JIT, SQLite's page cache) and is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (let j = 0; j < 5; j++) {
      const t = now();
      const res = await worker.fetch(`http://s${n}-${k++}.bench/api/search?q=`);
      await res.text();
      if (res.status !== 200) errors.push(`search N=${n} (no query): ${res.status}`);
      else if (round > 0) noQueryWall.push(now() - t);
    }
    for (const r of rotate(out, round * 7)) {
      const url = `http://s${n}-${k++}.bench/api/search?q=${encodeURIComponent(r.q)}`;
      const t = now();
      const res = await worker.fetch(url);
      const body = await res.text();
      const wall = now() - t;
      const st = parseServerTiming(res.headers.get('server-timing'));
      if (res.status !== 200 || st.cache !== 'miss') {
        if (errors.length < 40) errors.push(`search N=${n} ${r.q}: ${res.status}, server-timing ${res.headers.get('server-timing')}`);
        continue;
      }
      if (round === 0) continue;
      r.wall.push(wall);
      r.db.push(st.db ?? NaN);
      r.apiBytes = Buffer.byteLength(body);
      r.apiGzip = gzipSync(body).length;
    }
  }
  return { queries: out, noQueryWall };
}

/** hexo-generator-search's search.xml (format: html) for posts 0 … n-1 of the tree, and with its 10,000 limit. */
export function hexoSearchXml(n: number): { all: number; allGzip: number; limited: number } {
  let all = Buffer.byteLength(SEARCH_XML_HEAD) + Buffer.byteLength(SEARCH_XML_TAIL);
  const sample: string[] = [];
  const sizes: { date: number; bytes: number }[] = [];
  for (let i = 0; i < n; i++) {
    const p = treePost({ i });
    const entry = searchXmlEntry({
      title: p.title,
      url: `https://news.zfe.space/p/${computeAbbrlink(p.title, { alg: 'crc16', rep: 'hex' })}.html`,
      content: p.body,
      date: p.date.toISOString(),
      categories: p.categories,
      tags: p.tags,
    });
    const bytes = Buffer.byteLength(entry);
    all += bytes;
    sizes.push({ date: p.date.getTime(), bytes });
    if (i < 2000) sample.push(entry);
  }
  const text = sample.join('');
  const ratio = gzipSync(text).length / Buffer.byteLength(text);
  // The plugin lists the newest `limit` posts.
  const limited = sizes.length <= 10_000 ? all : sizes.sort((a, b) => b.date - a.date).slice(0, 10_000).reduce((s, x) => s + x.bytes, 0);
  return { all, allGzip: all * ratio, limited };
}

/** Our /search.xml from the Worker (its limit: SEARCH_XML_LIMIT, default 10,000 newest). */
export async function ourSearchXml(worker: RunningWorker): Promise<{ bytes: number; gzip: number; entries: number }> {
  const res = await worker.fetch(`http://xml-${Date.now()}.bench/search.xml`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/search.xml: ${res.status}`);
  return { bytes: Buffer.byteLength(text), gzip: gzipSync(text).length, entries: text.split('<entry>').length - 1 };
}

/**
 * New posts' articles row + search rows, one post per batch, as an incremental upload of one post
 * sends them; D1's rows_written of the search statements, and SQLite's changes. Run last: it
 * adds rows no list shows.
 */
export async function rowsPerNewPost(worker: RunningWorker, count: number): Promise<SearchSize['inserts']> {
  const indexer = searchIndexer();
  const changes = async () => (await worker.probe<{ n: number }>('/changes')).n;
  // Calibration: a batch of the same size that changes nothing.
  const sample = statementsFor(0);
  const noop: Statement[] = sample.map(() => ({ sql: 'DELETE FROM articles WHERE id = -1', params: [] }));
  await worker.probe('/d1', { statements: noop });
  const c0 = await changes();
  await worker.probe('/d1', { statements: noop });
  const overhead = (await changes()) - c0;
  const d1: number[] = [];
  const physical: number[] = [];
  for (let j = 1; j <= count; j++) {
    const statements = statementsFor(j);
    const before = await changes();
    const r = await worker.probe<{ meta: { rowsWritten: number }[] }>('/d1', { statements });
    const after = await changes();
    d1.push(r.meta.slice(1).reduce((s, m) => s + m.rowsWritten, 0));
    physical.push(after - before - overhead - r.meta[0]!.rowsWritten);
  }
  return { d1, changes: physical, overhead };

  function statementsFor(j: number): Statement[] {
    const p = treePost({ i: 95_000_000 + j });
    const slug = `bench-insert/${j}/${p.rel.replace(/\.md$/, '')}`;
    const fields = contentFields(parsePost(`${slug}.md`, p.text, { timeZone: 'UTC' }).article);
    const row = {
      slug,
      path: `/p/bench-insert-${j}.html`,
      abbrlink: `bench-insert-${j}`,
      title: fields.title,
      date: fields.date,
      tags: fields.tags,
      summary: JSON.stringify({ slug, path: `/p/bench-insert-${j}.html`, title: fields.title, date: fields.date, author: fields.author, categories: [], thumbnail: null }),
      contentHash: `bench-${j}`,
      valueHash: `bench-${j}`,
      changedAt: new Date(0).toISOString(),
    };
    return [upsertArticle(row), ...indexer.upsert(slug, fields)];
  }
}

export function querySummary(queries: QueryResult[]): { wallMedian: number; wallP95: number; dbMedian: number; dbP95: number; dbMax: number; rowsMedian: number; rowsMax: number } {
  const wall = queries.map((q) => median(q.wall));
  const db = queries.map((q) => median(q.db));
  const rows = queries.map((q) => q.rowsRead);
  return {
    wallMedian: median(wall),
    wallP95: percentile(wall, 95),
    dbMedian: median(db),
    dbP95: percentile(db, 95),
    dbMax: Math.max(...db),
    rowsMedian: median(rows),
    rowsMax: Math.max(...rows),
  };
}
