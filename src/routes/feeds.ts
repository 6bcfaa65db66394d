/**
 * Hexo-compatible feeds and sitemaps: /atom.xml, /rss2.xml, /sitemap.xml, /sitemap-N.xml.
 *
 * The version is the index version (from the KV index record) and the render version, so a
 * conditional request is a 304 after one small KV read; a render-cache miss reads the newest
 * articles (one D1 page, then their KV values in parallel) or one sitemap range of D1 rows.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { serveVersioned } from '../http/versioned-response.js';
import { buildFeed, buildUrlset, absoluteUrl, loadArticles } from '../render/feed-build.js';
import { HOME } from '../store/d1-layout.js';
import { readHomeRange, readListPage, readTotal } from '../store/index-queries.js';
import { type FeedKind, FEED_CONTENT_TYPES } from '../views/feed-xml.js';
import { SITEMAP_CONTENT_TYPE, sitemapIndexXml, sitemapShardPath } from '../views/sitemap-xml.js';
import type { AppContext, AppEnv } from './app-env.js';
import { serveSearchXml } from './search.js';
import { latest, loadSite, siteVersion } from './site.js';

export const feeds = new Hono<AppEnv>();

/** URLs per sitemap file (the sitemaps.org limit). */
export const SITEMAP_SHARD_SIZE = 50_000;

function feedRoute(kind: FeedKind) {
  return (c: AppContext) =>
    serveVersioned(c, {
      kind: 'feed',
      contentType: FEED_CONTENT_TYPES[kind],
      load: async () => {
        const site = await loadSite(c);
        const { record, config } = site;
        return {
          config,
          version: ['feed', kind, config.feedSize, ...siteVersion(site)],
          lastModified: latest(record?.changedAt, config.changedAt),
          produce: async (timing) => {
            let items: Awaited<ReturnType<typeof readListPage>>['value'] = null;
            let consistent = true;
            if (record !== null) {
              const read = await timing.time('db', () => readListPage(c.env.DB, HOME, 1, config.feedSize, record.version));
              items = read.value;
              consistent = read.consistent;
            }
            const loaded = await loadArticles(c.env.ARTICLES, items?.items ?? []);
            const built = buildFeed(config, kind, record?.changedAt ?? null, loaded.articles);
            return { body: built.body, cacheable: consistent && loaded.complete && built.complete };
          },
        };
      },
    });
}

feeds.get('/atom.xml', feedRoute('atom'));
feeds.get('/rss2.xml', feedRoute('rss2'));

/**
 * `shard` null: /sitemap.xml — the urlset itself while the site fits one file, else an index of
 * /sitemap-N.xml. A number: that shard (1-based), 404 past the last one.
 */
function sitemapRoute(c: AppContext, shard: number | null): Promise<Response> {
  return serveVersioned(c, {
    kind: 'feed',
    contentType: SITEMAP_CONTENT_TYPE,
    load: async () => {
      const site = await loadSite(c);
      const { record, config } = site;
      return {
        config,
        version: ['sitemap', shard ?? 0, ...siteVersion(site)],
        lastModified: latest(record?.changedAt, config.changedAt),
        produce: async (timing) => {
          if (record === null) {
            if (shard !== null) throw new HTTPException(404);
            return buildUrlset(config, null, [], true);
          }
          const version = record.version;
          const total = await timing.time('db', () => readTotal(c.env.DB, version));
          const shards = Math.max(1, Math.ceil(total.value / SITEMAP_SHARD_SIZE));
          if (shard === null && shards > 1) {
            const body = sitemapIndexXml(Array.from({ length: shards }, (_, i) => absoluteUrl(config, sitemapShardPath(i + 1))));
            return total.consistent ? body : { body, cacheable: false };
          }
          const n = shard ?? 1;
          if (n > shards) throw new HTTPException(404);
          // Shard n holds the n-th 50,000 articles from the oldest: adding articles never moves
          // an article to another shard.
          const lo = (n - 1) * SITEMAP_SHARD_SIZE + 1;
          const range = await timing.time('db', () => readHomeRange(c.env.DB, lo, lo + SITEMAP_SHARD_SIZE - 1, version));
          const body = buildUrlset(config, record.changedAt, range.value, n === 1);
          return total.consistent && range.consistent ? body : { body, cacheable: false };
        },
      };
    },
  });
}

feeds.get('/sitemap.xml', (c) => sitemapRoute(c, null));
feeds.get('/search.xml', serveSearchXml);
feeds.get('/:file{sitemap-[1-9][0-9]{0,8}\\.xml}', (c) => sitemapRoute(c, Number(/^sitemap-(\d+)\.xml$/.exec(c.req.param('file'))![1])));
