/**
 * Hexo-compatible feeds and sitemaps: /atom.xml, /rss2.xml, /sitemap.xml, /sitemap-N.xml.
 *
 * Every request reads only the index meta: it gives the validators (ETag from meta.version, the
 * renderer version and the document kind; Last-Modified from meta.updated), so a conditional
 * request is a 304 after one small KV read. Otherwise the body comes from the edge cache, keyed
 * like the validators; only on a miss are the list pages and articles (or the sitemap shard) read
 * from KV, in parallel, and the document built (see src/render/feed-cache.ts).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AppConfig, getConfig } from '../config.js';
import { httpDate } from '../http/conditional.js';
import { renderCacheKey } from '../http/edge-cache.js';
import { respond, strongEtag } from '../http/respond.js';
import { ServerTiming } from '../http/server-timing.js';
import { absoluteUrl, buildFeed, buildUrlset, loadNewestArticles } from '../render/feed-build.js';
import { type ProducedBody, cachedAsyncBody } from '../render/feed-cache.js';
import { renderVersion } from '../render/render-version.js';
import { getIndexMeta, getSitemapShard } from '../store/article-store.js';
import type { IndexMeta } from '../store/kv-layout.js';
import { type FeedKind, FEED_CONTENT_TYPES } from '../views/feed-xml.js';
import { SITEMAP_CONTENT_TYPE, sitemapIndexXml, sitemapShardPath } from '../views/sitemap-xml.js';
import type { AppContext, AppEnv } from './app-env.js';

export const feeds = new Hono<AppEnv>();

/** Per-request timings, turned into Server-Timing once the body (if any) has been produced. */
class Timings {
  kvMs = 0;
  renderMs: number | null = null;
  cache: 'hit' | 'miss' | null = null;

  async kv<T>(fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.kvMs += performance.now() - start;
    }
  }

  render<T>(fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.renderMs = (this.renderMs ?? 0) + performance.now() - start;
    }
  }

  toServerTiming(): ServerTiming {
    const t = new ServerTiming();
    t.add('kv', this.kvMs);
    if (this.renderMs !== null) t.add('render', this.renderMs);
    if (this.cache) t.cache(this.cache);
    return t;
  }
}

interface XmlDocument {
  /** Part of the ETag and of the edge-cache key: `atom`, `rss2`, `sitemap`, `sitemap-3`. */
  kind: string;
  contentType: string;
  /** Builds the body (KV reads included) on an edge-cache miss. */
  produce: (t: Timings) => Promise<ProducedBody>;
}

/** Validators from the meta; body from the edge cache or `doc.produce`, only when not a 304. */
async function serve(c: AppContext, config: AppConfig, meta: IndexMeta | null, t: Timings, doc: XmlDocument): Promise<Response> {
  const metaVersion = meta?.version ?? 'empty';
  const version = renderVersion(config);
  return respond(c.req.raw, config, {
    contentType: doc.contentType,
    etag: strongEtag('feed', doc.kind, metaVersion, version),
    lastModified: httpDate(meta?.updated),
    kind: 'feed',
    body: async () => {
      const result = await cachedAsyncBody(
        renderCacheKey(c.req.url, ['feed', doc.kind, metaVersion, version]),
        () => doc.produce(t),
        (p) => c.executionCtx.waitUntil(p),
      );
      t.cache = result.hit ? 'hit' : 'miss';
      return result.body;
    },
    // Read by respond() after the body is produced, so it includes the KV reads and render of a miss.
    get timing() {
      return t.toServerTiming();
    },
  });
}

async function loadMeta(c: AppContext, t: Timings): Promise<IndexMeta | null> {
  return t.kv(() => getIndexMeta(c.env.ARTICLES));
}

function feedRoute(kind: FeedKind) {
  return async (c: AppContext) => {
    const config = getConfig(c.env);
    const t = new Timings();
    const meta = await loadMeta(c, t);
    return serve(c, config, meta, t, {
      kind,
      contentType: FEED_CONTENT_TYPES[kind],
      produce: async (timings) => {
        const newest = await timings.kv(() => loadNewestArticles(c.env.ARTICLES, meta, config.feedSize));
        const built = timings.render(() => buildFeed(config, kind, meta, newest.articles));
        return { body: built.body, cacheable: newest.complete && built.complete };
      },
    });
  };
}

feeds.get('/atom.xml', feedRoute('atom'));
feeds.get('/rss2.xml', feedRoute('rss2'));

/** The urlset of shard `index` (0-based). A missing or corrupt shard is a 503: crawlers retry. */
function urlsetDocument(c: AppContext, config: AppConfig, meta: IndexMeta | null, index: number, kind: string): XmlDocument {
  return {
    kind,
    contentType: SITEMAP_CONTENT_TYPE,
    produce: async (timings) => {
      let shard = null;
      if (meta !== null && meta.total > 0) {
        try {
          shard = await timings.kv(() => getSitemapShard(c.env.ARTICLES, index));
        } catch (err) {
          console.error(`sitemap: shard ${index} is corrupt: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (shard === null || !Array.isArray(shard.items)) {
          console.error(`sitemap: shard ${index} is missing or unreadable`);
          throw new HTTPException(503, { message: 'sitemap temporarily unavailable' });
        }
      }
      return { body: timings.render(() => buildUrlset(config, meta, shard, index)), cacheable: true };
    },
  };
}

/** Shards the meta announces; an empty site (no meta yet) still has one, with the home page. */
const shardCount = (meta: IndexMeta | null) => Math.max(1, meta?.sitemapShards ?? 1);

feeds.get('/sitemap.xml', async (c) => {
  const config = getConfig(c.env);
  const t = new Timings();
  const meta = await loadMeta(c, t);
  const shards = shardCount(meta);
  if (shards === 1) return serve(c, config, meta, t, urlsetDocument(c, config, meta, 0, 'sitemap'));
  return serve(c, config, meta, t, {
    kind: 'sitemap-index',
    contentType: SITEMAP_CONTENT_TYPE,
    produce: async (timings) => ({
      body: timings.render(() =>
        sitemapIndexXml(Array.from({ length: shards }, (_, i) => absoluteUrl(config, sitemapShardPath(i + 1)))),
      ),
      cacheable: true,
    }),
  });
});

feeds.get('/:file{sitemap-[1-9][0-9]{0,8}\\.xml}', async (c) => {
  const n = Number(/^sitemap-(\d+)\.xml$/.exec(c.req.param('file'))![1]);
  const config = getConfig(c.env);
  const t = new Timings();
  const meta = await loadMeta(c, t);
  if (n > shardCount(meta)) throw new HTTPException(404);
  return serve(c, config, meta, t, urlsetDocument(c, config, meta, n - 1, `sitemap-${n}`));
});
