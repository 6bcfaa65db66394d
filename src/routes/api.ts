/** JSON API: the article list (one index shard per request) and single articles. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { slugProblem } from '../content/slug.js';
import { httpDate } from '../http/conditional.js';
import { strongEtag } from '../http/respond.js';
import { serveVersioned } from '../http/versioned-response.js';
import { renderArticleJson } from '../render/render-article.js';
import { renderVersion } from '../render/render-version.js';
import { getArticle } from '../store/article-store.js';
import type { AppEnv } from './app-env.js';
import { loadList } from './list-data.js';
import { pageParam } from './pages.js';

export const api = new Hono<AppEnv>();

const JSON_TYPE = 'application/json; charset=utf-8';

api.get('/articles', (c) =>
  serveVersioned(c, {
    kind: 'api',
    contentType: JSON_TYPE,
    load: async () => {
      const config = getConfig(c.env);
      const list = await loadList(c.env.ARTICLES, config, pageParam(c.req.query('page')), null, 'api');
      return {
        etag: list.etag,
        lastModified: list.lastModified,
        cacheKey: ['api-list', String(list.page), list.version],
        produce: async () =>
          JSON.stringify({
            articles: (await list.presentItems()).map((s) => ({
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
          }),
      };
    },
  }),
);

api.get('/articles/:slug', (c) =>
  serveVersioned(c, {
    kind: 'api',
    contentType: JSON_TYPE,
    load: async () => {
      const config = getConfig(c.env);
      const slug = c.req.param('slug');
      if (slugProblem(slug)) throw new HTTPException(404, { message: 'no such article' });
      const article = await getArticle(c.env.ARTICLES, slug);
      if (!article) throw new HTTPException(404, { message: 'no such article' });
      const version = renderVersion(config);
      return {
        etag: strongEtag('j', article.hash, version),
        lastModified: httpDate(article.date),
        cacheKey: ['api-article', version, slug, article.hash],
        produce: () => renderArticleJson(config, article),
      };
    },
  }),
);
