/**
 * The one place that knows how articles live in Workers KV: key names, value shapes and the
 * layout version. The Worker reads with it; the upload script (src/upload) writes with it.
 *
 *   v2:article:<slug>        StoredArticle   one per post: front matter, raw body, canonical path
 *                                            and its newer/older neighbours
 *   v2:link:<sha256(path)>   slug            canonical path → slug (a reader's URL → the article)
 *   v2:index                 IndexRecord     the index version and the published site settings;
 *                                            written LAST by every upload
 *
 * Everything that is a query (lists, categories, tags, archives, search, sitemap) lives in D1
 * (src/store/d1-layout.ts). A request that can be answered from the render cache needs only KV:
 * the index record gives every list its version, the article value gives an article its version.
 *
 * Every article key is under `v2:article:`, so no slug can name the index record; link keys are
 * hashes, so a long path never exceeds KV's 512-byte key limit. Slugs are checked against that
 * limit before anything is written (KV_MAX_KEY_BYTES).
 */
import { createHash } from 'node:crypto';
import type { TrailStep } from './d1-layout.js';

export const LAYOUT_VERSION = 2;
/** Workers KV's limits (https://developers.cloudflare.com/kv/platform/limits/). */
export const KV_MAX_KEY_BYTES = 512;
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024;

const P = `v${LAYOUT_VERSION}:`;
const ARTICLE_PREFIX = `${P}article:`;

export const kvKeys = {
  article: (slug: string) => `${ARTICLE_PREFIX}${slug}`,
  link: (path: string) => `${P}link:${createHash('sha256').update(path, 'utf8').digest('base64url')}`,
  index: `${P}index`,
  articlePrefix: ARTICLE_PREFIX,
} as const;

const encoder = new TextEncoder();

/** Bytes of a string in UTF-8 (KV limits are in bytes). */
export function utf8Bytes(s: string): number {
  return encoder.encode(s).byteLength;
}

/** The longest slug whose article key still fits KV's key limit. */
export function articleKeyProblem(slug: string): string | null {
  const bytes = utf8Bytes(kvKeys.article(slug));
  return bytes > KV_MAX_KEY_BYTES
    ? `path too long for a KV key: ${bytes} bytes with the prefix, Workers KV allows ${KV_MAX_KEY_BYTES}`
    : null;
}

export interface NavLink {
  slug: string;
  title: string;
  /** Canonical path (decoded, root-relative). */
  path: string;
}

/** An article as stored: the post, where it lives, its neighbours, and its version. */
export interface StoredArticle {
  v: typeof LAYOUT_VERSION;
  /** The path under the posts folder without `.md`, `/`-separated, NFC (Hexo's slug). */
  slug: string;
  /** Canonical path: the configured permalink (decoded, root-relative, e.g. `/p/1a2b.html`). */
  path: string;
  abbrlink: string;
  title: string;
  /** ISO 8601 in UTC, or null when the post has no date. */
  date: string | null;
  author: string | null;
  /** Hexo category hierarchies, e.g. [['新媒体', 'ZAKER', 'channel']]. */
  categories: string[][];
  tags: string[];
  /** As written in the post (may still be a proxy URL): unwrapped when rendered. */
  headimg: string | null;
  thumbnail: string | null;
  /** The post's language when it is not the site's (front matter `lang`, else a script guess). */
  lang: string | null;
  /** Raw HTML body as in the file; rewritten when rendered, never stored rewritten. */
  body: string;
  nav: { newer: NavLink | null; older: NavLink | null };
  /** The lists the article links to: each category hierarchy's trail, and each tag. */
  links: { categories: TrailStep[][]; tags: TrailStep[] };
  /** Hash of every field above: the value's version (ETags, render-cache keys). */
  hash: string;
  /** When an upload last changed this value (ISO): the truthful Last-Modified of its pages. */
  changedAt: string;
}

/** Site settings an upload publishes (from a Hexo `_config.yml`); wrangler vars override them. */
export interface PublishedSite {
  title?: string;
  description?: string;
  author?: string;
  language?: string;
  timezone?: string;
  url?: string;
  perPage?: number;
}

export interface IndexRecord {
  v: typeof LAYOUT_VERSION;
  /** Version of everything in D1: every list's ETag and render-cache key contains it. */
  version: string;
  /** When an upload last changed the index (ISO): Last-Modified of lists, feeds, sitemaps. */
  changedAt: string;
  site: PublishedSite;
  /** When the published settings last changed (ISO). */
  siteChangedAt: string | null;
}
