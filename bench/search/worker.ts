/**
 * The benchmark's Worker: runs inside workerd (Miniflare) against a real D1, so index writes and
 * query latency are measured where the production code runs. Bundled by `wrangler deploy
 * --dry-run` from bench/search/run.ts. Every route takes and returns JSON.
 *
 * - POST /setup   {schema?, pgsz?, automerge?, crisismerge?}: the schema (src/search/sql.ts, or the
 *                 one given) plus a stand-in `articles` table, and FTS5 options.
 * - POST /index   {docs}: one D1 batch (one transaction) for the docs, as the upload would write.
 * - POST /insert  {doc}: one article in its own batch; D1's rows_written per statement.
 * - POST /changes: SQLite's total_changes() (rows inserted, updated or deleted, shadow tables of
 *                 FTS5 included, since the connection opened).
 * - POST /query   {q, page, pageSize, cap}: parse + searchPage + snippets, timed with
 *                 performance.now() around the D1 work; returns the API response it would send.
 * - POST /sql     {sql, params, reps}: one statement, timed (for experiments).
 * - POST /stats:  sizes of the index and the stored text.
 */
import type { D1Database, D1PreparedStatement, D1Result } from '@cloudflare/workers-types/experimental';
import { parseSearchQuery } from '../../src/search/query.js';
import { makeSnippet } from '../../src/search/snippet.js';
import { SEARCH_SCHEMA, searchIndexStatements, searchPage } from '../../src/search/sql.js';

interface Env {
  DB: D1Database;
}

export interface BenchDoc {
  id: number;
  slug: string;
  title: string;
  date: string;
  categories: string[];
  text: string;
  titleTokens: string;
  bodyTokens: string;
}

function statementsFor(db: D1Database, d: BenchDoc): D1PreparedStatement[] {
  return [
    db
      .prepare('INSERT INTO articles (id, slug, date, title, categories) VALUES (?1, ?2, ?3, ?4, ?5)')
      .bind(d.id, d.slug, d.date, d.title, JSON.stringify(d.categories)),
    ...(searchIndexStatements(db, { articleId: d.id, title: d.title, date: d.date, text: d.text }, { title: d.titleTokens, body: d.bodyTokens }) as D1PreparedStatement[]),
  ];
}

async function route(path: string, body: Record<string, unknown>, env: Env): Promise<unknown> {
  const db = env.DB;
  switch (path) {
    case '/setup': {
      await db.prepare('CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, date TEXT, title TEXT NOT NULL, categories TEXT NOT NULL, summary TEXT)').run();
      // `schema` replaces SEARCH_SCHEMA, to compare FTS5 options (run.ts --fts-options).
      const schema = Array.isArray(body.schema) ? (body.schema as string[]) : SEARCH_SCHEMA;
      for (const s of schema) await db.prepare(s).run();
      for (const option of ['pgsz', 'automerge', 'crisismerge'] as const) {
        const value = body[option];
        // A literal integer: a bound JavaScript number arrives as a REAL, which FTS5 rejects.
        if (typeof value === 'number') await db.prepare(`INSERT INTO search_fts (search_fts, rank) VALUES ('${option}', ${Math.trunc(value)})`).run();
      }
      return {};
    }
    case '/index': {
      const docs = body.docs as BenchDoc[];
      const results = await db.batch(docs.flatMap((d) => statementsFor(db, d)));
      return {
        rowsWritten: results.reduce((s, r) => s + r.meta.rows_written, 0),
        sizeAfter: results[results.length - 1]?.meta.size_after ?? 0,
      };
    }
    case '/insert': {
      const results = await db.batch(statementsFor(db, body.doc as BenchDoc));
      return { rowsWritten: results.map((r) => r.meta.rows_written) };
    }
    case '/noop': {
      // The same number of statements as /insert, changing nothing: calibrates total_changes().
      const results = await db.batch(Array.from({ length: 5 }, () => db.prepare('DELETE FROM articles WHERE id = -1')));
      return { rowsWritten: results.map((r) => r.meta.rows_written) };
    }
    case '/changes': {
      const row = await db.prepare('SELECT total_changes() AS n').first<{ n: number }>();
      return { n: row?.n ?? 0 };
    }
    case '/query': {
      const parsed = parseSearchQuery(String(body.q));
      if ('error' in parsed) return { error: parsed.error };
      const page = Number(body.page ?? 1);
      const pageSize = Number(body.pageSize ?? 10);
      const t0 = performance.now();
      const result = await searchPage(db, parsed, page, pageSize, { cap: typeof body.cap === 'number' ? body.cap : undefined });
      const ms = performance.now() - t0;
      const api = JSON.stringify({
        results: result.rows.map((r) => ({
          slug: r.slug,
          title: r.title,
          date: r.date,
          url: `/articles/${encodeURIComponent(r.slug)}`,
          categories: [],
          snippet: makeSnippet(r.text, parsed.terms),
        })),
        total: result.total,
        page,
        pages: result.pages,
        took_ms: Math.round(ms),
      });
      return { ms, total: result.total, meta: result.meta, api };
    }
    case '/sql': {
      // One statement, run `reps` times, timed inside the Worker (bench/search experiments).
      const reps = Number(body.reps ?? 1);
      const params = (body.params as unknown[] | undefined) ?? [];
      let result: D1Result<Record<string, unknown>> | undefined;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) result = await db.prepare(String(body.sql)).bind(...params).all();
      return { ms: (performance.now() - t0) / reps, rows: result?.results.slice(0, 20), meta: result?.meta };
    }
    case '/stats': {
      const one = async (sql: string) => (await db.prepare(sql).first<{ n: number }>())?.n ?? 0;
      const size = await db.prepare('SELECT 1').run();
      return {
        dbBytes: size.meta.size_after,
        ftsDataBytes: await one('SELECT sum(length(block)) AS n FROM search_fts_data'),
        ftsDataRows: await one('SELECT count(*) AS n FROM search_fts_data'),
        ftsIdxRows: await one('SELECT count(*) AS n FROM search_fts_idx'),
        docsizeBytes: await one('SELECT sum(length(sz)) AS n FROM search_fts_docsize'),
        textBytes: await one('SELECT sum(length(CAST(body AS BLOB))) AS n FROM search_text'),
        articles: await one('SELECT count(*) AS n FROM articles'),
      };
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
