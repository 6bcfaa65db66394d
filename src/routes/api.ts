/** JSON API: the article list (one index shard per request) and single articles. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { slugProblem } from '../content/slug.js';
import { cachedBody, renderCacheKey } from '../http/edge-cache.js';
import { httpDate } from '../http/conditional.js';
import { respond, strongEtag } from '../http/respond.js';
import { ServerTiming } from '../http/server-timing.js';
import { renderArticleJson } from '../render/render-article.js';
import { renderVersion } from '../render/render-version.js';
import { getArticle } from '../store/article-store.js';
import { type AppEnv, parsePageParam } from './app-env.js';
import { loadList } from './list-data.js';

export const api = new Hono<AppEnv>();

const JSON_TYPE = 'application/json; charset=utf-8';

api.get('/articles', async (c) => {
  const config = getConfig(c.env);
  const page = parsePageParam(c.req.query('page'));
  if (page === null) throw new HTTPException(400, { message: '`page` must be a positive integer' });
  const list = await loadList(c.env.ARTICLES, config, page, null, 'api');
  const body = JSON.stringify({
    articles: list.items.map((s) => ({
      slug: s.slug,
      title: s.title,
      date: s.date,
      author: s.author,
      categories: s.categories,
      thumbnail: s.thumbnailSrc,
      url: `${config.siteUrl}/articles/${encodeURIComponent(s.slug)}`,
    })),
    page: list.page,
    pages: list.pages,
    total: list.meta.total,
  });
  return respond(c.req.raw, config, {
    body,
    contentType: JSON_TYPE,
    etag: list.etag,
    lastModified: list.lastModified,
    kind: 'api',
    timing: list.timing,
  });
});

api.get('/articles/:slug', async (c) => {
  const config = getConfig(c.env);
  const slug = c.req.param('slug');
  if (slugProblem(slug)) throw new HTTPException(404, { message: 'no such article' });
  const timing = new ServerTiming();
  const article = await timing.time('kv', () => getArticle(c.env.ARTICLES, slug));
  if (!article) throw new HTTPException(404, { message: 'no such article' });
  const version = renderVersion(config);
  const etag = strongEtag('j', article.hash, version);
  const lastModified = httpDate(article.date);
  return respond(c.req.raw, config, {
    contentType: JSON_TYPE,
    etag,
    lastModified,
    kind: 'api',
    timing,
    body: async () => {
      const rendered = await cachedBody(
        renderCacheKey(c.req.url, ['api-article', version, slug, article.hash]),
        () => renderArticleJson(config, article),
        (p) => c.executionCtx.waitUntil(p),
      );
      if (rendered.renderMs !== null) timing.add('render', rendered.renderMs);
      timing.cache(rendered.hit ? 'hit' : 'miss');
      return rendered.body;
    },
  });
});
