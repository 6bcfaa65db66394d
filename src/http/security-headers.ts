import type { AppConfig } from '../config.js';

const memo = new WeakMap<AppConfig, string>();

/**
 * CSP for our HTML pages: no script at all (pages need none), styles only from our stylesheet
 * plus the inline `style` attributes that article bodies carry, images only from our own origin
 * (the image route) or data: URIs, frames only from the configured allowlist.
 */
export function htmlCsp(config: AppConfig): string {
  let csp = memo.get(config);
  if (!csp) {
    const frames = config.iframeAllowlist.map((h) => `https://${h}`).join(' ');
    csp = [
      "default-src 'none'",
      "script-src 'none'",
      "img-src 'self' data:",
      "style-src 'self'",
      "style-src-attr 'unsafe-inline'",
      "media-src 'self'",
      `frame-src ${frames || "'none'"}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'self'",
    ].join('; ');
    memo.set(config, csp);
  }
  return csp;
}

export function applyHtmlSecurityHeaders(headers: Headers, config: AppConfig): void {
  headers.set('content-security-policy', htmlCsp(config));
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'strict-origin-when-cross-origin');
}
