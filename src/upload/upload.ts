/**
 * The upload, as a function: settings, read and validate every post, read the index as it is,
 * plan, then write in order (execute.ts). Nothing is written — no store is even opened for
 * writing — until every file and every limit has been checked.
 */
import { PostError } from '../content/front-matter.js';
import { HexoConfigError } from '../hexo/config.js';
import { LAYOUT_VERSION, type StoredArticle } from '../store/kv-layout.js';
import { type ExecuteResult, type Materialized, executePlan } from './execute.js';
import { type ContentFields, hashContent, storedArticle } from './article-value.js';
import { type LoadedPost, loadPosts, readPost } from './load-posts.js';
import { applyMigrations } from './migrations.js';
import { type ArticleWrite, type PreviousState, type Statement, type UploadPlan, planUpload } from './plan.js';
import { SettingsError, type UploadSettings, resolveSettings } from './settings.js';
import { siteRules } from './site-rules.js';
import { readPreviousState } from './state.js';
import type { Store } from './targets.js';

export interface UploadOptions {
  /** `--dir`: a posts folder or a Hexo site root. */
  dir: string;
  prune?: boolean;
  allowEmpty?: boolean;
  dryRun?: boolean;
  flags?: { timezone?: string };
  /** wrangler.toml [vars]. */
  vars: ReadonlyMap<string, string>;
  migrationsDir: string;
  log?: (line: string) => void;
  /** The time of this upload (tests inject it). */
  now?: () => Date;
  /** Articles written per round (see execute.ts). */
  chunkSize?: number;
  /** Extra D1 statements per written article (search rows) and per deleted article. */
  search?: {
    upsert(slug: string, fields: ContentFields): Statement[];
    remove(slug: string): Statement[];
  };
}

export interface UploadSummary {
  added: number;
  updated: number;
  relinked: number;
  unchanged: number;
  deleted: number;
  kvWritten: number;
  kvDeleted: number;
  d1RowsWritten: number;
  d1RowsRead: number;
  version: string;
  dryRun: boolean;
}

export type UploadOutcome =
  | { ok: true; summary: UploadSummary; line: string; warnings: string[]; plan: UploadPlan; settings: UploadSettings }
  | { ok: false; errors: string[]; warnings: string[] };

export class ChangedDuringUploadError extends Error {
  override name = 'ChangedDuringUploadError';
}

export function summaryLine(s: UploadSummary): string {
  const counts = `added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}, deleted ${s.deleted}, relinked ${s.relinked}`;
  if (s.dryRun) return `dry run: ${counts}; nothing written`;
  return `${counts} (${s.kvWritten} KV keys written, ${s.kvDeleted} deleted; ${s.d1RowsWritten} D1 rows written)`;
}

const failed = (errors: string[], warnings: string[] = []): UploadOutcome => ({ ok: false, errors, warnings });

/** Does the store have the index tables yet (a first upload into a fresh local state has none)? */
async function hasSchema(store: Store): Promise<boolean> {
  const { rows } = await store.d1.all<{ n: number }>({
    sql: "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('articles', 'lists', 'entries', 'meta')",
    params: [],
  });
  return (rows[0]?.n ?? 0) === 4;
}

const EMPTY_STATE: PreviousState = { rows: new Map(), gone: new Map(), version: null, changedAt: null, site: null, siteChangedAt: null, dirty: false, kvVersion: null };

