/** Placeholder until the image-route branch lands (it owns this module). */
export const DEVELOPMENT_SIGNING_KEY = 'dev-only-insecure-image-signing-key';

function isLocalOrigin(siteUrl: string): boolean {
  try {
    const host = new URL(siteUrl).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]';
  } catch {
    return false;
  }
}

export function signingKeyProblem(key: string | undefined, siteUrl: string): string | null {
  if (!key) return 'IMAGE_SIGNING_KEY is not set (npx wrangler secret put IMAGE_SIGNING_KEY; locally: .dev.vars)';
  if (key === DEVELOPMENT_SIGNING_KEY && !isLocalOrigin(siteUrl)) {
    return `IMAGE_SIGNING_KEY is the public development key while SITE_URL (${siteUrl}) is not a local origin`;
  }
  return null;
}
