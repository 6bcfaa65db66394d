/**
 * Data and rendering for /atom.xml, /rss2.xml and the sitemaps. Every absolute URL is built from
 * `config.siteUrl`, never from the request. A missing or corrupt article or list page is logged
 * and skipped: a feed never fails because of one bad value.
 */
import type { AppConfig } from '../config.js';
import { rewriteBody } from '../rewrite/rewrite-html.js';
import { getArticle, getPage } from '../store/article-store.js';
import { type IndexMeta, type SitemapShard, PAGE_SIZE, type StoredArticle } from '../store/kv-layout.js';
import { type FeedEntry, type FeedKind, FEED_PATHS, atomXml, rss2Xml } from '../views/feed-xml.js';
import { articlePath } from '../views/format.js';
import { type SitemapUrl, urlsetXml } from '../views/sitemap-xml.js';
import { rewriteOptionsFor } from './rewrite-options.js';

export const EPOCH = '1970-01-01T00:00:00.000Z';

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export interface NewestArticles {
  articles: StoredArticle[];
  /** False when a page or an article was missing or corrupt and skipped. */
  complete: boolean;
}

/**
 * The newest `count` articles, newest first: the first items of list pages 1, 2, … (read in
 * parallel), then the articles themselves (in parallel). Two KV round trips whatever `count` is.
 */
export async function loadNewestArticles(kv: KVNamespace, meta: IndexMeta | null, count: number): Promise<NewestArticles> {
  if (meta === null || meta.total === 0 || count <= 0) return { articles: [], complete: true };
  const pageSize = meta.pageSize > 0 ? meta.pageSize : PAGE_SIZE;
  const pageCount = Math.min(meta.pages, Math.ceil(count / pageSize));
  let complete = true;
  const shards = await Promise.all(
    Array.from({ length: pageCount }, (_, i) =>
      getPage(kv, i + 1).catch((err: unknown) => {
        console.error(`feed: list page ${i + 1} skipped: ${describe(err)}`);
        return null;
      }),
    ),
  );
  const slugs: string[] = [];
  const seen = new Set<string>();
  shards.forEach((shard, i) => {
    if (shard === null) {
      console.error(`feed: list page ${i + 1} is missing; skipped`);
      complete = false;
      return;
    }
    for (const item of shard.items) {
      if (!seen.has(item.slug)) {
        seen.add(item.slug);
        slugs.push(item.slug);
      }
    }
  });
  const wanted = slugs.slice(0, count);
  const loaded = await Promise.all(
    wanted.map((slug) =>
      getArticle(kv, slug).then(
        (article) => {
          if (article === null) console.error(`feed: article ${JSON.stringify(slug)} is missing; skipped`);
          return article;
        },
        (err: unknown) => {
          console.error(`feed: article ${JSON.stringify(slug)} skipped: ${describe(err)}`);
          return null;
        },
      ),
    ),
  );
  const articles = loaded.filter((a): a is StoredArticle => a !== null);
  if (articles.length < wanted.length) complete = false;
  return { articles, complete };
}

export const absoluteUrl = (config: AppConfig, path: string) => `${config.siteUrl}${path}`;

/** The feed document. `complete` turns false if an article's body could not be rewritten. */
export function buildFeed(
  config: AppConfig,
  kind: FeedKind,
  meta: IndexMeta | null,
  articles: StoredArticle[],
): { body: string; complete: boolean } {
  const options = rewriteOptionsFor(config, { absolute: true });
  const fallbackDate = meta?.updated ?? EPOCH;
  let complete = true;
  const entries: FeedEntry[] = [];
  for (const article of articles) {
    try {
      const rewritten = rewriteBody(article.body, options);
      const date = validIso(article.date) ?? validIso(fallbackDate) ?? EPOCH;
      entries.push({
        url: absoluteUrl(config, articlePath(article.slug)),
        title: article.title,
        published: date,
        updated: date,
        author: article.author,
        categories: article.categories,
        summary: rewritten.excerpt,
        contentHtml: rewritten.html,
      });
    } catch (err) {
      console.error(`feed: article ${JSON.stringify(article.slug)} could not be rendered; skipped: ${describe(err)}`);
      complete = false;
    }
  }
  const channel = {
    title: config.siteTitle,
    description: config.siteDescription,
    lang: config.lang,
    homeUrl: absoluteUrl(config, '/'),
    selfUrl: absoluteUrl(config, FEED_PATHS[kind]),
    updated: validIso(meta?.updated) ?? EPOCH,
  };
  return { body: kind === 'atom' ? atomXml(channel, entries) : rss2Xml(channel, entries), complete };
}

/** A urlset for one sitemap shard; shard 0 also lists the home page. */
export function buildUrlset(config: AppConfig, meta: IndexMeta | null, shard: SitemapShard | null, index: number): string {
  const urls: SitemapUrl[] = [];
  if (index === 0) urls.push({ loc: absoluteUrl(config, '/'), lastmod: validIso(meta?.updated) });
  for (const item of shard?.items ?? []) {
    if (typeof item?.slug !== 'string') continue; // a damaged entry is skipped, not the shard
    urls.push({ loc: absoluteUrl(config, articlePath(item.slug)), lastmod: validIso(item.lastmod) });
  }
  return urlsetXml(urls);
}

/** The ISO string when it parses as a date, else null (no `Invalid Date` ever reaches a feed). */
function validIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
