/**
 * JSON API: every list at its Hexo path under /api (`/api/page/2/`, `/api/categories/a/b/`,
 * `/api/tags/t/`, `/api/archives/2021/11/`, `/api/categories/`, `/api/tags/`), `/api/articles`
 * (`?page=N`, the home list) and `/api/articles/<slug>` (one article, its body rewritten).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { HOME } from '../store/d1-layout.js';
import { type AppEnv, parsePageParam, redirectTo } from './app-env.js';
import { serveArticleJson } from './articles.js';
import { matchListPath } from './hexo-paths.js';
import { serveList, serveListIndex } from './lists.js';
import { serveSearch } from './search.js';

export const api = new Hono<AppEnv>();

api.get('/articles', (c) => {
  const page = parsePageParam(c.req.query('page'));
  if (page === null) throw new HTTPException(400, { message: '`page` must be a positive integer' });
  return serveList(c, { key: HOME, view: 'home', page }, 'json');
});

api.get('/articles/*', serveArticleJson);
api.get('/search', (c) => serveSearch(c, 'json'));

api.get('*', (c) => {
  const pathname = new URL(c.req.url).pathname.replace(/^\/api(?=\/|$)/, '') || '/';
  const target = matchListPath(pathname, getConfig(c.env).dirs);
  if (target === null) throw new HTTPException(404, { message: 'no such list' });
  if (target.kind === 'redirect') throw redirectTo(`/api${target.location}`);
  if (target.kind === 'index') return serveListIndex(c, target.index, 'json');
  return serveList(c, target, 'json');
});
