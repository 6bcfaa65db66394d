/**
 * The image route: `GET|HEAD /img/<sig>/<payload>` (mounted by the app with
 * `app.route('/img', imageRoutes)`). Serves only URLs the rewrite signed, from the edge cache or
 * streamed from the origin. See docs/image-route.md for statuses and policies.
 */
import { Hono, type Context } from 'hono';
import { ConfigError, getConfig } from '../config';
import { type Background, deliverCached, deliverFresh, deliverFromMemory, deliverUpstreamNotFound, memoryEntry } from './image-delivery';
import { imageCacheKey, matchCachedImage } from './image-cache';
import { imageErrorResponse } from './image-errors';
import { verifyImageRoute } from './image-url';
import { serverTiming } from './image-response-headers';
import { startDeadline } from './deadline';
import { fetchUpstream } from './upstream-fetch';
import { imageHotCache } from '../http/hot-cache';
import { judgeUpstream } from './upstream-response-check';
import { parsePublicHttpUrl } from './url-safety';
import { cachedSigningKeyProblem, logSigningKeyProblemOnce } from './signing-key';

type ImageEnv = { Bindings: Env };

/** `waitUntil` of the request's ExecutionContext, or null when there is none. */
function backgroundOf(c: Context<ImageEnv>): Background {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return null;
  }
}

/** Images kept in isolate memory: small ones, for five minutes. */
const MEMORY_MAX_IMAGE_BYTES = 512 * 1024;
const MEMORY_TTL_MS = 5 * 60 * 1000;

export const imageRoutes = new Hono<ImageEnv>();

// Hono routes HEAD to GET handlers; c.req.method still says HEAD.
imageRoutes.get('/:sig/:payload', async (c) => {
  let config;
  try {
    config = getConfig(c.env);
  } catch (error) {
    // A configuration the site refuses (it logs why, once) serves no image either.
    if (error instanceof ConfigError) return imageErrorResponse('misconfigured');
    throw error;
  }
  // Before anything else, the memory cache included: a bad key must not serve a single image.
  // The request's own origin counts too: SITE_URL may come from an upload's _config.yml, which
  // this route does not read, and on Cloudflare the origin is the one the request was routed by.
  const keyProblem =
    cachedSigningKeyProblem(config.signingKey, config.siteUrl) ?? cachedSigningKeyProblem(config.signingKey, new URL(c.req.url).origin);
  if (keyProblem !== null) {
    logSigningKeyProblemOnce(keyProblem);
    return imageErrorResponse('misconfigured');
  }
  const request = c.req.raw;
  const sig = c.req.param('sig');
  const payload = c.req.param('payload');
  // A signed URL always names the same bytes, so memory copies need no revalidation; they only
  // spare the signature check and the Cache API lookup for hot images (src/http/hot-cache.ts).
  // Only verified URLs are ever stored, so an exact key match needs no second check.
  const memoryKey = `${sig}/${payload}`;
  const useMemory = config.hotCacheMs > 0;
  const hot = useMemory ? imageHotCache.get(memoryKey) : null;
  if (hot) return deliverFromMemory(request, hot);

  const originalUrl = verifyImageRoute(sig, payload, config.signingKey);
  if (originalUrl === null) return imageErrorResponse('bad-route');
  if (!parsePublicHttpUrl(originalUrl)) return imageErrorResponse('forbidden-target');

  const cacheKey = imageCacheKey(request.url, sig, payload);
  const cached = await matchCachedImage(cacheKey);
  if (cached) {
    const length = Number(cached.headers.get('content-length') ?? Number.NaN);
    if (useMemory && cached.status === 200 && request.method === 'GET' && length <= MEMORY_MAX_IMAGE_BYTES) {
      const body = await cached.arrayBuffer();
      imageHotCache.set(memoryKey, memoryEntry(cached.headers, body), MEMORY_TTL_MS);
      return deliverCached(request, new Response(body, { status: 200, headers: cached.headers }));
    }
    return deliverCached(request, cached);
  }

  const started = Date.now();
  // One deadline from here to the body's last byte; deliverFresh hands it on to the body.
  const deadline = startDeadline(config.imageTimeoutMs);
  const result = await fetchUpstream(originalUrl, { deadline, hostAllowlist: config.imageHostAllowlist });
  const upstreamMs = Date.now() - started;
  if (!result.ok) {
    deadline.dispose();
    return imageErrorResponse(result.reason, serverTiming(false, upstreamMs));
  }

  const verdict = judgeUpstream(result.response, config.imageMaxBytes);
  if (verdict.kind === 'error') {
    deadline.dispose();
    result.response.body?.cancel().catch(() => {});
    if (verdict.error === 'upstream-not-found') return deliverUpstreamNotFound(cacheKey, upstreamMs, backgroundOf(c));
    return imageErrorResponse(verdict.error, serverTiming(false, upstreamMs));
  }
  return await deliverFresh({
    request,
    upstream: result.response,
    contentType: verdict.contentType,
    contentLength: verdict.contentLength,
    maxBytes: config.imageMaxBytes,
    deadline,
    cacheKey,
    upstreamMs,
    background: backgroundOf(c),
  });
});

imageRoutes.all('/:sig/:payload', () => imageErrorResponse('method-not-allowed'));
// Anything else under /img (extra or missing path segments) is not a route URL.
imageRoutes.all('*', () => imageErrorResponse('bad-route'));
imageRoutes.onError(() => imageErrorResponse('internal'));
