import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type AppEnv = { Bindings: Env };
export type AppContext = Context<AppEnv>;

/** `?page=N`: 1 when absent, null when not a positive integer (a client error). */
export function parsePageParam(value: string | undefined): number | null {
  if (value === undefined || value === '') return 1;
  if (!/^[1-9]\d{0,8}$/.test(value)) return null;
  return Number(value);
}

export function wantsJson(c: AppContext): boolean {
  return c.req.path.startsWith('/api/') || c.req.path === '/api';
}

/** Canonical path redirects: cached like a not-found answer, so a moved URL is re-checked soon. */
export const REDIRECT_CACHE_CONTROL = 'public, max-age=300, s-maxage=300';

/**
 * A permanent redirect thrown from a loader (Hono answers an HTTPException that carries a
 * response with that response; see errors.tsx).
 */
export function redirectTo(location: string): HTTPException {
  const res = new Response(null, { status: 301, headers: { location, 'cache-control': REDIRECT_CACHE_CONTROL } });
  return new HTTPException(301 as ContentfulStatusCode, { res });
}

/** A request's path, decoded into NFC segments and joined again (trailing slash kept); null if malformed. */
export function decodedPath(requestUrl: string): string | null {
  const raw = new URL(requestUrl).pathname;
  const parts: string[] = [];
  for (const segment of raw.split('/')) {
    try {
      parts.push(decodeURIComponent(segment).normalize('NFC'));
    } catch {
      return null;
    }
  }
  return parts.join('/');
}
