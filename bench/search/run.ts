/**
 * Search benchmark (issue 15): `node --import tsx bench/search/run.ts` (about 8 minutes on 2
 * cores; `--smoke` for a quick check). Writes bench/search/RESULTS.md and prints it.
 *
 * For each size N (1k, 10k, 100k synthetic posts made of the 61 real posts' text, see
 * ./synthetic.ts), in workerd with a real D1 (Miniflare, persisted to a temp folder):
 * - index build: wall time to write N posts in batches of 100 (one transaction each), the
 *   database size, index and stored-text bytes per post;
 * - rows written per new post: D1's own `meta.rows_written` (what D1 reports per statement),
 *   and the rows SQLite actually changed (total_changes(), which counts FTS5's shadow-table
 *   writes, merges included), over single-post transactions like an incremental upload (mean,
 *   p99 and worst);
 * - query latency over the 50 queries of ./queries.ts, on a fresh Worker (no response cache,
 *   nothing in memory but SQLite's page cache): per query the median of `rounds` runs, then the
 *   median and p95 over the 50; timed inside the Worker with performance.now() around
 *   searchPage, and from Node around the whole request;
 * - bytes: the API response per query against hexo-generator-search's search.xml for the same
 *   posts (content = each post's HTML, as `format: html` ships it).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { htmlToSearchText } from '../../src/search/html-text.js';
import { PHRASE_RANK_CAP, SEARCH_SCHEMA, TOKEN_RANK_CAP } from '../../src/search/sql.js';
import { searchXml } from '../../src/search/search-xml.js';
import { indexTokens } from '../../src/search/tokenize.js';
import { projectRoot } from '../lib/project.js';
import { BENCH_QUERIES } from './queries.js';
import { SyntheticCorpus } from './synthetic.js';
import { BenchWorker, benchDoc, bundleWorker } from './harness.js';
import type { BenchDoc } from './worker.js';

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}
const SMOKE = process.argv.includes('--smoke');
const SIZES = (arg('sizes') ?? (SMOKE ? '300' : '1000,10000,100000')).split(',').map(Number);
const ROUNDS = Number(arg('rounds') ?? (SMOKE ? 1 : 5));
const INSERTS = Number(arg('inserts') ?? (SMOKE ? 20 : 1000));
/** A fixed rank cap instead of rankCap()'s (RANK_BUDGET / tokens). */
const CAP = arg('cap') ? Number(arg('cap')) : undefined;
const PGSZ = arg('pgsz') ? Number(arg('pgsz')) : undefined;
const AUTOMERGE = arg('automerge') ? Number(arg('automerge')) : undefined;
const CRISISMERGE = arg('crisismerge') ? Number(arg('crisismerge')) : undefined;
/** Replaces the FTS5 options of SEARCH_SCHEMA's first statement, e.g. `--fts-options="detail = full"`. */
const FTS_OPTIONS = arg('fts-options');
const SKIP_QUERIES = process.argv.includes('--no-queries');
/** Keep the database of the (single) size in this folder, e.g. for bench/search/explain.ts. */
const KEEP = arg('keep');
/** With --keep: query the database already in that folder instead of building it (no build numbers). */
const REUSE = process.argv.includes('--reuse');
const OUT = arg('out') ?? (SMOKE ? path.join(projectRoot, 'bench', 'out', 'search-smoke.md') : path.join(projectRoot, 'bench', 'search', 'RESULTS.md'));
const BATCH = 100;

// ---------------------------------------------------------------------------------------------

