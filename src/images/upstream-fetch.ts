/**
 * Fetching an image from its origin: exactly the signed URL, with our own minimal request
 * headers (no Referer, cookies or anything from the client), redirects followed by hand under
 * redirect-policy.ts, all under the fetch's one deadline (deadline.ts), which then goes on to
 * bound the body (image-body.ts).
 */
import type { Deadline } from './deadline';
import { isRedirectStatus, MAX_REDIRECTS, nextHop } from './redirect-policy';
import { parsePublicHttpUrl } from './url-safety';

export const UPSTREAM_USER_AGENT = 'edge-content-proxy/1.0 (+image route)';
export const UPSTREAM_ACCEPT = 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8';

export interface UpstreamOptions {
  /** Started by the caller before this call; it aborts every hop and (later) the body. */
  deadline: Deadline;
  /** Lower-cased hostnames a redirect may go to besides the original's own. */
  hostAllowlist: readonly string[];
  maxRedirects?: number;
}

export type UpstreamFailure = 'forbidden-target' | 'bad-redirect' | 'too-many-redirects' | 'timeout' | 'network';

export type UpstreamResult =
  | { ok: true; response: Response; url: string }
  | { ok: false; reason: UpstreamFailure };

/** The only headers we send upstream; nothing of the client's request is passed on. */
export function upstreamHeaders(): Headers {
  return new Headers({ 'user-agent': UPSTREAM_USER_AGENT, accept: UPSTREAM_ACCEPT });
}

/** A GET for `url` (used as given, not re-serialised) that leaves redirects to us. */
export function upstreamRequest(url: string, signal: AbortSignal): Request {
  return new Request(url, { method: 'GET', headers: upstreamHeaders(), redirect: 'manual', signal });
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

async function followRedirects(
  originalUrl: string,
  original: URL,
  options: UpstreamOptions,
  signal: AbortSignal,
): Promise<UpstreamResult> {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let currentRaw = originalUrl;
  let current = original;
  for (let redirects = 0; ; redirects++) {
    if (signal.aborted) return { ok: false, reason: 'timeout' };
    const request = upstreamRequest(currentRaw, signal);
    // Defence in depth: the runtime's parse of the string must reach the host we checked.
    if (new URL(request.url).hostname !== current.hostname) return { ok: false, reason: 'forbidden-target' };
    let response: Response;
    try {
      response = await fetch(request);
    } catch {
      return { ok: false, reason: signal.aborted ? 'timeout' : 'network' };
    }
    if (!isRedirectStatus(response.status)) return { ok: true, response, url: currentRaw };
    const location = response.headers.get('location');
    discard(response);
    if (redirects >= maxRedirects) return { ok: false, reason: 'too-many-redirects' };
    const next = nextHop(location, current, original, options.hostAllowlist);
    if (!next) return { ok: false, reason: 'bad-redirect' };
    current = next;
    currentRaw = next.href;
  }
}

/**
 * Fetches `originalUrl` (the exact string from verifyImageRoute). Resolves with the first
 * non-redirect response, or the reason there is none: 'timeout' as soon as the deadline passes,
 * even if the origin ignores the abort. Never throws, and never disposes the deadline (the body
 * is still to come).
 */
export async function fetchUpstream(originalUrl: string, options: UpstreamOptions): Promise<UpstreamResult> {
  const original = parsePublicHttpUrl(originalUrl);
  if (!original) return { ok: false, reason: 'forbidden-target' };
  const { deadline } = options;
  if (deadline.expired) return { ok: false, reason: 'timeout' };

  let unsubscribe = () => {};
  const timeout = new Promise<UpstreamResult>((resolve) => {
    unsubscribe = deadline.onExpire(() => resolve({ ok: false, reason: 'timeout' }));
  });
  const attempt = followRedirects(originalUrl, original, options, deadline.signal).then((result) => {
    // A response that arrives after we gave up is never read: release it.
    if (deadline.expired && result.ok) discard(result.response);
    return result;
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    unsubscribe();
  }
}
