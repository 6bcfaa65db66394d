/**
 * Cache-Control per kind of response. Browsers get a short `max-age`; shared caches and
 * Cloudflare's edge a longer `s-maxage`; `stale-while-revalidate` / `stale-if-error` (RFC 5861)
 * keep pages up while revalidating or while KV is failing. Every value can be overridden with a
 * wrangler var (CACHE_<KIND>, e.g. CACHE_ARTICLE); see README "Caching".
 */
export type CacheKind = 'article' | 'list' | 'api' | 'feed' | 'static' | 'notFound' | 'error';

export const DEFAULT_CACHE_CONTROL: Record<CacheKind, string> = {
  article: 'public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400',
  list: 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400',
  api: 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400',
  feed: 'public, max-age=300, s-maxage=600, stale-while-revalidate=3600, stale-if-error=86400',
  static: 'public, max-age=86400, s-maxage=86400, stale-while-revalidate=604800',
  notFound: 'public, max-age=60, s-maxage=60',
  error: 'no-store',
};

const VAR_NAMES: Record<CacheKind, string> = {
  article: 'CACHE_ARTICLE',
  list: 'CACHE_LIST',
  api: 'CACHE_API',
  feed: 'CACHE_FEED',
  static: 'CACHE_STATIC',
  notFound: 'CACHE_NOT_FOUND',
  error: 'CACHE_ERROR',
};

export function cachePolicy(vars: Record<string, unknown>): Record<CacheKind, string> {
  const out = { ...DEFAULT_CACHE_CONTROL };
  for (const kind of Object.keys(VAR_NAMES) as CacheKind[]) {
    const v = vars[VAR_NAMES[kind]];
    if (typeof v === 'string' && v.trim() !== '') out[kind] = v.trim();
  }
  return out;
}
