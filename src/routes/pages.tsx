/** The site a reader sees: home, article and category pages. Thin: load, render, respond. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { slugProblem } from '../content/slug.js';
import { httpDate } from '../http/conditional.js';
import { strongEtag } from '../http/respond.js';
import { serveVersioned } from '../http/versioned-response.js';
import { renderArticleHtml } from '../render/render-article.js';
import { renderVersion } from '../render/render-version.js';
import { getArticle, getNav } from '../store/article-store.js';
import { contentHash } from '../store/hash.js';
import { categoryPath } from '../views/format.js';
import { ListPage } from '../views/list-page.js';
import { type AppEnv, parsePageParam } from './app-env.js';
import { loadList } from './list-data.js';

export const pages = new Hono<AppEnv>();

const HTML = 'text/html; charset=utf-8';

export function pageParam(value: string | undefined): number {
  const page = parsePageParam(value);
  if (page === null) throw new HTTPException(400, { message: '`page` must be a positive integer' });
  return page;
}

pages.get('/', (c) =>
  serveVersioned(c, {
    kind: 'list',
    contentType: HTML,
    load: async () => {
      const config = getConfig(c.env);
      const list = await loadList(c.env.ARTICLES, config, pageParam(c.req.query('page')), null, 'home');
      return {
        etag: list.etag,
        lastModified: list.lastModified,
        cacheKey: ['home', String(list.page), list.version],
        produce: async () => {
          const view = { heading: null, basePath: '/', ...list, items: await list.presentItems() };
          return `<!doctype html>${String(ListPage({ config, view }))}`;
        },
      };
    },
  }),
);

pages.get('/categories/:name', (c) =>
  serveVersioned(c, {
    kind: 'list',
    contentType: HTML,
    load: async () => {
      const config = getConfig(c.env);
      const name = c.req.param('name');
      if (name.length > 200) throw new HTTPException(404);
      const list = await loadList(c.env.ARTICLES, config, pageParam(c.req.query('page')), name, 'cat');
      return {
        etag: list.etag,
        lastModified: list.lastModified,
        cacheKey: ['category', name, String(list.page), list.version],
        produce: async () => {
          const view = { heading: name, basePath: categoryPath(name), ...list, items: await list.presentItems() };
          return `<!doctype html>${String(ListPage({ config, view }))}`;
        },
      };
    },
  }),
);

pages.get('/articles/:slug', (c) =>
  serveVersioned(c, {
    kind: 'article',
    contentType: HTML,
    load: async () => {
      const config = getConfig(c.env);
      const slug = c.req.param('slug');
      if (slugProblem(slug)) throw new HTTPException(404);
      const [article, nav] = await Promise.all([getArticle(c.env.ARTICLES, slug), getNav(c.env.ARTICLES, slug)]);
      if (!article) throw new HTTPException(404);
      const version = renderVersion(config);
      // The page shows the previous/next titles too, so they are part of its version.
      const navHash = contentHash(nav).slice(0, 8);
      return {
        etag: strongEtag('a', article.hash, navHash, version),
        lastModified: httpDate(article.date),
        cacheKey: ['article', version, slug, article.hash, navHash],
        produce: () => renderArticleHtml(config, article, nav),
      };
    },
  }),
);
