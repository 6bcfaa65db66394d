/**
 * Articles: at their canonical path (the configured Hexo permalink, e.g. /p/1a2b.html), as JSON
 * by slug under /api/articles/, and the old /articles/<slug> links (301 to the canonical path).
 * Reads only KV: the link key (path → slug) and the article value, whose hash is its version.
 */
import { HTTPException } from 'hono/http-exception';
import { serveVersioned } from '../http/versioned-response.js';
import { renderArticleHtml, renderArticleJson } from '../render/render-article.js';
import { getArticle, getSlugByPath, possibleSlug } from '../store/article-store.js';
import type { StoredArticle } from '../store/kv-layout.js';
import { pathHref } from '../views/format.js';
import { type AppContext, decodedPath, redirectTo } from './app-env.js';
import { latest, loadSite } from './site.js';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Other spellings of a permalink a reader may type: a folder permalink without its trailing
 * slash or with index.html, a file permalink (`/p/1a2b.html`) with a trailing slash.
 */
function alternatePath(path: string): string | null {
  if (path.endsWith('/index.html')) return path.slice(0, -'index.html'.length);
  if (!path.endsWith('/')) return `${path}/`;
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? null : trimmed;
}

async function articleAtPath(c: AppContext, path: string): Promise<StoredArticle> {
  const kv = c.env.ARTICLES;
  const slug = await getSlugByPath(kv, path);
  if (slug === null) {
    const alternate = alternatePath(path);
    if (alternate !== null && (await getSlugByPath(kv, alternate)) !== null) throw redirectTo(pathHref(alternate));
    throw new HTTPException(404);
  }
  const article = await getArticle(kv, slug);
  if (article === null) throw new HTTPException(404);
  // A former path of the article (its date or title changed): send readers to the current one.
  if (article.path !== path) throw redirectTo(pathHref(article.path));
  return article;
}

/** GET <permalink>: the article page. */
export function serveArticlePage(c: AppContext): Promise<Response> {
  return serveVersioned(c, {
    kind: 'article',
    contentType: HTML,
    load: async () => {
      const path = decodedPath(c.req.url);
      if (path === null) throw new HTTPException(404);
      const [site, article] = await Promise.all([loadSite(c), articleAtPath(c, path)]);
      const { config } = site;
      return {
        config,
        // The page shows only this value (its neighbours included) and the configuration.
        version: ['article', article.slug, article.hash, config.renderVersion],
        lastModified: latest(article.changedAt, config.changedAt),
        produce: () => renderArticleHtml(config, article),
      };
    },
  });
}

/** The slug after a route prefix (`/articles/`, `/api/articles/`), decoded; null if malformed. */
export function slugAfter(c: AppContext, prefix: string): string | null {
  const path = decodedPath(c.req.url);
  if (path === null || !path.startsWith(prefix)) return null;
  const slug = path.slice(prefix.length).replace(/\/+$/, '');
  return slug === '' ? null : slug;
}

/** GET /articles/<slug>: the URL of earlier versions of this project, moved to the permalink. */
export async function redirectLegacyArticle(c: AppContext): Promise<Response> {
  const slug = slugAfter(c, '/articles/');
  const article = slug === null ? null : await getArticle(c.env.ARTICLES, slug);
  if (article === null) throw new HTTPException(404);
  throw redirectTo(pathHref(article.path));
}

/** GET /api/articles/<slug>: the article as JSON, its body rewritten. */
export function serveArticleJson(c: AppContext): Promise<Response> {
  return serveVersioned(c, {
    kind: 'api',
    contentType: JSON_TYPE,
    load: async () => {
      const slug = slugAfter(c, '/api/articles/');
      // A slug no article key can have is a 404 before any KV read (the index record included).
      if (slug === null || !possibleSlug(slug)) throw new HTTPException(404, { message: 'no such article' });
      const [site, article] = await Promise.all([loadSite(c), getArticle(c.env.ARTICLES, slug)]);
      if (article === null) throw new HTTPException(404, { message: 'no such article' });
      const { config } = site;
      return {
        config,
        version: ['article-json', article.slug, article.hash, config.renderVersion],
        lastModified: latest(article.changedAt, config.changedAt),
        produce: () => renderArticleJson(config, article),
      };
    },
  });
}