export async function upload(options: UploadOptions, openStore: () => Promise<Store>): Promise<UploadOutcome> {
  const log = options.log ?? (() => {});
  let settings: UploadSettings;
  try {
    settings = resolveSettings({ dir: options.dir, flags: options.flags ?? {}, vars: options.vars });
  } catch (error) {
    if (error instanceof SettingsError || error instanceof HexoConfigError || error instanceof PostError) return failed([error.message]);
    throw error;
  }
  const rules = siteRules(settings);
  log(`posts: ${settings.postsDir}${settings.siteRoot ? ` (Hexo site ${settings.siteRoot})` : ''}`);
  const loaded = await loadPosts(settings.postsDir, { timeZone: settings.timeZone, rules });
  if (loaded.errors.length > 0) return failed(loaded.errors, loaded.warnings);
  if (loaded.posts.length === 0 && !options.allowEmpty) {
    return failed(
      [
        `${settings.postsDir}: no posts found (Markdown files, searched recursively; names starting with . or _ are skipped). ` +
          `Point --dir at a Hexo site or its source/_posts folder${options.prune ? '; to delete every article, add --allow-empty' : ''}.`,
      ],
      loaded.warnings,
    );
  }

  const store = await openStore();
  try {
    const schema = await hasSchema(store);
    const previous = schema ? await readPreviousState(store) : EMPTY_STATE;
    const plan = planUpload(
      loaded.posts.map((p) => p.record),
      previous,
      { prune: options.prune ?? false, rules, site: settings.site, now: (options.now?.() ?? new Date()).toISOString() },
    );
    if (plan.errors.length > 0) return failed(plan.errors, loaded.warnings);
    const base = {
      added: plan.added.length,
      updated: plan.updated.length,
      relinked: plan.relinked.length,
      unchanged: plan.unchanged.length,
      deleted: plan.deleted.length,
      version: plan.version,
      dryRun: options.dryRun ?? false,
    };
    if (options.dryRun) {
      for (const slug of plan.added) log(`would add ${slug}`);
      for (const slug of plan.updated) log(`would update ${slug}`);
      for (const slug of plan.deleted) log(`would delete ${slug}`);
      const summary = { ...base, kvWritten: 0, kvDeleted: 0, d1RowsWritten: 0, d1RowsRead: 0 };
      return { ok: true, summary, line: summaryLine(summary), warnings: loaded.warnings, plan, settings };
    }
    const applied = await applyMigrations(store.d1, options.migrationsDir);
    if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
    const bySlug = new Map<string, LoadedPost>(loaded.posts.map((p) => [p.record.slug, p]));
    let result: ExecuteResult;
    try {
      result = await executePlan(plan, store, {
        materialize: (write, stored) => materialize(write, stored, bySlug, settings, options.search),
        deleteStatements: options.search ? (slug) => options.search!.remove(slug) : undefined,
        log,
        chunkSize: options.chunkSize,
      });
    } catch (error) {
      if (error instanceof ChangedDuringUploadError) return failed([error.message], loaded.warnings);
      throw new Error(`writing to ${store.name} failed: ${(error as Error).message}. What was written is consistent; run the upload again to finish.`);
    }
    const summary = { ...base, kvWritten: result.kvWritten, kvDeleted: result.kvDeleted, d1RowsWritten: result.d1.rowsWritten, d1RowsRead: result.d1.rowsRead };
    return { ok: true, summary, line: summaryLine(summary), warnings: loaded.warnings, plan, settings };
  } finally {
    await store.close();
  }
}

async function materialize(
  write: ArticleWrite,
  stored: string | null,
  posts: ReadonlyMap<string, LoadedPost>,
  settings: UploadSettings,
  search: UploadOptions['search'],
): Promise<Materialized> {
  const { row } = write;
  let fields: ContentFields;
  if (write.source.kind === 'file') {
    const post = posts.get(row.slug)!;
    ({ fields } = await readPost(post.abs, post.rel, settings.timeZone));
    if (hashContent(fields) !== row.contentHash) {
      throw new ChangedDuringUploadError(`${post.record.file}: changed while it was being uploaded; run the upload again`);
    }
  } else {
    // An article kept without its file (no --prune): its stored value, with new links around it.
    let old: StoredArticle;
    try {
      old = JSON.parse(stored ?? 'null') as StoredArticle;
    } catch {
      old = null as unknown as StoredArticle;
    }
    if (!old || old.v !== LAYOUT_VERSION) {
      throw new Error(`article ${JSON.stringify(row.slug)} is indexed but its KV value is missing or from another layout; upload the folder that has it, or run with --prune`);
    }
    const { slug, title, date, author, categories, tags, headimg, thumbnail, lang, body } = old;
    fields = { slug, title, date, author, categories, tags, headimg, thumbnail, lang, body };
  }
  return { value: JSON.stringify(storedArticle(fields, write)), statements: search && write.contentChanged ? search.upsert(row.slug, fields) : [] };
}
