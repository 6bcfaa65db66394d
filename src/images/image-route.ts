/**
 * The image route: `GET|HEAD /img/<sig>/<payload>` (mounted by the app with
 * `app.route('/img', imageRoutes)`). Serves only URLs the rewrite signed, from the edge cache or
 * streamed from the origin. See docs/image-route.md for statuses and policies.
 */
import { Hono, type Context } from 'hono';
import { getConfig } from '../config';
import { type Background, deliverCached, deliverFresh, deliverUpstreamNotFound } from './image-delivery';
import { imageCacheKey, matchCachedImage } from './image-cache';
import { imageErrorResponse } from './image-errors';
import { verifyImageRoute } from './image-url';
import { serverTiming } from './image-response-headers';
import { fetchUpstream } from './upstream-fetch';
import { judgeUpstream } from './upstream-response-check';
import { parsePublicHttpUrl } from './url-safety';

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

export const imageRoutes = new Hono<ImageEnv>();

// Hono routes HEAD to GET handlers; c.req.method still says HEAD.
imageRoutes.get('/:sig/:payload', async (c) => {
  const config = getConfig(c.env);
  if (!config.signingKey) return imageErrorResponse('not-configured');

  const sig = c.req.param('sig');
  const payload = c.req.param('payload');
  const originalUrl = verifyImageRoute(sig, payload, config.signingKey);
  if (originalUrl === null) return imageErrorResponse('bad-route');
  if (!parsePublicHttpUrl(originalUrl)) return imageErrorResponse('forbidden-target');

  const request = c.req.raw;
  const cacheKey = imageCacheKey(request.url, sig, payload);
  const cached = await matchCachedImage(cacheKey);
  if (cached) return deliverCached(request, cached);

  const started = Date.now();
  const result = await fetchUpstream(originalUrl, {
    timeoutMs: config.imageTimeoutMs,
    hostAllowlist: config.imageHostAllowlist,
  });
  const upstreamMs = Date.now() - started;
  if (!result.ok) return imageErrorResponse(result.reason, serverTiming(false, upstreamMs));

  const verdict = judgeUpstream(result.response, config.imageMaxBytes);
  if (verdict.kind === 'error') {
    result.response.body?.cancel().catch(() => {});
    if (verdict.error === 'upstream-not-found') return deliverUpstreamNotFound(cacheKey, upstreamMs, backgroundOf(c));
    return imageErrorResponse(verdict.error, serverTiming(false, upstreamMs));
  }
  return deliverFresh({
    request,
    upstream: result.response,
    contentType: verdict.contentType,
    contentLength: verdict.contentLength,
    maxBytes: config.imageMaxBytes,
    cacheKey,
    upstreamMs,
    background: backgroundOf(c),
  });
});

imageRoutes.all('/:sig/:payload', () => imageErrorResponse('method-not-allowed'));
// Anything else under /img (extra or missing path segments) is not a route URL.
imageRoutes.all('*', () => imageErrorResponse('bad-route'));
imageRoutes.onError(() => imageErrorResponse('internal'));
