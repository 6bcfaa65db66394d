/**
 * Where a query's time goes: each statement searchPage can run, timed alone inside workerd on a
 * kept benchmark database (`run.ts --sizes=100000 --keep=DIR`, then `explain.ts --db=DIR q…`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseSearchQuery } from '../../src/search/query.js';
import { tierMatch } from '../../src/search/sql.js';
import { BenchWorker, bundleWorker } from './harness.js';

const dbDir = process.argv.find((a) => a.startsWith('--db='))?.slice(5);
if (!dbDir) throw new Error('--db=DIR (a folder kept by run.ts --keep)');
const queries = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const reps = 5;
const BM25 = 'bm25(search_fts, 10.0, 1.0)';
const statements: Record<string, string> = {
  count: 'SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?1',
  'count to 10001': 'SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ?1 LIMIT 10001)',
  'title count': 'SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?2',
  'rowids only': 'SELECT max(rowid) AS n FROM search_fts WHERE search_fts MATCH ?1',
  'bm25 top 10': `SELECT rowid, ${BM25} AS s FROM search_fts WHERE search_fts MATCH ?1 ORDER BY s, rowid DESC LIMIT 10`,
  'rank top 10 (no sort key)': `SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rank LIMIT 10`,
  'bm25 materialized + count': `WITH m AS MATERIALIZED (SELECT rowid AS r, ${BM25} AS s FROM search_fts WHERE search_fts MATCH ?1) SELECT r, s, (SELECT count(*) FROM m) AS n FROM m ORDER BY s, r DESC LIMIT 10`,
};
const dir = await mkdtemp(path.join(os.tmpdir(), 'search-explain-'));
try {
  const worker = await BenchWorker.start(await bundleWorker(dir), dbDir);
  for (const raw of queries) {
    const q = parseSearchQuery(raw);
    if ('error' in q || q.match === null) continue;
    console.log(`\n${raw}  MATCH ${q.match}`);
    for (const [name, sql] of Object.entries(statements)) {
      const params = sql.includes('?2') ? [q.match, tierMatch(q.match, 'title')] : [q.match];
      await worker.call('/sql', { sql, params });
      const r = await worker.call<{ ms: number; rows: unknown[]; meta: { rows_read: number } }>('/sql', { sql, params, reps });
      console.log(`  ${name.padEnd(28)} ${r.ms.toFixed(1).padStart(6)} ms  rows_read ${r.meta.rows_read}  ${JSON.stringify(r.rows[0])}`);
    }
  }
  await worker.dispose();
} finally {
  await rm(dir, { recursive: true, force: true });
}
