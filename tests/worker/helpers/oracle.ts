/**
 * Independent oracles: what the Worker's URLs should be, computed here from the specifications
 * rather than by the project's own code.
 */
import { createHmac } from 'node:crypto';
import { SITE } from './app';
import { type TreePost, slugOf } from './tree';

/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final xor) of the UTF-8 bytes, bit by
 * bit — the CRC hexo-abbrlink's crc16 computes (check value: "123456789" → 0xBB3D).
 */
export function crc16Arc(text: string): number {
  let crc = 0;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** `/p/<crc16 hex>.html` (wrangler.toml: PERMALINK p/:abbrlink.html, crc16, hex). */
export function expectedPermalink(post: TreePost): string {
  return `/p/${(crc16Arc(post.title) + post.bump).toString(16)}.html`;
}

/** A root-relative href's path, parsed by WHATWG URL and decoded segment by segment. */
export function decodedSegments(href: string): string[] {
  const url = new URL(href, SITE);
  if (url.origin !== SITE) throw new Error(`${href} leaves the site`);
  return url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

/** `/a/b/` for segments: each one percent-encoded (what a client sends for a typed path). */
export const hrefOf = (segments: readonly string[], trailingSlash = true) =>
  `/${segments.map((s) => encodeURIComponent(s)).join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`;

/** The API path of an article by its slug. */
export const apiArticlePath = (post: TreePost) => `/api/articles/${slugOf(post).split('/').map(encodeURIComponent).join('/')}`;

/** An image-route URL's parts, checked against an HMAC-SHA256 computed here (first 22 base64url characters). */
export function readImageRoute(src: string, key: string): { original: string; signatureOk: boolean } {
  const m = /^(?:https?:\/\/[^/]+)?\/img\/([A-Za-z0-9_-]{22})\/([A-Za-z0-9_-]+)$/.exec(src);
  if (!m) throw new Error(`not an image route: ${src}`);
  const original = Buffer.from(m[2]!, 'base64url').toString('utf8');
  const signature = createHmac('sha256', key).update(original, 'utf8').digest('base64url').slice(0, 22);
  return { original, signatureOk: signature === m[1] };
}

/** Newest first, as every list shows articles: date descending, then slug descending (code units). */
export function newestFirst(a: { date: string; slug: string }, b: { date: string; slug: string }): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.slug < b.slug ? 1 : a.slug > b.slug ? -1 : 0;
}
