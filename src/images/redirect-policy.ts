/**
 * Which upstream redirects the image route follows. Redirects are followed by hand
 * (`redirect: 'manual'`) so that every hop is checked like the original URL: http(s) to a public
 * host only (url-safety.ts), and either the original's own hostname or one listed exactly
 * (no subdomain wildcard) in IMAGE_HOST_ALLOWLIST. Scheme and port may change (http→https).
 */
import { parsePublicHttpUrl } from './url-safety';

/** At most this many redirects per image; the next one is refused. */
export const MAX_REDIRECTS = 4;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/** True when `target` may be fetched while following redirects that started at `original`. */
export function isAllowedRedirectHost(target: URL, original: URL, allowlist: readonly string[]): boolean {
  const host = normaliseHost(target.hostname);
  return host === normaliseHost(original.hostname) || allowlist.includes(host);
}

/**
 * The URL to fetch next for a redirect's `Location` (resolved against the current URL), or null
 * when the redirect may not be followed.
 */
export function nextHop(
  location: string | null,
  current: URL,
  original: URL,
  allowlist: readonly string[],
): URL | null {
  if (location === null || location.trim() === '') return null;
  let resolved: string;
  try {
    resolved = new URL(location, current).href;
  } catch {
    return null;
  }
  const target = parsePublicHttpUrl(resolved);
  return target && isAllowedRedirectHost(target, original, allowlist) ? target : null;
}
