/**
 * Worker-side reads of the KV layout. Values are checked for shape: a corrupt value is logged and
 * answered as a clean error, never thrown at a reader raw.
 */
import { type IndexRecord, KV_MAX_KEY_BYTES, LAYOUT_VERSION, type NavLink, type StoredArticle, kvKeys, utf8Bytes } from './kv-layout.js';

/** KV edge-cache lifetime for reads (seconds, KV's minimum is 30); see README "Caching". */
export const KV_CACHE_TTL = 30;

export class CorruptValueError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`corrupt KV value at ${key}: ${reason}`);
    this.name = 'CorruptValueError';
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isHierarchies = (v: unknown): v is string[][] => Array.isArray(v) && v.every(isStringArray);
const isStep = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && isString(v[0]) && isString(v[1]);
const isTrail = (v: unknown) => Array.isArray(v) && v.every(isStep);
const isLinks = (v: unknown) =>
  typeof v === 'object' && v !== null && Array.isArray((v as { categories?: unknown }).categories) &&
  (v as { categories: unknown[] }).categories.every(isTrail) && isTrail((v as { tags?: unknown }).tags);
const isNav = (v: unknown): v is NavLink | null =>
  v === null || (typeof v === 'object' && isString((v as NavLink).slug) && isString((v as NavLink).title) && isString((v as NavLink).path));

export function isStoredArticle(v: unknown): v is StoredArticle {
  const a = v as StoredArticle;
  return (
    typeof a === 'object' && a !== null && a.v === LAYOUT_VERSION && isString(a.slug) && isString(a.path) &&
    isString(a.abbrlink) && isString(a.title) && isNullableString(a.date) && isNullableString(a.author) &&
    isHierarchies(a.categories) && isStringArray(a.tags) && isNullableString(a.headimg) &&
    isNullableString(a.thumbnail) && isNullableString(a.lang) && isString(a.body) && typeof a.nav === 'object' &&
    a.nav !== null && isNav(a.nav.newer) && isNav(a.nav.older) && isLinks(a.links) && isString(a.hash) &&
    isString(a.changedAt)
  );
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

/** Whether `slug` can be an article key at all (anything else is a 404 without a read). */
export function possibleSlug(slug: string): boolean {
  return slug.length > 0 && utf8Bytes(kvKeys.article(slug)) <= KV_MAX_KEY_BYTES && slug.isWellFormed();
}

export async function getArticle(kv: KVNamespace, slug: string): Promise<StoredArticle | null> {
  if (!possibleSlug(slug)) return null;
  const key = kvKeys.article(slug);
  const value = await readJson(kv, key);
  if (value === null) return null;
  if (!isStoredArticle(value) || value.slug !== slug) throw new CorruptValueError(key, 'missing or mistyped fields');
  return value;
}

/** The slug whose canonical path (or a former one) is `path`, or null. */
export async function getSlugByPath(kv: KVNamespace, path: string): Promise<string | null> {
  if (!path.isWellFormed() || path.length > 4096) return null;
  return kv.get(kvKeys.link(path), { cacheTtl: KV_CACHE_TTL });
}

/** The index record, or null before the first upload. */
export async function getIndexRecord(kv: KVNamespace): Promise<IndexRecord | null> {
  const value = (await readJson(kv, kvKeys.index)) as IndexRecord | null;
  if (value === null) return null;
  if (value.v !== LAYOUT_VERSION || !isString(value.version) || !isString(value.changedAt) || typeof value.site !== 'object' || value.site === null) {
    throw new CorruptValueError(kvKeys.index, 'missing or mistyped fields');
  }
  return value;
}
