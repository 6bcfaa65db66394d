/**
 * The one place that knows how articles live in Workers KV: key names, value shapes and the
 * layout version. The Worker reads with it; the upload script (src/upload) writes with it.
 *
 *   v1:article:<slug>            StoredArticle     one per post (front matter + raw body)
 *   v1:nav:<slug>                StoredNav         previous/next article, written only when it changes
 *   v1:index:meta                IndexMeta         totals, page counts, categories; written LAST
 *   v1:index:page:<n>            IndexShard        home/API list page n (1-based), newest first
 *   v1:index:cat:<cat>:<n>       IndexShard        category list page n
 *   v1:index:sitemap:<n>         SitemapShard      up to 50,000 URLs (the sitemap protocol's limit)
 *   v1:manifest                  ManifestHead      upload bookkeeping: shard hashes, bucket count
 *   v1:manifest:<b>              ManifestBucket    per-slug content hashes and summaries
 *
 * Every key of an article is under `v1:article:` / `v1:nav:`, so no slug can name an index or
 * manifest key (a slug `../index:meta` is just the key `v1:article:../index:meta`).
 */

import type { Article } from '../content/article.js';

export const LAYOUT_VERSION = 1;
export const PAGE_SIZE = 20;
export const SITEMAP_SHARD_SIZE = 50_000;
export const MANIFEST_BUCKETS = 16;
/** Workers KV's value size limit. */
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024;

const P = `v${LAYOUT_VERSION}:`;

export const kvKeys = {
  article: (slug: string) => `${P}article:${slug}`,
  nav: (slug: string) => `${P}nav:${slug}`,
  meta: `${P}index:meta`,
  page: (page: number) => `${P}index:page:${page}`,
  category: (category: string, page: number) => `${P}index:cat:${encodeURIComponent(category)}:${page}`,
  sitemap: (shard: number) => `${P}index:sitemap:${shard}`,
  manifest: `${P}manifest`,
  manifestBucket: (bucket: number) => `${P}manifest:${bucket}`,
  articlePrefix: `${P}article:`,
} as const;

/** An article as stored: every field of the parsed post, plus the layout version and its hash. */
export interface StoredArticle extends Article {
  v: typeof LAYOUT_VERSION;
  /** Content hash of the article's fields: its version (ETags, render-cache keys). */
  hash: string;
}

/** What a list shows of an article. */
export interface ArticleSummary {
  slug: string;
  title: string;
  date: string | null;
  author: string | null;
  categories: string[];
  thumbnail: string | null;
  hash: string;
}

export interface NavLink {
  slug: string;
  title: string;
}

export interface StoredNav {
  v: typeof LAYOUT_VERSION;
  /** Newer neighbour. */
  prev: NavLink | null;
  /** Older neighbour. */
  next: NavLink | null;
}

export interface IndexShard {
  v: typeof LAYOUT_VERSION;
  page: number;
  /** Hash of `items`: the shard's version (list ETags). */
  hash: string;
  items: ArticleSummary[];
}

export interface SitemapShard {
  v: typeof LAYOUT_VERSION;
  shard: number;
  hash: string;
  items: { slug: string; lastmod: string | null }[];
}

export interface CategoryInfo {
  name: string;
  count: number;
  pages: number;
}

export interface IndexMeta {
  v: typeof LAYOUT_VERSION;
  /** Hash over all shard hashes: changes whenever any list changes. */
  version: string;
  total: number;
  pageSize: number;
  pages: number;
  sitemapShards: number;
  /** Newest article date, for Last-Modified of lists and feeds. */
  updated: string | null;
  categories: CategoryInfo[];
}

export interface ManifestEntry {
  hash: string;
  /** Hash of the nav value written for this slug. */
  nav: string;
  summary: ArticleSummary;
}

export interface ManifestHead {
  v: typeof LAYOUT_VERSION;
  buckets: number;
  /** Every index shard key (page, category, sitemap, meta) with the hash last written. */
  shards: Record<string, string>;
}

export interface ManifestBucket {
  v: typeof LAYOUT_VERSION;
  entries: Record<string, ManifestEntry>;
}

/** FNV-1a over UTF-16 code units: a stable, cheap bucket for a slug. */
export function manifestBucketOf(slug: string, buckets = MANIFEST_BUCKETS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < slug.length; i++) {
    h ^= slug.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % buckets;
}

export function summarize(article: StoredArticle): ArticleSummary {
  const { slug, title, date, author, categories, thumbnail, hash } = article;
  return { slug, title, date, author, categories, thumbnail, hash };
}
