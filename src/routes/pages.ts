/**
 * The site a reader sees, routed by path: Hexo's list paths (hexo-paths.ts), the old
 * /articles/<slug> links, and everything else as a possible article permalink.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { type AppContext, type AppEnv, parsePageParam, redirectTo } from './app-env.js';
import { redirectLegacyArticle, serveArticlePage } from './articles.js';
import { listHref, matchListPath } from './hexo-paths.js';
import { serveList, serveListIndex } from './lists.js';
import { serveSearch } from './search.js';

export const pages = new Hono<AppEnv>();

/** `?page=N`, the query form of earlier versions: answers with the Hexo path of that page. */
export function legacyPage(c: AppContext): number | null {
  const value = c.req.query('page');
  if (value === undefined) return null;
  const page = parsePageParam(value);
  if (page === null) throw new HTTPException(400, { message: getConfig(c.env).strings.badPage });
  return page;
}

pages.get('/articles/*', redirectLegacyArticle);
pages.get('/search', (c) => serveSearch(c, 'html'));

pages.get('*', (c) => {
  const pathname = new URL(c.req.url).pathname;
  const dirs = getConfig(c.env).dirs;
  const target = matchListPath(pathname, dirs);
  if (target === null) return serveArticlePage(c);
  if (target.kind === 'redirect') throw redirectTo(target.location);
  if (target.kind === 'index') return serveListIndex(c, target.index, 'html');
  const page = legacyPage(c);
  if (page !== null) throw redirectTo(listHref(target.key, target.view, page, dirs));
  return serveList(c, target, 'html');
});
