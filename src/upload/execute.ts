/**
 * Carries out an UploadPlan against a store, in the order plan.ts explains. Article values are
 * built (the post file read again, or the stored value patched) a chunk at a time, so memory
 * stays flat at 100k posts. A small upload — the usual one: a few new posts — goes to D1 as one
 * atomic batch; a large one marks the index dirty first and clears it last.
 */
import { META } from '../store/d1-layout.js';
import { kvKeys } from '../store/kv-layout.js';
import type { ArticleRow, ArticleWrite, Statement, UploadPlan } from './plan.js';
import type { D1Counts, KvEntry, Store } from './targets.js';

/** Articles built and written per round (values held in memory at once). */
export const ARTICLE_CHUNK = 200;

export interface Materialized {
  /** The KV value (JSON of the StoredArticle). */
  value: string;
  /** Extra D1 statements for this article (its search rows), run with its `articles` row. */
  statements: Statement[];
}

export interface ExecuteHooks {
  /** Builds one article's KV value; throws when the post changed since it was validated. */
  materialize(write: ArticleWrite, stored: string | null): Promise<Materialized>;
  /** Statements that remove a deleted article's search rows (run before its `articles` row goes). */
  deleteStatements?(slug: string): Statement[];
  log?(line: string): void;
  /** Articles built and written per round (tests make it small to exercise the chunked path). */
  chunkSize?: number;
}

export interface ExecuteResult {
  kvWritten: number;
  kvDeleted: number;
  d1: D1Counts;
}

const UPSERT_ARTICLE =
  'INSERT INTO articles (slug, path, abbrlink, title, date, tags, summary, content_hash, value_hash, changed_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET path = excluded.path, ' +
  'abbrlink = excluded.abbrlink, title = excluded.title, date = excluded.date, tags = excluded.tags, ' +
  'summary = excluded.summary, content_hash = excluded.content_hash, value_hash = excluded.value_hash, ' +
  'changed_at = excluded.changed_at';

export function upsertArticle(row: ArticleRow): Statement {
  return {
    sql: UPSERT_ARTICLE,
    params: [row.slug, row.path, row.abbrlink, row.title, row.date, JSON.stringify(row.tags), row.summary, row.contentHash, row.valueHash, row.changedAt],
  };
}

const SET_META = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
const DIRTY: Statement = { sql: SET_META, params: [META.dirty, '1'] };
const CLEAN: Statement = { sql: 'DELETE FROM meta WHERE key = ?', params: [META.dirty] };

/**
 * Paths are unique in D1. An article that takes over a path another one gives up in the same
 * upload (a date edit, a pruned article's abbrlink) would collide mid-way; moving every changing
 * or leaving path to a placeholder first makes any order of upserts safe. A leaving article is
 * marked gone (its former path kept), which takes it out of search at once; its KV value and its
 * row go only after the lists no longer name it — and an interrupted upload finds the mark.
 */
function releasePaths(plan: UploadPlan, hooks: ExecuteHooks): Statement[] {
  const out: Statement[] = [];
  for (const w of plan.articleWrites) {
    if (!w.isNew && w.writeLink) out.push({ sql: 'UPDATE articles SET path = ? WHERE slug = ?', params: [`\u0000moving:${w.row.slug}`, w.row.slug] });
  }
  for (const { slug, path } of plan.rowDeletes) {
    out.push(...(hooks.deleteStatements?.(slug) ?? []), {
      sql: 'UPDATE articles SET path = ?, gone = ? WHERE slug = ?',
      params: [`\u0000leaving:${slug}`, path, slug],
    });
  }
  return out;
}

const DELETE_GONE: Statement = { sql: 'DELETE FROM articles WHERE gone IS NOT NULL', params: [] };

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export async function executePlan(plan: UploadPlan, store: Store, hooks: ExecuteHooks): Promise<ExecuteResult> {
  const log = hooks.log ?? (() => {});
  const result: ExecuteResult = { kvWritten: 0, kvDeleted: 0, d1: { rowsRead: 0, rowsWritten: 0 } };
  const runBatch = async (statements: Statement[]) => {
    for (const part of chunks(statements, store.d1.maxBatch)) {
      const c = await store.d1.batch(part);
      result.d1.rowsRead += c.rowsRead;
      result.d1.rowsWritten += c.rowsWritten;
    }
  };
  const finish: Statement[] = [...plan.meta];
  const deleting = plan.kvDeletes.length > 0 || plan.rowDeletes.length > 0;

  /** Builds and writes one chunk of article values; returns its D1 statements. */
  const writeArticles = async (writes: ArticleWrite[]): Promise<Statement[]> => {
    const storedNeeded = writes.filter((w) => w.source.kind === 'stored').map((w) => kvKeys.article(w.row.slug));
    const stored = storedNeeded.length > 0 ? await store.kv.getMany(storedNeeded) : new Map<string, string | null>();
    const entries: KvEntry[] = [];
    const statements: Statement[] = [];
    for (const w of writes) {
      const built = await hooks.materialize(w, stored.get(kvKeys.article(w.row.slug)) ?? null);
      entries.push({ key: kvKeys.article(w.row.slug), value: built.value });
      if (w.writeLink) entries.push({ key: kvKeys.link(w.row.path), value: w.row.slug });
      statements.push(upsertArticle(w.row), ...built.statements);
    }
    await store.kv.putMany(entries);
    result.kvWritten += entries.length;
    return statements;
  };

  const chunkSize = hooks.chunkSize ?? ARTICLE_CHUNK;
  const released = releasePaths(plan, hooks);
  const small =
    plan.articleWrites.length <= chunkSize &&
    released.length + plan.articleWrites.length * 4 + plan.derived.length + finish.length + 2 <= store.d1.maxBatch;

  if (small) {
    // One atomic D1 batch after the KV writes: readers see the old index or the new one.
    const statements = [...released, ...(await writeArticles(plan.articleWrites)), ...plan.derived, ...finish];
    if (plan.rebuild) statements.push(CLEAN);
    if (statements.length > 0) {
      log(`writing the index (${statements.length} statements)`);
      await runBatch(statements);
    }
  } else {
    let first: Statement[] = [DIRTY, ...released];
    let done = 0;
    for (const part of chunks(plan.articleWrites, chunkSize)) {
      const statements = await writeArticles(part);
      await runBatch([...first, ...statements]);
      first = [];
      done += part.length;
      log(`articles: ${done} of ${plan.articleWrites.length} written`);
    }
    log(`writing ${plan.derived.length} list rows`);
    await runBatch([...first, ...plan.derived]);
    await runBatch([...finish, CLEAN]);
  }

  if (deleting) {
    // Unlisted now: their values, then their rows.
    if (plan.kvDeletes.length > 0) await store.kv.deleteMany(plan.kvDeletes);
    result.kvDeleted += plan.kvDeletes.length;
    await runBatch([DELETE_GONE]);
  }
  if (plan.indexRecord) {
    await store.kv.putMany([{ key: kvKeys.index, value: JSON.stringify(plan.indexRecord) }]);
    result.kvWritten++;
  }
  return result;
}
