/**
 * The fixture corpus (tests/fixtures: the 61 real posts) as the upload stores it: each post's KV
 * value (StoredArticle: content, canonical path, neighbours, list links) built by the upload's
 * own pure steps (loadPosts → planUpload over an empty index → storedArticle), so the renderer
 * gets exactly what the Worker reads from KV.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { StoredArticle } from '../../src/store/kv-layout.js';
import { storedArticle } from '../../src/upload/article-value.js';
import { loadPosts, readPost } from '../../src/upload/load-posts.js';
import { type PreviousState, planUpload } from '../../src/upload/plan.js';
import { resolveSettings } from '../../src/upload/settings.js';
import { siteRules } from '../../src/upload/site-rules.js';
import { fixturesDir, readWranglerToml, tempDir } from './project.js';

export interface CorpusPost {
  file: string;
  slug: string;
  /** Canonical path (decoded), e.g. `/p/1a2b.html`. */
  path: string;
  /** UTF-8 bytes of the HTML body (what the rewrite parses). */
  bodyBytes: number;
  article: StoredArticle;
}

const EMPTY: PreviousState = { rows: new Map(), gone: new Map(), version: null, changedAt: null, site: null, siteChangedAt: null, dirty: false, kvVersion: null };

/** `n` items spread over the list, always including the first and the last. */
function pickSpread<T>(items: T[], n: number): T[] {
  if (n >= items.length) return items;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.round((i * (items.length - 1)) / Math.max(1, n - 1))] as T);
  return out;
}

/** A folder with the fixtures (all of them, or `limit` spread over them). */
export async function fixtureFolder(limit?: number): Promise<string> {
  if (limit === undefined) return fixturesDir;
  const { readdir } = await import('node:fs/promises');
  const names = pickSpread((await readdir(fixturesDir)).filter((n) => n.endsWith('.md')).sort(), limit);
  const dir = await tempDir('fixtures');
  for (const n of names) await cp(path.join(fixturesDir, n), path.join(dir, n));
  return dir;
}

export async function loadCorpus(dir: string): Promise<CorpusPost[]> {
  const settings = resolveSettings({ dir, flags: {}, vars: new Map(Object.entries(readWranglerToml().vars)) });
  const rules = siteRules(settings);
  const loaded = await loadPosts(settings.postsDir, { timeZone: settings.timeZone, rules });
  if (loaded.errors.length > 0) throw new Error(`fixtures: ${loaded.errors.join('; ')}`);
  const plan = planUpload(
    loaded.posts.map((p) => p.record),
    EMPTY,
    { prune: false, rules, site: settings.site, now: new Date(0).toISOString() },
  );
  if (plan.errors.length > 0) throw new Error(`fixtures: ${plan.errors.join('; ')}`);
  const bySlug = new Map(loaded.posts.map((p) => [p.record.slug, p]));
  const out: CorpusPost[] = [];
  for (const write of plan.articleWrites) {
    const post = bySlug.get(write.row.slug)!;
    const { fields } = await readPost(post.abs, post.rel, settings.timeZone);
    const article = storedArticle(fields, write);
    out.push({ file: post.rel, slug: article.slug, path: article.path, bodyBytes: Buffer.byteLength(article.body), article });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}
