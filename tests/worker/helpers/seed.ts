/**
 * Seeds the real Miniflare KV and D1 bindings the way the upload does — the same parser, plan,
 * and executor (write order included) — from fixture files bundled into the test with Vite's raw
 * imports. Only reading files is replaced: workerd has no file system.
 */
import { env } from 'cloudflare:workers';
import { parsePost } from '../../../src/content/front-matter';
import { type ContentFields, contentFields, hashContent, storedArticle } from '../../../src/upload/article-value';
import { executePlan } from '../../../src/upload/execute';
import { type PostRecord, type UploadPlan, planUpload } from '../../../src/upload/plan';
import { searchIndexer } from '../../../src/upload/search-index';
import { settingsFor } from '../../../src/upload/settings';
import { siteRules } from '../../../src/upload/site-rules';
import { readPreviousState } from '../../../src/upload/state';
import type { Store } from '../../../src/upload/targets';

const raw = import.meta.glob('../../fixtures/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** File name → source of every real post in tests/fixtures. */
export const fixturePosts: Record<string, string> = Object.fromEntries(Object.entries(raw).map(([p, source]) => [p.split('/').pop()!, source]));

/** The bindings as an upload store. */
export function bindingStore(kv: KVNamespace = env.ARTICLES, db: D1Database = env.DB): Store {
  return {
    name: 'test bindings',
    kv: {
      async getMany(keys) {
        return new Map(await Promise.all(keys.map(async (k) => [k, await kv.get(k)] as [string, string | null])));
      },
      // In parallel (the order within one call does not matter to the executor; the calls are
      // sequenced by it), so seeding a few hundred posts stays quick.
      async putMany(entries) {
        await Promise.all(entries.map((e) => kv.put(e.key, e.value)));
      },
      async deleteMany(keys) {
        await Promise.all(keys.map((k) => kv.delete(k)));
      },
    },
    d1: {
      maxBatch: 500,
      async all<T>(s: { sql: string; params: (string | number | null)[] }) {
        const r = await db.prepare(s.sql).bind(...s.params).all<T>();
        return { rows: r.results, counts: { rowsRead: r.meta.rows_read ?? 0, rowsWritten: r.meta.rows_written ?? 0 } };
      },
      async batch(statements) {
        if (statements.length === 0) return { rowsRead: 0, rowsWritten: 0 };
        const results = await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
        return results.reduce((n, r) => ({ rowsRead: n.rowsRead + (r.meta.rows_read ?? 0), rowsWritten: n.rowsWritten + (r.meta.rows_written ?? 0) }), { rowsRead: 0, rowsWritten: 0 });
      },
    },
    async close() {},
  };
}

/** wrangler.toml's upload settings as the tests' env has them, with overrides. */
export function testVars(overrides: Record<string, string> = {}): Map<string, string> {
  const e = env as unknown as Record<string, unknown>;
  const vars = new Map<string, string>();
  for (const name of ['PERMALINK', 'ABBRLINK_ALG', 'ABBRLINK_REP', 'SITE_TIMEZONE']) if (typeof e[name] === 'string') vars.set(name, e[name] as string);
  for (const [k, v] of Object.entries(overrides)) vars.set(k, v);
  return vars;
}

export interface SeedOptions {
  prune?: boolean;
  vars?: Map<string, string>;
  now?: string;
  store?: Store;
  /** Articles per round (small: the chunked path with its dirty marker). */
  chunkSize?: number;
}

/** Uploads `files` (path under the posts folder → source). Throws on invalid posts or plan errors. */
export async function seed(files: Record<string, string> = fixturePosts, options: SeedOptions = {}): Promise<UploadPlan> {
  const settings = settingsFor({ postsDir: 'fixtures', siteRoot: null, hexo: null, flags: {}, vars: options.vars ?? testVars() });
  const rules = siteRules(settings);
  const fields = new Map<string, ContentFields>();
  const records: PostRecord[] = Object.entries(files).map(([rel, source]) => {
    const { article } = parsePost(rel, source, { timeZone: settings.timeZone });
    const f = contentFields(article);
    fields.set(f.slug, f);
    return {
      file: rel,
      slug: f.slug,
      contentHash: hashContent(f),
      title: f.title,
      date: f.date,
      author: f.author,
      categories: f.categories,
      tags: f.tags,
      thumbnail: f.thumbnail,
      abbrlink: article.abbrlink,
    };
  });
  const store = options.store ?? bindingStore();
  const previous = await readPreviousState(store);
  const plan = planUpload(records, previous, { prune: options.prune ?? false, rules, site: settings.site, now: options.now ?? new Date().toISOString() });
  if (plan.errors.length > 0) throw new Error(plan.errors.join('\n'));
  const search = searchIndexer();
  await executePlan(plan, store, {
    chunkSize: options.chunkSize,
    async materialize(write, stored) {
      const f = fields.get(write.row.slug) ?? (JSON.parse(stored!) as ContentFields);
      return { value: JSON.stringify(storedArticle(f, write)), statements: write.contentChanged ? search.upsert(write.row.slug, f) : [] };
    },
    deleteStatements: (slug) => search.remove(slug),
  });
  return plan;
}

/** Empties KV and the index tables (not the schema). */
export async function clearStore(kv: KVNamespace = env.ARTICLES, db: D1Database = env.DB) {
  const { keys } = await kv.list();
  await Promise.all(keys.map((k) => kv.delete(k.name)));
  await db.batch(['articles', 'lists', 'entries', 'meta', 'search_fts', 'search_text'].map((t) => db.prepare(`DELETE FROM ${t}`)));
}
