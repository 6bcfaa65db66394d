/** The site a reader sees: home, article and category pages. Thin: data, render, respond. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { slugProblem } from '../content/slug.js';
import { cachedBody, renderCacheKey } from '../http/edge-cache.js';
import { httpDate } from '../http/conditional.js';
import { respond, strongEtag } from '../http/respond.js';
import { ServerTiming } from '../http/server-timing.js';
import { renderArticleHtml } from '../render/render-article.js';
import { renderVersion } from '../render/render-version.js';
import { getArticle, getNav } from '../store/article-store.js';
import { contentHash } from '../store/hash.js';
import { ListPage } from '../views/list-page.js';
import { type AppEnv, parsePageParam } from './app-env.js';
import { loadList } from './list-data.js';
import { categoryPath } from '../views/format.js';

export const pages = new Hono<AppEnv>();

const HTML = 'text/html; charset=utf-8';

function pageParam(value: string | undefined): number {
  const page = parsePageParam(value);
  if (page === null) throw new HTTPException(400, { message: '`page` must be a positive integer' });
  return page;
}

pages.get('/', async (c) => {
  const config = getConfig(c.env);
  const list = await loadList(c.env.ARTICLES, config, pageParam(c.req.query('page')), null, 'home');
  const page = ListPage({ config, view: { heading: null, basePath: '/', ...list } });
  return respond(c.req.raw, config, {
    body: `<!doctype html>${String(page)}`,
    contentType: HTML,
    etag: list.etag,
    lastModified: list.lastModified,
    kind: 'list',
    timing: list.timing,
  });
});

pages.get('/categories/:name', async (c) => {
  const config = getConfig(c.env);
  const name = c.req.param('name');
  if (name.length > 200) throw new HTTPException(404);
  const list = await loadList(c.env.ARTICLES, config, pageParam(c.req.query('page')), name, 'cat');
  const page = ListPage({ config, view: { heading: name, basePath: categoryPath(name), ...list } });
  return respond(c.req.raw, config, {
    body: `<!doctype html>${String(page)}`,
    contentType: HTML,
    etag: list.etag,
    lastModified: list.lastModified,
    kind: 'list',
    timing: list.timing,
  });
});

pages.get('/articles/:slug', async (c) => {
  const config = getConfig(c.env);
  const slug = c.req.param('slug');
  if (slugProblem(slug)) throw new HTTPException(404);
  const timing = new ServerTiming();
  const [article, nav] = await timing.time('kv', () => Promise.all([getArticle(c.env.ARTICLES, slug), getNav(c.env.ARTICLES, slug)]));
  if (!article) throw new HTTPException(404);
  const version = renderVersion(config);
  const navHash = contentHash(nav).slice(0, 8);
  const etag = strongEtag('a', article.hash, navHash, version);
  const lastModified = httpDate(article.date);
  return respond(c.req.raw, config, {
    contentType: HTML,
    etag,
    lastModified,
    kind: 'article',
    timing,
    body: async () => {
      const rendered = await cachedBody(
        renderCacheKey(c.req.url, ['article', version, slug, article.hash, navHash]),
        () => renderArticleHtml(config, article, nav),
        (p) => c.executionCtx.waitUntil(p),
      );
      if (rendered.renderMs !== null) timing.add('render', rendered.renderMs);
      timing.cache(rendered.hit ? 'hit' : 'miss');
      return rendered.body;
    },
  });
});
