/**
 * Root-relative paths of Hexo's list pages, decoded (pass them through `encodePath` for hrefs):
 *   - categories: lib/models/category.ts — each level `slugize(category_map[name] || name,
 *     { transform: filename_case })`, joined by `/` under `category_dir` (`/` meaning the root);
 *   - tags: lib/models/tag.ts — the same under `tag_dir`, with `tag_map`;
 *   - archives: hexo-generator-archive lib/generator.js — `archive_dir/<year>/<MM>/`;
 *   - pages: hexo-pagination — page 1 is the base, page n is `<base><pagination_dir>/<n>/`.
 */
import { slugize } from './slugize.js';

export interface CategorySlugOptions {
  /** Hexo's `filename_case`: 0 keep, 1 lower, 2 upper. */
  filename_case?: 0 | 1 | 2;
  /** Hexo's `category_map` (name → name used for the URL). */
  category_map?: ReadonlyMap<string, string>;
}

export interface TagSlugOptions {
  filename_case?: 0 | 1 | 2;
  /** Hexo's `tag_map`. */
  tag_map?: ReadonlyMap<string, string>;
}

/** `/categories/` for `categories`, `/` for `/` or an empty dir. */
function dirPrefix(dir: string): string {
  const trimmed = dir.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** The URL segment of each level of a category hierarchy. */
export function categorySlugs(names: readonly string[], options: CategorySlugOptions = {}): string[] {
  return names.map((name) => slugize(options.category_map?.get(name) || name, { transform: options.filename_case ?? 0 }));
}

/** `/categories/新媒体/ZAKER/` for the hierarchy 新媒体 › ZAKER. */
export function categoryPath(names: readonly string[], options: CategorySlugOptions & { category_dir?: string } = {}): string {
  if (names.length === 0) throw new RangeError('categoryPath: a category has at least one level');
  return `${dirPrefix(options.category_dir ?? 'categories')}${categorySlugs(names, options).join('/')}/`;
}

/** The URL segment of a tag. */
export function tagSlug(name: string, options: TagSlugOptions = {}): string {
  return slugize(options.tag_map?.get(name) || name, { transform: options.filename_case ?? 0 });
}

/** `/tags/linux/` for the tag `Linux` with `filename_case: 1`. */
export function tagPath(name: string, options: TagSlugOptions & { tag_dir?: string } = {}): string {
  return `${dirPrefix(options.tag_dir ?? 'tags')}${tagSlug(name, options)}/`;
}

/** `/archives/`, `/archives/2021/`, `/archives/2021/09/` (year unpadded, month two digits). */
export function archivePath(year?: number, month?: number, options: { archive_dir?: string } = {}): string {
  const base = dirPrefix(options.archive_dir ?? 'archives');
  if (year === undefined) return base;
  if (!Number.isInteger(year)) throw new RangeError(`archivePath: year ${year} is not a whole number`);
  if (month === undefined) return `${base}${year}/`;
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`archivePath: month ${month} is not 1–12`);
  return `${base}${year}/${String(month).padStart(2, '0')}/`;
}

/** Page `n` (1-based) of the list at `base`: `base` itself for page 1, else `<base><dir>/<n>/`. */
export function pagePath(base: string, n: number, paginationDir = 'page'): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`pagePath: page ${n} is not a whole number ≥ 1`);
  if (n === 1) return base;
  const dir = paginationDir.replace(/^\/+|\/+$/g, '') || 'page';
  return `${base.endsWith('/') ? base : `${base}/`}${dir}/${n}/`;
}
