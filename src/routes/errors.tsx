/** The one place that answers errors: HTML pages for the site, JSON under /api, nothing internal. */
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AppConfig, ConfigError, getConfig } from '../config.js';
import { DEFAULT_CACHE_CONTROL } from '../http/cache-policy.js';
import { applyHtmlSecurityHeaders } from '../http/security-headers.js';
import { ErrorPage } from '../views/error-page.js';
import { uiStrings } from '../views/i18n.js';
import { type AppContext, type AppEnv, wantsJson } from './app-env.js';
import { viewHelpers } from './hexo-paths.js';

type Known = 400 | 404 | 405 | 500 | 503;

/** The configuration for an error page; a minimal one when the configuration is what failed. */
function configFor(c: AppContext): AppConfig | null {
  try {
    return getConfig(c.env);
  } catch {
    return null;
  }
}

/** The language of a page shown without a configuration: SITE_LANG as written when English, else zh-CN. */
function fallbackLang(c: AppContext): 'en' | 'zh-CN' {
  const lang = c.env.SITE_LANG;
  return typeof lang === 'string' && /^\s*en(?:-|\s*$)/i.test(lang) ? 'en' : 'zh-CN';
}

export function errorResponse(c: AppContext, status: number, detail?: string, misconfigured = false): Response {
  const config = configFor(c);
  const lang = fallbackLang(c);
  const strings = config?.strings ?? uiStrings(lang);
  const known: Known = status === 400 || status === 404 || status === 405 || status === 503 ? status : 500;
  const { title, message } = misconfigured ? strings.misconfigured : strings.errors[known];
  const kind = status === 404 ? 'notFound' : 'error';
  const headers = new Headers({ 'cache-control': config ? config.cache[kind] : DEFAULT_CACHE_CONTROL[kind] });
  if (status === 503) headers.set('retry-after', '30');
  if (status === 405) headers.set('allow', 'GET, HEAD');
  if (wantsJson(c)) {
    headers.set('content-type', 'application/json; charset=utf-8');
    headers.set('x-content-type-options', 'nosniff');
    const body = c.req.method === 'HEAD' ? null : JSON.stringify({ error: detail ?? title, status });
    return new Response(body, { status, headers });
  }
  headers.set('content-type', 'text/html; charset=utf-8');
  applyHtmlSecurityHeaders(headers, config?.csp);
  if (config === null) {
    // Not even the configuration could be read: a plain page, in English if SITE_LANG says so.
    const body = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title></head><body><main><h1>${title}</h1><p>${message}</p></main></body></html>`;
    return new Response(c.req.method === 'HEAD' ? null : body, { status, headers });
  }
  const page = ErrorPage({ config, links: viewHelpers(config.dirs).links, title, message: detail ?? message });
  return new Response(c.req.method === 'HEAD' ? null : `<!doctype html>${String(page)}`, { status, headers });
}

export const notFound: NotFoundHandler<AppEnv> = (c) => errorResponse(c, 404);

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  // Redirects thrown by loaders carry their response.
  if (err instanceof HTTPException && err.res) return err.getResponse();
  if (err instanceof HTTPException && err.status < 500) return errorResponse(c, err.status, err.message || undefined);
  if (err instanceof ConfigError) return errorResponse(c, 500, undefined, true); // logged once by getConfig
  // Logged with the path for the operator; the reader gets a generic page.
  console.error(`${c.req.method} ${c.req.path}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  const status = err instanceof HTTPException ? err.status : 500;
  return errorResponse(c, status);
};