const pct = (values: readonly number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (rank - lo);
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------

interface SizeResult {
  n: number;
  buildSeconds: number;
  bulkRowsWrittenPerPost: number;
  bulkChangesPerPost: number;
  stats: { dbBytes: number; ftsDataBytes: number; ftsDataRows: number; ftsIdxRows: number; docsizeBytes: number; textBytes: number; articles: number };
  inserts: { d1: number[]; changes: number[]; overhead: number };
  queries: { q: string; kind: string; total: number; workerMs: number[]; nodeMs: number[]; rowsRead: number; roundTrips: number; apiBytes: number; apiGzip: number }[];
  firstRound: { workerMs: number[] };
  xml: { all: number; allGzipEstimate: number; limited: number };
}

async function measureSize(scriptPath: string, corpus: SyntheticCorpus, n: number): Promise<SizeResult> {
  const persist = KEEP ?? (await mkdtemp(path.join(os.tmpdir(), `search-bench-${n}-`)));
  try {
    let worker = await BenchWorker.start(scriptPath, persist);
    const schema = FTS_OPTIONS === undefined ? undefined : [SEARCH_SCHEMA[0]?.replace(/content = .*\)$/, `content = '', contentless_delete = 1, ${FTS_OPTIONS})`), ...SEARCH_SCHEMA.slice(1)];
    if (!REUSE) await worker.call('/setup', { schema, pgsz: PGSZ, automerge: AUTOMERGE, crisismerge: CRISISMERGE });
    const changes = async () => (await worker.call<{ n: number }>('/changes')).n;

    // Build.
    const c0 = await changes();
    let rowsWritten = 0;
    const t0 = performance.now();
    for (let start = 1; start <= (REUSE ? 0 : n); start += BATCH) {
      const docs: BenchDoc[] = [];
      for (let i = start; i < Math.min(n + 1, start + BATCH); i++) docs.push(benchDoc(corpus, i));
      rowsWritten += (await worker.call<{ rowsWritten: number }>('/index', { docs })).rowsWritten;
    }
    const buildSeconds = (performance.now() - t0) / 1000;
    const bulkChanges = (await changes()) - c0;
    const stats = await worker.call<SizeResult['stats']>('/stats');
    process.stderr.write(`  ${n}: built in ${buildSeconds.toFixed(1)} s, ${mib(stats.dbBytes)}\n`);

    // Queries, on a fresh Worker (the first round right after start-up is reported apart).
    await worker.dispose();
    worker = await BenchWorker.start(scriptPath, persist);
    const queries: SizeResult['queries'] = BENCH_QUERIES.map((b) => ({ q: b.q, kind: b.kind, total: 0, workerMs: [], nodeMs: [], rowsRead: 0, roundTrips: 0, apiBytes: 0, apiGzip: 0 }));
    const firstRound: number[] = [];
    for (let round = 0; round <= (SKIP_QUERIES ? -1 : ROUNDS); round++) {
      // Rotate the order so no query is always first after another.
      const order = queries.map((_, i) => (i + round * 7) % queries.length);
      for (const i of order) {
        const entry = queries[i] as SizeResult['queries'][number];
        const t = performance.now();
        const r = await worker.call<{ ms: number; total: number; meta: { rowsRead: number; roundTrips: number }; api: string }>('/query', { q: entry.q, page: 1, pageSize: 10, cap: CAP });
        const nodeMs = performance.now() - t;
        if (round === 0) {
          firstRound.push(r.ms);
          continue;
        }
        entry.workerMs.push(r.ms);
        entry.nodeMs.push(nodeMs);
        entry.total = r.total;
        entry.rowsRead = r.meta.rowsRead;
        entry.roundTrips = r.meta.roundTrips;
        entry.apiBytes = Buffer.byteLength(r.api);
        entry.apiGzip = gzipSync(r.api).length;
      }
    }
    if (!SKIP_QUERIES) for (const q of queries) if (q.total === 0) throw new Error(`query ${q.q} found nothing at ${n} posts`);

    // Single-post inserts, each its own transaction (an incremental upload of one new post).
    await worker.call('/noop');
    const a0 = await changes();
    await worker.call('/noop');
    const overhead = (await changes()) - a0;
    const d1: number[] = [];
    const physical: number[] = [];
    for (let k = 1; k <= INSERTS; k++) {
      const before = await changes();
      const r = await worker.call<{ rowsWritten: number[] }>('/insert', { doc: benchDoc(corpus, n + k) });
      const after = await changes();
      // Statement 0 is the stand-in articles row; the rest are the search statements.
      d1.push(r.rowsWritten.slice(1).reduce((s, x) => s + x, 0));
      physical.push(after - before - overhead - 1);
    }
    await worker.dispose();

    // search.xml for the same posts (hexo-generator-search, format: html): each post's HTML.
    const xml = xmlSizes(corpus, n);
    return {
      n,
      buildSeconds,
      bulkRowsWrittenPerPost: rowsWritten / n,
      bulkChangesPerPost: bulkChanges / n,
      stats,
      inserts: { d1, changes: physical, overhead },
      queries,
      firstRound: { workerMs: firstRound },
      xml,
    };
  } finally {
    if (KEEP === undefined) await rm(persist, { recursive: true, force: true });
  }
}

