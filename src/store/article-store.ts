/**
 * Worker-side reads of the KV layout. Values are checked for shape: a corrupt value is logged and
 * treated as missing (that article answers a clean error; lists skip it), never thrown at a reader.
 */
import {
  type ArticleSummary,
  type IndexMeta,
  type IndexShard,
  type SitemapShard,
  type StoredArticle,
  type StoredNav,
  LAYOUT_VERSION,
  kvKeys,
} from './kv-layout.js';

/** KV edge-cache lifetime for reads (seconds, KV's minimum is 30); see README "Caching". */
export const KV_CACHE_TTL = 30;

export class CorruptValueError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`corrupt KV value at ${key}: ${reason}`);
    this.name = 'CorruptValueError';
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function isSummary(v: unknown): v is ArticleSummary {
  const s = v as ArticleSummary;
  return (
    typeof s === 'object' && s !== null && isString(s.slug) && isString(s.title) && isNullableString(s.date) &&
    isNullableString(s.author) && isStringArray(s.categories) && isNullableString(s.thumbnail) && isString(s.hash)
  );
}

export function isStoredArticle(v: unknown): v is StoredArticle {
  const a = v as StoredArticle;
  return isSummary(a) && a.v === LAYOUT_VERSION && isStringArray(a.tags) && isNullableString(a.headimg) && isString(a.body);
}

async function readJson(kv: KVNamespace, key: string): Promise<unknown> {
  const raw = await kv.get(key, { cacheTtl: KV_CACHE_TTL });
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    throw new CorruptValueError(key, 'not JSON');
  }
}

export async function getArticle(kv: KVNamespace, slug: string): Promise<StoredArticle | null> {
  const key = kvKeys.article(slug);
  const value = await readJson(kv, key);
  if (value === null) return null;
  if (!isStoredArticle(value) || value.slug !== slug) throw new CorruptValueError(key, 'missing or mistyped fields');
  return value;
}

const NO_NAV: StoredNav = { v: LAYOUT_VERSION, prev: null, next: null };

/** Navigation is decoration: a missing or corrupt value shows no links rather than failing the page. */
export async function getNav(kv: KVNamespace, slug: string): Promise<StoredNav> {
  try {
    const value = (await readJson(kv, kvKeys.nav(slug))) as StoredNav | null;
    const ok = (l: unknown) => l === null || (typeof l === 'object' && isString((l as { slug: unknown }).slug) && isString((l as { title: unknown }).title));
    return value && value.v === LAYOUT_VERSION && ok(value.prev) && ok(value.next) ? value : NO_NAV;
  } catch {
    return NO_NAV;
  }
}

export async function getIndexMeta(kv: KVNamespace): Promise<IndexMeta | null> {
  const value = (await readJson(kv, kvKeys.meta)) as IndexMeta | null;
  if (value === null) return null;
  if (value.v !== LAYOUT_VERSION || typeof value.pages !== 'number' || !Array.isArray(value.categories)) {
    throw new CorruptValueError(kvKeys.meta, 'missing or mistyped fields');
  }
  return value;
}

async function getShard(kv: KVNamespace, key: string): Promise<IndexShard | null> {
  const value = (await readJson(kv, key)) as IndexShard | null;
  if (value === null) return null;
  if (value.v !== LAYOUT_VERSION || !Array.isArray(value.items) || !isString(value.hash)) {
    throw new CorruptValueError(key, 'missing or mistyped fields');
  }
  // A damaged entry is skipped, not the whole page.
  return { ...value, items: value.items.filter(isSummary) };
}

/**
 * The subset of `slugs` whose article is in KV. Lists call it only when they render (a render-
 * cache miss), so an index entry whose article is gone is skipped rather than linked to a 404.
 */
export async function existingSlugs(kv: KVNamespace, slugs: string[]): Promise<Set<string>> {
  const found = await Promise.all(
    slugs.map(async (slug) => ((await kv.get(kvKeys.article(slug), { cacheTtl: KV_CACHE_TTL })) === null ? null : slug)),
  );
  const present = new Set(found.filter((s): s is string => s !== null));
  for (const slug of slugs) if (!present.has(slug)) console.error(`index lists ${slug} but its article is missing; skipped`);
  return present;
}

export const getPage = (kv: KVNamespace, page: number) => getShard(kv, kvKeys.page(page));
export const getCategoryPage = (kv: KVNamespace, category: string, page: number) =>
  getShard(kv, kvKeys.category(category, page));

export async function getSitemapShard(kv: KVNamespace, shard: number): Promise<SitemapShard | null> {
  const key = kvKeys.sitemap(shard);
  const value = (await readJson(kv, key)) as SitemapShard | null;
  if (value === null) return null;
  if (value.v !== LAYOUT_VERSION || !Array.isArray(value.items)) throw new CorruptValueError(key, 'missing or mistyped fields');
  return value;
}
