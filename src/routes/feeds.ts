/**
 * Hexo-compatible feeds and sitemaps: /atom.xml, /rss2.xml, /sitemap.xml, /sitemap-N.xml.
 *
 * Every request reads only the index meta: it gives the validators (ETag from meta.version, the
 * renderer version and the document kind; Last-Modified from meta.updated), so a conditional
 * request is a 304 after one small KV read. Otherwise the body comes from the edge cache, keyed
 * like the validators; only on a miss are the list pages and articles (or the sitemap shard) read
 * from KV, in parallel, and the document built (the shared flow of src/http/versioned-response.ts).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { httpDate } from '../http/conditional.js';
import type { Produced } from '../http/edge-cache.js';
import { strongEtag } from '../http/respond.js';
import { serveVersioned } from '../http/versioned-response.js';
import { absoluteUrl, buildFeed, buildUrlset, loadNewestArticles } from '../render/feed-build.js';
import { renderVersion } from '../render/render-version.js';
import { getIndexMeta, getSitemapShard } from '../store/article-store.js';
import type { IndexMeta } from '../store/kv-layout.js';
import { type FeedKind, FEED_CONTENT_TYPES } from '../views/feed-xml.js';
import { SITEMAP_CONTENT_TYPE, sitemapIndexXml, sitemapShardPath } from '../views/sitemap-xml.js';
import type { AppContext, AppEnv } from './app-env.js';

export const feeds = new Hono<AppEnv>();

interface XmlDocument {
  /** Part of the ETag and of the edge-cache key: `atom`, `rss2`, `sitemap`, `sitemap-3`. */
  kind: string;
  /** Builds the body (KV reads included) on an edge-cache miss. */
  produce: (meta: IndexMeta | null) => Produced | Promise<Produced>;
}

/**
 * Validators from the index meta (one small KV read); the body from the edge cache or
 * `doc.produce`, only when not a 304. `pick` chooses the document from the meta, and throws
 * 404 for one the meta rules out. All documents of one route share a content type.
 */
function serveXml(c: AppContext, contentType: string, pick: (meta: IndexMeta | null) => XmlDocument): Promise<Response> {
  return serveVersioned(c, {
    kind: 'feed',
    contentType,
    load: async () => {
      const config = getConfig(c.env);
      const meta = await getIndexMeta(c.env.ARTICLES);
      const doc = pick(meta);
      const metaVersion = meta?.version ?? 'empty';
      const version = renderVersion(config);
      return {
        etag: strongEtag('feed', doc.kind, metaVersion, version),
        lastModified: httpDate(meta?.updated),
        cacheKey: ['feed', doc.kind, metaVersion, version],
        produce: () => doc.produce(meta),
      };
    },
  });
}

function feedRoute(kind: FeedKind) {
  return (c: AppContext) =>
    serveXml(c, FEED_CONTENT_TYPES[kind], () => ({
      kind,
      produce: async (meta) => {
        const config = getConfig(c.env);
        const newest = await loadNewestArticles(c.env.ARTICLES, meta, config.feedSize);
        const built = buildFeed(config, kind, meta, newest.articles);
        return { body: built.body, cacheable: newest.complete && built.complete };
      },
    }));
}

feeds.get('/atom.xml', feedRoute('atom'));
feeds.get('/rss2.xml', feedRoute('rss2'));

/** The urlset of shard `index` (0-based). A missing or corrupt shard is a 503: crawlers retry. */
function urlsetDocument(c: AppContext, index: number, kind: string): XmlDocument {
  return {
    kind,
    produce: async (meta) => {
      let shard = null;
      if (meta !== null && meta.total > 0) {
        try {
          shard = await getSitemapShard(c.env.ARTICLES, index);
        } catch (err) {
          console.error(`sitemap: shard ${index} is corrupt: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (shard === null || !Array.isArray(shard.items)) {
          console.error(`sitemap: shard ${index} is missing or unreadable`);
          throw new HTTPException(503, { message: 'sitemap temporarily unavailable' });
        }
      }
      return buildUrlset(getConfig(c.env), meta, shard, index);
    },
  };
}

/** Shards the meta announces; an empty site (no meta yet) still has one, with the home page. */
const shardCount = (meta: IndexMeta | null) => Math.max(1, meta?.sitemapShards ?? 1);

feeds.get('/sitemap.xml', (c) =>
  // One shard: the urlset itself; more: an index of /sitemap-N.xml.
  serveXml(c, SITEMAP_CONTENT_TYPE, (meta) => {
    const shards = shardCount(meta);
    if (shards === 1) return urlsetDocument(c, 0, 'sitemap');
    return {
      kind: 'sitemap-index',
      produce: () => {
        const config = getConfig(c.env);
        return sitemapIndexXml(Array.from({ length: shards }, (_, i) => absoluteUrl(config, sitemapShardPath(i + 1))));
      },
    };
  }),
);

feeds.get('/:file{sitemap-[1-9][0-9]{0,8}\\.xml}', (c) => {
  const n = Number(/^sitemap-(\d+)\.xml$/.exec(c.req.param('file'))![1]);
  return serveXml(c, SITEMAP_CONTENT_TYPE, (meta) => {
    if (n > shardCount(meta)) throw new HTTPException(404);
    return urlsetDocument(c, n - 1, `sitemap-${n}`);
  });
});
