/**
 * The D1 side of the index (schema: migrations/0001_index.sql), shared by the Worker's queries
 * and the upload's writes: list keys, row shapes and the limits values are checked against.
 *
 * Lists are addressed by a key:
 *   home                   every article
 *   cat:<a>/<b>/<c>        a category and everything beneath it (slugized names, Hexo's path)
 *   tag:<t>                a tag
 *   year:YYYY, month:YYYY/MM   archives: runs of the home list (see `first` in the schema)
 * Positions are dense and ascending by (date, slug), 1 = oldest: adding the newest article appends
 * one row to each of its lists and shifts nothing; page N newest-first is the range
 * `count - N·size + 1 … count - (N-1)·size`.
 */

export const HOME = 'home';

export type ListKind = 'home' | 'cat' | 'tag' | 'year' | 'month';

export const listKey = {
  category: (slugPath: string[]) => `cat:${slugPath.join('/')}`,
  tag: (slug: string) => `tag:${slug}`,
  year: (year: string) => `year:${year}`,
  month: (year: string, month: string) => `month:${year}/${month}`,
} as const;

export function listKind(key: string): ListKind {
  if (key === HOME) return 'home';
  const kind = key.slice(0, key.indexOf(':'));
  if (kind === 'cat' || kind === 'tag' || kind === 'year' || kind === 'month') return kind;
  throw new Error(`not a list key: ${key}`);
}

/** One step of a breadcrumb trail: display name and list key. */
export type TrailStep = [name: string, key: string];

/** What a list shows of an article (entries.summary, articles.summary). */
export interface ListItem {
  slug: string;
  /** Canonical path (decoded). */
  path: string;
  title: string;
  date: string | null;
  author: string | null;
  /** Each category hierarchy as its trail: every level's name and list key. */
  categories: TrailStep[][];
  thumbnail: string | null;
}

export interface ListRow {
  key: string;
  kind: ListKind;
  /** Display name: the category's or tag's own name, the year, `YYYY/MM`, '' for home. */
  name: string;
  parent: string | null;
  /** Ancestors then the list itself, for breadcrumbs (categories); [] otherwise. */
  trail: TrailStep[];
  count: number;
  /** Position of the oldest article in the entries read: 1, or for archives its home position. */
  first: number;
}

/**
 * D1 limits the upload checks before the first write
 * (https://developers.cloudflare.com/d1/platform/limits/): a row, string or BLOB is at most
 * 2,000,000 bytes, a statement at most 100,000 bytes (values are bound, never inlined).
 * Ours are tighter: a list item or a list key that large means a broken post, not a big one.
 */
export const D1_MAX_VALUE_BYTES = 2_000_000;
export const MAX_SUMMARY_BYTES = 64 * 1024;
export const MAX_LIST_KEY_BYTES = 4 * 1024;

export const META = {
  version: 'version',
  changedAt: 'changed_at',
  site: 'site',
  dirty: 'dirty',
} as const;