function xmlSizes(corpus: SyntheticCorpus, n: number): SizeResult['xml'] {
  const wrapper = Buffer.byteLength(searchXml([]));
  let all = wrapper;
  let sampleRaw = 0;
  let sampleGzip = 0;
  const chunk: string[] = [];
  for (let i = 1; i <= n; i++) {
    const d = corpus.doc(i);
    const post = corpus.posts[d.base];
    const entry = searchXml([{ title: d.title, url: `/articles/${encodeURIComponent(d.slug)}`, content: post?.html ?? '', date: d.date, categories: d.categories, tags: [] }]);
    const bytes = Buffer.byteLength(entry) - wrapper;
    all += bytes;
    if (i <= 1000) chunk.push(entry);
  }
  const sample = chunk.join('');
  sampleRaw = Buffer.byteLength(sample);
  sampleGzip = gzipSync(sample).length;
  const limited = wrapper + ((all - wrapper) * Math.min(n, 10_000)) / n;
  return { all, allGzipEstimate: (all * sampleGzip) / sampleRaw, limited };
}

function tokenizeCost(corpus: SyntheticCorpus): { msPerPost: number; rounds: number } {
  const rounds = SMOKE ? 2 : 20;
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (const p of corpus.posts) {
      const text = htmlToSearchText(p.html);
      indexTokens(p.title);
      indexTokens(text);
    }
    times.push(performance.now() - t);
  }
  return { msPerPost: pct(times, 50) / corpus.posts.length, rounds };
}

// ---------------------------------------------------------------------------------------------

