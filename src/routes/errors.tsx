/** The one place that answers errors: HTML pages for the site, JSON under /api, nothing internal. */
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConfig } from '../config.js';
import { applyHtmlSecurityHeaders } from '../http/security-headers.js';
import { ErrorPage } from '../views/error-page.js';
import { type AppContext, type AppEnv, wantsJson } from './app-env.js';

const TITLES: Record<number, [string, string]> = {
  400: ['请求无效', 'The request was malformed.'],
  404: ['页面不存在', '找不到这个页面。它可能已被删除，或者链接有误。'],
  405: ['方法不允许', 'Method not allowed.'],
  500: ['出错了', '服务器内部错误，请稍后再试。'],
  503: ['暂时不可用', '服务暂时不可用，请稍后再试。'],
};

export function errorResponse(c: AppContext, status: number, detail?: string): Response {
  const config = getConfig(c.env);
  const [title, message] = TITLES[status] ?? TITLES[500]!;
  const kind = status === 404 ? 'notFound' : 'error';
  const headers = new Headers({ 'cache-control': config.cache[kind] });
  if (status === 503) headers.set('retry-after', '30');
  if (status === 405) headers.set('allow', 'GET, HEAD');
  if (wantsJson(c)) {
    headers.set('content-type', 'application/json; charset=utf-8');
    headers.set('x-content-type-options', 'nosniff');
    const body = c.req.method === 'HEAD' ? null : JSON.stringify({ error: detail ?? title, status });
    return new Response(body, { status, headers });
  }
  headers.set('content-type', 'text/html; charset=utf-8');
  applyHtmlSecurityHeaders(headers, config);
  const page = ErrorPage({ config, status, title, message: detail ?? message, path: '/404' });
  return new Response(c.req.method === 'HEAD' ? null : `<!doctype html>${String(page)}`, { status, headers });
}

export const notFound: NotFoundHandler<AppEnv> = (c) => errorResponse(c, 404);

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HTTPException && err.status < 500) return errorResponse(c, err.status, err.message || undefined);
  // Logged with the path for the operator; the reader gets a generic page.
  console.error(`${c.req.method} ${c.req.path}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  const status = err instanceof HTTPException ? err.status : 500;
  return errorResponse(c, status);
};
