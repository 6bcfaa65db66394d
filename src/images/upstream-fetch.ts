/**
 * Fetching an image from its origin: exactly the signed URL, with our own minimal request
 * headers (no Referer, cookies or anything from the client), redirects followed by hand under
 * redirect-policy.ts, and a timeout that covers getting the final response's headers (the body
 * then streams without it).
 */
import { isRedirectStatus, MAX_REDIRECTS, nextHop } from './redirect-policy';
import { parsePublicHttpUrl } from './url-safety';

export const UPSTREAM_USER_AGENT = 'edge-content-proxy/1.0 (+image route)';
export const UPSTREAM_ACCEPT = 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8';

export interface UpstreamOptions {
  timeoutMs: number;
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
 * non-redirect response, or the reason there is none. Never throws.
 */
export async function fetchUpstream(originalUrl: string, options: UpstreamOptions): Promise<UpstreamResult> {
  const original = parsePublicHttpUrl(originalUrl);
  if (!original) return { ok: false, reason: 'forbidden-target' };

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const timeout = new Promise<UpstreamResult>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('upstream timed out', 'TimeoutError'));
      resolve({ ok: false, reason: 'timeout' });
    }, options.timeoutMs);
  });
  const attempt = followRedirects(originalUrl, original, options, controller.signal).then((result) => {
    // A response that arrives after we gave up is never read: release it.
    if (timedOut && result.ok) discard(result.response);
    return result;
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