function report(results: SizeResult[], tokenize: { msPerPost: number }, startedAt: Date): string {
  const lines: string[] = [];
  lines.push('# Search benchmark results', '');
  lines.push(
    `Generated by \`node --import tsx bench/search/run.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${startedAt.toISOString()}, ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}. Rank cap ${CAP === undefined ? `rankCap() (${int(TOKEN_RANK_CAP)} single-token, ${int(PHRASE_RANK_CAP)} with a phrase)` : int(CAP)}, FTS5 options ${FTS_OPTIONS ?? 'as SEARCH_SCHEMA'}, pgsz ${PGSZ ?? 'as SEARCH_SCHEMA (32768)'}, automerge ${AUTOMERGE ?? 'default (4)'}, crisismerge ${CRISISMERGE ?? 'default (16)'}, ` +
      `${ROUNDS} rounds per query, ${INSERTS} single-post inserts per size. What is measured and how: bench/search/run.ts; the design: src/search/README.md.`,
    '',
  );
  lines.push('## Query latency (50 queries, page 1 of 10, on a miss)', '');
  lines.push(
    'Per query: the median of its rounds. Then the median, p95 and max over the 50 queries. "In Worker" is performance.now() around searchPage inside workerd ' +
      '(workerd advances its clock only at I/O, so these are whole milliseconds); "request" is the whole dispatchFetch from Node (parse, D1, snippets, JSON). ' +
      '"First run" is the first round on a freshly started Worker.',
    '',
  );
  lines.push(
    table(
      ['posts', 'in Worker median', 'in Worker p95', 'in Worker max', 'request median', 'request p95', 'first run p95', 'rows read median', 'rows read max'],
      results.map((r) => {
        const w = r.queries.map((q) => pct(q.workerMs, 50));
        const nd = r.queries.map((q) => pct(q.nodeMs, 50));
        const rr = r.queries.map((q) => q.rowsRead);
        return [int(r.n), `${f1(pct(w, 50))} ms`, `**${f1(pct(w, 95))} ms**`, `${f1(Math.max(...w))} ms`, `${f1(pct(nd, 50))} ms`, `${f1(pct(nd, 95))} ms`, `${f1(pct(r.firstRound.workerMs, 95))} ms`, int(pct(rr, 50)), int(Math.max(...rr))];
      }),
    ),
    '',
  );
  const largest = results[results.length - 1];
  if (largest) {
    lines.push(`### Per query at ${int(largest.n)} posts`, '');
    lines.push(
      table(
        ['query', 'kind', 'matches', 'in Worker (median)', 'request (median)', 'D1 rows read', 'round trips', 'API bytes (gzip)'],
        largest.queries.map((q) => [`\`${q.q}\``, q.kind, int(q.total), `${f1(pct(q.workerMs, 50))} ms`, `${f2(pct(q.nodeMs, 50))} ms`, int(q.rowsRead), q.roundTrips, `${int(q.apiBytes)} (${int(q.apiGzip)})`]),
      ),
      '',
    );
  }
  lines.push('## Index build and size', '');
  lines.push(
    table(
      ['posts', 'build', 'per post', 'database', 'per post', 'FTS5 index per post', 'stored text per post', 'FTS5 data rows'],
      results.map((r) => [
        int(r.n),
        `${f1(r.buildSeconds)} s`,
        `${f2((r.buildSeconds * 1000) / r.n)} ms`,
        mib(r.stats.dbBytes),
        kib(r.stats.dbBytes / r.n),
        kib((r.stats.ftsDataBytes + r.stats.docsizeBytes) / r.n),
        kib(r.stats.textBytes / r.n),
        int(r.stats.ftsDataRows),
      ]),
    ),
    '',
    `Tokenising in the upload (htmlToSearchText + indexTokens of title and text, Node, median of rounds over the 61 posts): ${f2(tokenize.msPerPost)} ms per post.`,
    '',
  );
  lines.push('## Rows written per new post (search part only)', '');
  lines.push(
    'D1 = the sum of `meta.rows_written` over the 4 search statements (what D1 reports; it counts rows a statement itself writes, not FTS5\'s shadow tables). ' +
      'SQLite = rows changed in the database (total_changes(), shadow tables and merges included, minus the articles row and the measured per-request overhead). ' +
      '"Bulk" = the build, 100 posts per transaction; the others = one post per transaction.',
    '',
  );
  lines.push(
    table(
      ['posts', 'D1 mean', 'D1 max', 'SQLite mean', 'SQLite p50', 'SQLite p99', 'SQLite max', 'bulk: D1 per post (all 5 statements)', 'bulk: SQLite per post'],
      results.map((r) => [
        int(r.n),
        f2(mean(r.inserts.d1)),
        int(Math.max(...r.inserts.d1)),
        f1(mean(r.inserts.changes)),
        int(pct(r.inserts.changes, 50)),
        int(pct(r.inserts.changes, 99)),
        int(Math.max(...r.inserts.changes)),
        f2(r.bulkRowsWrittenPerPost),
        f1(r.bulkChangesPerPost),
      ]),
    ),
    '',
  );
  lines.push('## Bytes to the browser', '');
  lines.push(
    'hexo-generator-search\'s search.xml for the same posts (content = each post\'s HTML, `format: html`), which the theme downloads whole, against one search API response ' +
      '(page 1, 10 results with snippets). gzip of search.xml is estimated from its first 1,000 entries.',
    '',
  );
  lines.push(
    table(
      ['posts', 'search.xml, all posts', 'gzip', 'search.xml, limit 10000', 'API response median (gzip)', 'API response max (gzip)'],
      results.map((r) => {
        const b = r.queries.map((q) => q.apiBytes);
        const g = r.queries.map((q) => q.apiGzip);
        return [int(r.n), mib(r.xml.all), mib(r.xml.allGzipEstimate), mib(r.xml.limited), `${kib(pct(b, 50))} (${kib(pct(g, 50))})`, `${kib(Math.max(...b))} (${kib(Math.max(...g))})`];
      }),
    ),
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'search-bench-bundle-'));
  try {
    const scriptPath = await bundleWorker(dir);
    const corpus = new SyntheticCorpus();
    const tokenize = tokenizeCost(corpus);
    const results: SizeResult[] = [];
    for (const n of SIZES) results.push(await measureSize(scriptPath, corpus, n));
    const md = report(results, tokenize, startedAt);
    await mkdir(path.dirname(OUT), { recursive: true });
    await writeFile(OUT, `${md}\n`);
    process.stdout.write(`${md}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
