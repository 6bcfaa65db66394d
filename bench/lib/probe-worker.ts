/**
 * The benchmark's probe Worker: runs in the same workerd as the real Worker (bench/lib/worker.ts),
 * bound to the same KV namespace and D1 database, and measures what the Worker's own query
 * functions do there (D1's `meta.rows_read`, `rows_written`), sizes and counts. Bundled by
 * `wrangler deploy --dry-run` (bench/lib/project.ts `bundleEntry`). Every route takes and returns JSON.
 *
 * - /list-page  {key, page, perPage}: readListPage (src/store/index-queries.ts), as a list miss runs it
 * - /search     {q, page, pageSize}: parseSearchQuery + searchPage, as /api/search runs them
 * - /kv-count   {prefix}: keys under a prefix (KV list, 1,000 a call)
 * - /stats:     database size and the rows and bytes of each part of the index
 * - /d1         {statements}: one batch; each statement's meta (rows_read, rows_written)
 * - /changes:   SQLite's total_changes() on D1's connection (FTS5 shadow-table writes included)
 */
import type { D1Database, KVNamespace } from '@cloudflare/workers-types/experimental';
import { parseSearchQuery } from '../../src/search/query.js';
import { searchPage, type SearchDb } from '../../src/search/sql.js';
import { readListPage } from '../../src/store/index-queries.js';

interface Env {
  DB: D1Database;
  KV: KVNamespace;
}

async function route(path: string, body: Record<string, unknown>, env: Env): Promise<unknown> {
  const db = env.DB;
  switch (path) {
    case '/list-page': {
      const read = await readListPage(db as never, String(body.key), Number(body.page), Number(body.perPage), null);
      const value = read.value;
      return { rowsRead: read.rowsRead, found: value !== null, items: value?.items.length ?? 0, pages: value?.pages ?? 0, count: value?.list.count ?? 0 };
    }
    case '/search': {
      const parsed = parseSearchQuery(String(body.q));
      if ('error' in parsed) return { error: parsed.error };
      const result = await searchPage(db as unknown as SearchDb, parsed, Number(body.page ?? 1), Number(body.pageSize ?? 10));
      return { total: result.total, rows: result.rows.length, meta: result.meta };
    }
    case '/kv-count': {
      const prefix = String(body.prefix ?? '');
      let n = 0;
      let cursor: string | undefined;
      for (;;) {
        const page = await env.KV.list({ prefix, cursor, limit: 1000 });
        n += page.keys.length;
        if (page.list_complete) break;
        cursor = page.cursor;
      }
      return { n };
    }
    case '/stats': {
      const one = async (sql: string) => Number((await db.prepare(sql).first<{ n: number }>())?.n ?? 0);
      const size = await db.prepare('SELECT 1').run();
      return {
        dbBytes: size.meta.size_after,
        articles: await one('SELECT count(*) AS n FROM articles'),
        lists: await one('SELECT count(*) AS n FROM lists'),
        entries: await one('SELECT count(*) AS n FROM entries'),
        entryBytes: await one('SELECT sum(length(CAST(summary AS BLOB)) + length(CAST(list AS BLOB)) + length(CAST(slug AS BLOB))) AS n FROM entries'),
        articleBytes: await one('SELECT sum(length(CAST(summary AS BLOB)) + length(CAST(slug AS BLOB)) + length(CAST(title AS BLOB)) + length(tags) + 100) AS n FROM articles'),
        ftsDataBytes: await one('SELECT sum(length(block)) AS n FROM search_fts_data'),
        ftsDataRows: await one('SELECT count(*) AS n FROM search_fts_data'),
        docsizeBytes: await one('SELECT sum(length(sz)) AS n FROM search_fts_docsize'),
        textBytes: await one('SELECT sum(length(CAST(body AS BLOB))) AS n FROM search_text'),
      };
    }
    case '/d1': {
      const statements = body.statements as { sql: string; params: unknown[] }[];
      const results = await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
      return { meta: results.map((r) => ({ rowsRead: r.meta.rows_read, rowsWritten: r.meta.rows_written })) };
    }
    case '/changes': {
      return { n: Number((await db.prepare('SELECT total_changes() AS n').first<{ n: number }>())?.n ?? 0) };
    }
    default:
      throw new Error(`no route ${path}`);
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === 'POST' ? ((await request.json()) as Record<string, unknown>) : {};
    try {
      return Response.json(await route(url.pathname, body, env));
    } catch (e) {
      return Response.json({ error: String(e) }, { status: 500 });
    }
  },
};
