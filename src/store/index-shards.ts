/**
 * Builds every list the site shows from the article summaries, as KV values keyed by kvKeys.
 * Pure: the upload script diffs the result against the manifest and writes only what changed,
 * so lists cost the same to read at 100 or 100,000 articles (each request reads one shard).
 */
import { contentHash } from './hash.js';
import {
  type ArticleSummary,
  type IndexMeta,
  type IndexShard,
  type SitemapShard,
  type StoredNav,
  LAYOUT_VERSION,
  PAGE_SIZE,
  SITEMAP_SHARD_SIZE,
  kvKeys,
} from './kv-layout.js';

export interface BuiltIndex {
  /** Shard key → value, meta included (under kvKeys.meta). */
  shards: Map<string, IndexShard | SitemapShard | IndexMeta>;
  /** Shard key → hash of its value. */
  hashes: Map<string, string>;
  /** Slug → its previous/next links. */
  navs: Map<string, StoredNav>;
  ordered: ArticleSummary[];
}

/** Newest first; undated posts last; ties by slug so the order is stable. */
export function compareNewestFirst(a: ArticleSummary, b: ArticleSummary): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? 1 : -1;
  }
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

function paginate(items: ArticleSummary[], pageSize: number): ArticleSummary[][] {
  const pages: ArticleSummary[][] = [];
  for (let i = 0; i < items.length; i += pageSize) pages.push(items.slice(i, i + pageSize));
  // An empty site still has a (empty) first page, so `/` answers 200.
  return pages.length > 0 ? pages : [[]];
}

export function buildIndex(summaries: Iterable<ArticleSummary>, pageSize = PAGE_SIZE): BuiltIndex {
  const ordered = [...summaries].sort(compareNewestFirst);
  const shards: BuiltIndex['shards'] = new Map();
  const hashes = new Map<string, string>();
  const put = (key: string, value: IndexShard | SitemapShard | IndexMeta, hash: string) => {
    shards.set(key, value);
    hashes.set(key, hash);
  };

  const pages = paginate(ordered, pageSize);
  pages.forEach((items, i) => {
    const hash = contentHash(items);
    put(kvKeys.page(i + 1), { v: LAYOUT_VERSION, page: i + 1, hash, items }, hash);
  });

  const byCategory = new Map<string, ArticleSummary[]>();
  for (const s of ordered) {
    for (const c of s.categories) {
      const list = byCategory.get(c);
      if (list) list.push(s);
      else byCategory.set(c, [s]);
    }
  }
  const categories: IndexMeta['categories'] = [];
  for (const [name, list] of [...byCategory].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const catPages = paginate(list, pageSize);
    catPages.forEach((items, i) => {
      const hash = contentHash(items);
      put(kvKeys.category(name, i + 1), { v: LAYOUT_VERSION, page: i + 1, hash, items }, hash);
    });
    categories.push({ name, count: list.length, pages: catPages.length });
  }

  let sitemapShards = 0;
  for (let i = 0; i === 0 || i < ordered.length; i += SITEMAP_SHARD_SIZE) {
    const items = ordered.slice(i, i + SITEMAP_SHARD_SIZE).map((s) => ({ slug: s.slug, lastmod: s.date }));
    const hash = contentHash(items);
    put(kvKeys.sitemap(sitemapShards), { v: LAYOUT_VERSION, shard: sitemapShards, hash, items }, hash);
    sitemapShards++;
  }

  const metaBody = {
    total: ordered.length,
    pageSize,
    pages: pages.length,
    sitemapShards,
    updated: ordered.find((s) => s.date !== null)?.date ?? null,
    categories,
  };
  const version = contentHash([metaBody, [...hashes.values()]]);
  put(kvKeys.meta, { v: LAYOUT_VERSION, version, ...metaBody }, version);

  const navs = new Map<string, StoredNav>();
  ordered.forEach((s, i) => {
    const prev = ordered[i - 1];
    const next = ordered[i + 1];
    navs.set(s.slug, {
      v: LAYOUT_VERSION,
      prev: prev ? { slug: prev.slug, title: prev.title } : null,
      next: next ? { slug: next.slug, title: next.title } : null,
    });
  });

  return { shards, hashes, navs, ordered };
}
