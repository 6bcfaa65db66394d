/**
 * One measured upload, in its own process (so its peak RSS is the upload's, not the benchmark's):
 * `upload()` from src/upload/upload.ts with exactly the options `npm run upload` passes (wrangler.toml
 * vars, the migrations, `searchIndexer()`), on `openLocalStore` with a persisted state folder, the
 * store wrapped to count and time what it is asked to do. Prints one JSON line (UploadChildResult).
 *
 *   node --import tsx bench/upload-child.ts --dir SITE --persist-to STATE [--prune] [--list-keys]
 *
 * Phases come from the order upload() calls the store in: everything before `openStore()` is
 * reading and validating the posts; then the index state is read (D1 rows, the KV index record),
 * the plan made (no store calls), the migrations checked, and the plan executed (KV puts, D1
 * batches, and between them the values built: posts re-read, search text and tokens made).
 */
import { parseArgs } from 'node:util';
import { kvKeys } from '../src/store/kv-layout.js';
import { openLocalStore } from '../src/upload/local-store.js';
import type { Statement } from '../src/upload/plan.js';
import { projectRoot, readWranglerConfig } from '../src/upload/project.js';
import { searchIndexer } from '../src/upload/search-index.js';
import type { Store } from '../src/upload/targets.js';
import { upload } from '../src/upload/upload.js';

export interface StoreCall {
  op: 'kv.get' | 'kv.put' | 'kv.delete' | 'd1.all' | 'd1.batch';
  start: number;
  end: number;
  /** Keys (KV) or statements (D1). */
  count: number;
  /** First SQL of a D1 call (to recognise the migration and state reads). */
  sql?: string;
}

export interface UploadChildResult {
  ok: boolean;
  errors: string[];
  warnings: number;
  summary: Record<string, unknown> | null;
  totalMs: number;
  /** Consecutive phases (they add up to totalMs), each with the peak memory sampled in it (MiB). */
  phases: { name: string; ms: number; peakRssMiB: number; peakHeapMiB: number }[];
  write: { kvMs: number; d1Ms: number; otherMs: number };
  kv: { putCalls: number; keysPut: number; keysDeleted: number; getKeys: number; putMs: number; keys: string[] | null; deletedKeys: string[] | null };
  d1: { batches: number; statements: number; batchMs: number; allCalls: number; allMs: number; sqliteChanges: number | null };
  log: { atMs: number; line: string }[];
  /** process.resourceUsage().maxRSS of this process (KiB): its exact peak RSS. */
  maxRssKiB: number;
}

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    'persist-to': { type: 'string' },
    prune: { type: 'boolean' },
    'list-keys': { type: 'boolean' },
  },
});
if (!args.dir || !args['persist-to']) {
  console.error('usage: node --import tsx bench/upload-child.ts --dir SITE --persist-to STATE [--prune] [--list-keys]');
  process.exit(2);
}

const t0 = performance.now();
const at = () => performance.now() - t0;
// Memory every 250 ms (a busy event loop samples less often; maxRSS below is exact).
const samples: { at: number; rss: number; heap: number }[] = [];
const sampleMemory = () => {
  const m = process.memoryUsage();
  samples.push({ at: at(), rss: m.rss / 1048576, heap: m.heapUsed / 1048576 });
};
const sampler = setInterval(sampleMemory, 250);
const calls: StoreCall[] = [];
const keys: string[] = [];
const deletedKeys: string[] = [];
const listKeys = args['list-keys'] ?? false;
let openAt = 0;
let readyAt = 0;
let closeAt = 0;
let changesBefore: number | null = null;
let changesAfter: number | null = null;

const TOTAL_CHANGES: Statement = { sql: 'SELECT total_changes() AS n', params: [] };

function wrap(store: Store): Store {
  const record = async <T>(op: StoreCall['op'], count: number, fn: () => Promise<T>, sql?: string): Promise<T> => {
    const start = at();
    try {
      return await fn();
    } finally {
      calls.push({ op, start, end: at(), count, sql });
    }
  };
  return {
    name: store.name,
    kv: {
      getMany: (k) => record('kv.get', k.length, () => store.kv.getMany(k), k.length === 1 ? k[0] : undefined),
      putMany: (entries) => {
        if (listKeys) keys.push(...entries.map((e) => e.key));
        return record('kv.put', entries.length, () => store.kv.putMany(entries));
      },
      deleteMany: (k) => {
        if (listKeys) deletedKeys.push(...k);
        return record('kv.delete', k.length, () => store.kv.deleteMany(k));
      },
    },
    d1: {
      maxBatch: store.d1.maxBatch,
      all: (s) => record('d1.all', 1, () => store.d1.all(s), s.sql),
      batch: (s) => record('d1.batch', s.length, () => store.d1.batch(s), s[0]?.sql),
    },
    async close() {
      // Rows SQLite changed over the whole upload (FTS5 shadow tables and merges included): the
      // same connection (the local D1 object lives as long as this store), read before closing.
      changesAfter = (await store.d1.all<{ n: number }>(TOTAL_CHANGES)).rows[0]?.n ?? null;
      closeAt = at();
      await store.close();
    },
  };
}

