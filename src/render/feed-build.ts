/**
 * Data and rendering for /atom.xml, /rss2.xml and the sitemaps. Every absolute URL is built from
 * `config.siteUrl`, never from the request. A missing or corrupt article is logged and skipped,
 * and the document is then served but not cached: a feed never fails because of one bad value.
 */
import type { AppConfig } from '../config.js';
import { rewriteBody } from '../rewrite/rewrite-html.js';
import { getArticle } from '../store/article-store.js';
import type { ListItem } from '../store/d1-layout.js';
import type { StoredArticle } from '../store/kv-layout.js';
import { type FeedEntry, type FeedKind, FEED_PATHS, atomXml, rss2Xml } from '../views/feed-xml.js';
import { type SitemapUrl, urlsetXml } from '../views/sitemap-xml.js';
import { articleUrl } from './render-article.js';

export const EPOCH = '1970-01-01T00:00:00.000Z';

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export interface LoadedArticles {
  articles: StoredArticle[];
  /** False when an article was missing or corrupt and skipped. */
  complete: boolean;
}

/** The articles of `items`, read from KV in parallel, in order; missing ones skipped. */
export async function loadArticles(kv: KVNamespace, items: ListItem[]): Promise<LoadedArticles> {
  const loaded = await Promise.all(
    items.map((item) =>
      getArticle(kv, item.slug).then(
        (article) => {
          if (article === null) console.error(`feed: article ${JSON.stringify(item.slug)} is missing; skipped`);
          return article;
        },
        (err: unknown) => {
          console.error(`feed: article ${JSON.stringify(item.slug)} skipped: ${describe(err)}`);
          return null;
        },
      ),
    ),
  );
  const articles = loaded.filter((a): a is StoredArticle => a !== null);
  return { articles, complete: articles.length === items.length };
}

export const absoluteUrl = (config: AppConfig, path: string) => `${config.siteUrl}${path}`;

/** The feed document. `complete` turns false if an article's body could not be rewritten. */
export function buildFeed(config: AppConfig, kind: FeedKind, updated: string | null, articles: StoredArticle[]): { body: string; complete: boolean } {
  const options = config.rewriteOptionsAbsolute;
  let complete = true;
  const entries: FeedEntry[] = [];
  for (const article of articles) {
    try {
      const rewritten = rewriteBody(article.body, options);
      const published = validIso(article.date) ?? validIso(article.changedAt) ?? EPOCH;
      entries.push({
        url: articleUrl(config, article.path),
        title: article.title,
        published,
        updated: latestIso(published, validIso(article.changedAt)),
        author: article.author,
        categories: [...new Set(article.categories.flat())],
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
    updated: validIso(updated) ?? EPOCH,
  };
  return { body: kind === 'atom' ? atomXml(channel, entries) : rss2Xml(channel, entries), complete };
}

/** A urlset: the home page (first shard only) and the shard's articles. */
export function buildUrlset(config: AppConfig, updated: string | null, items: ListItem[], withHome: boolean): string {
  const urls: SitemapUrl[] = [];
  if (withHome) urls.push({ loc: absoluteUrl(config, '/'), lastmod: validIso(updated) });
  for (const item of items) urls.push({ loc: articleUrl(config, item.path), lastmod: validIso(item.date) });
  return urlsetXml(urls);
}

/** The ISO string when it parses as a date, else null (no `Invalid Date` ever reaches a feed). */
function validIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function latestIso(a: string, b: string | null): string {
  return b !== null && Date.parse(b) > Date.parse(a) ? b : a;
}
