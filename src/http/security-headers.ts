/**
 * Security headers of our HTML pages. The CSP allows no script at all (pages need none), styles
 * only from our stylesheet plus the inline `style` attributes article bodies carry (filtered by the
 * rewrite), images only from our own origin (the image route) or data: URIs, media from https
 * origins (the rewrite keeps only https media, played on demand), frames only from the configured
 * allowlist, and `connect-src 'self'` (nothing on the page fetches; crawlers' robots.txt checks
 * run in the page's context).
 */
export function htmlCsp(iframeAllowlist: readonly string[]): string {
  const frames = iframeAllowlist.map((h) => `https://${h}`).join(' ');
  return [
    "default-src 'none'",
    "script-src 'none'",
    "img-src 'self' data:",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "media-src 'self' https:",
    "connect-src 'self'",
    `frame-src ${frames || "'none'"}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

export const DEFAULT_CSP = htmlCsp([]);

export function applyHtmlSecurityHeaders(headers: Headers, csp: string = DEFAULT_CSP): void {
  headers.set('content-security-policy', csp);
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'strict-origin-when-cross-origin');
}