const wrangler = readWranglerConfig();
const log: { atMs: number; line: string }[] = [];
let outcome;
let errorText: string | null = null;
try {
  outcome = await upload(
    {
      dir: args.dir,
      prune: args.prune,
      vars: wrangler.vars,
      migrationsDir: wrangler.migrationsDir,
      search: searchIndexer(),
      log: (line) => log.push({ atMs: at(), line }),
    },
    async () => {
      openAt = at();
      const store = await openLocalStore(projectRoot, { kvNamespaceId: wrangler.kvNamespaceId, d1DatabaseId: wrangler.d1DatabaseId }, args['persist-to']);
      changesBefore = (await store.d1.all<{ n: number }>(TOTAL_CHANGES)).rows[0]?.n ?? null;
      readyAt = at();
      return wrap(store);
    },
  );
} catch (error) {
  errorText = (error as Error).stack ?? String(error);
}
sampleMemory();
clearInterval(sampler);
const totalMs = at();

function phases(): UploadChildResult['phases'] {
  const marks: { name: string; end: number }[] = [];
  if (!openAt) marks.push({ name: 'read and validate the posts', end: totalMs });
  else {
    marks.push({ name: 'read and validate the posts', end: openAt });
    marks.push({ name: 'open the local store (workerd start)', end: readyAt });
    // readPreviousState ends with the KV index record read.
    const stateEnd = calls.find((c) => c.op === 'kv.get' && c.sql === kvKeys.index)?.end ?? readyAt;
    marks.push({ name: 'read the index state (D1 articles rows, KV index record)', end: stateEnd });
    // applyMigrations: reads sqlite_master / d1_migrations, maybe one batch per migration.
    const migration = calls.filter((c) => c.start >= stateEnd && (c.sql?.includes('d1_migrations') || c.sql?.startsWith('CREATE')));
    const migStart = migration[0]?.start ?? stateEnd;
    const migEnd = migration.length ? migration[migration.length - 1]!.end : stateEnd;
    marks.push({ name: 'plan (and import the SQL splitter)', end: migStart });
    marks.push({ name: 'migrations', end: migEnd });
    marks.push({ name: 'write (KV puts, D1 batches, values built in between)', end: closeAt || totalMs });
    marks.push({ name: 'close', end: totalMs });
  }
  let start = 0;
  return marks.map((m) => {
    const inside = samples.filter((x) => x.at >= start && x.at <= m.end);
    const out = { name: m.name, ms: m.end - start, peakRssMiB: Math.max(0, ...inside.map((x) => x.rss)), peakHeapMiB: Math.max(0, ...inside.map((x) => x.heap)) };
    start = m.end;
    return out;
  });
}

/** The write phase split: time inside KV and D1 calls, and the rest (building values). */
function writeSplit(): { kvMs: number; d1Ms: number; otherMs: number } {
  const writeStart = phases().slice(0, -2).reduce((s, p) => s + p.ms, 0);
  const exec = calls.filter((c) => c.start >= writeStart);
  const busy = (ops: StoreCall['op'][]) => exec.filter((c) => ops.includes(c.op)).reduce((s, c) => s + (c.end - c.start), 0);
  const kvMs = busy(['kv.put', 'kv.delete', 'kv.get']);
  const d1Ms = busy(['d1.batch', 'd1.all']);
  const write = phases().find((p) => p.name.startsWith('write'))?.ms ?? 0;
  return { kvMs, d1Ms, otherMs: Math.max(0, write - kvMs - d1Ms) };
}

const sumMs = (op: StoreCall['op']) => calls.filter((c) => c.op === op).reduce((s, c) => s + (c.end - c.start), 0);
const count = (op: StoreCall['op']) => calls.filter((c) => c.op === op).reduce((s, c) => s + c.count, 0);
const result: UploadChildResult = {
  ok: outcome?.ok === true,
  errors: errorText ? [errorText] : outcome && !outcome.ok ? outcome.errors.slice(0, 20) : [],
  warnings: outcome?.warnings.length ?? 0,
  summary: outcome?.ok ? { ...outcome.summary } : null,
  totalMs,
  phases: phases(),
  write: writeSplit(),
  kv: {
    putCalls: calls.filter((c) => c.op === 'kv.put').length,
    keysPut: count('kv.put'),
    keysDeleted: count('kv.delete'),
    getKeys: count('kv.get'),
    putMs: sumMs('kv.put'),
    keys: listKeys ? keys : null,
    deletedKeys: listKeys ? deletedKeys : null,
  },
  d1: {
    batches: calls.filter((c) => c.op === 'd1.batch').length,
    statements: count('d1.batch'),
    batchMs: sumMs('d1.batch'),
    allCalls: calls.filter((c) => c.op === 'd1.all').length,
    allMs: sumMs('d1.all'),
    sqliteChanges: changesBefore !== null && changesAfter !== null ? changesAfter - changesBefore : null,
  },
  log,
  maxRssKiB: process.resourceUsage().maxRSS,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.ok ? 0 : 1);
