/**
 * Text alternatives for images (WCAG 1.1.1; axe `image-alt`, `image-redundant-alt`).
 *
 * Every `<img>` gets an `alt`, taken from the first usable of:
 *   1. the source's `alt`;
 *   2. the source's `title`;
 *   3. the caption of the `<figure>` it is the only image of;
 *   4. `alt=""`: the image is decoration, or its meaning is in the text around it.
 * A value is not usable when it is blank, or a URL or file name (feeds fill `alt` with the
 * image's address or name; a proxy URL is one too), which a screen reader would spell out.
 * (An image that is the only content of a link gets a fallback name instead of `""`: see
 * writer.ts, which knows the link.)
 */
import { collapseSpace } from './dom';
import { unwrapProxyUrl } from './proxy-url';

const URL_LIKE = /^(?:(?:https?|ftp|file|data|blob|javascript|vbscript):|\/\/|www\.)/i;
const IMAGE_FILE = /^\S+\.(?:jpe?g|jfif|png|gif|webp|avif|bmp|svg|tiff?|ico|heic)(?:[!@?#]\S*)?$/i;
const PATH_LIKE = /^\S*[/\\]\S*\.[a-z0-9]{2,5}(?:[?#]\S*)?$/i;
/** Content hashes used as file names by image hosts (`6e2c7129eefdb1f648ee2e7fadabf737-picture`). */
const HASH_NAME = /^[0-9a-f]{16,}(?:[-_.]\S*)?$/i;

/** The original URL inside one of our route paths (`/img/<sig>/<base64url>`), else `url`. */
function originalUrl(url: string): string {
  const m = /^\/img\/[A-Za-z0-9_-]+\/([A-Za-z0-9_-]+)$/.exec(url);
  if (!m?.[1]) return url;
  try {
    const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return url;
  }
}

function baseName(url: string): string {
  const path = url.replace(/[?#].*$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * True when `text` looks like a URL or a file name, or is the file name of `src` (the image's
 * original URL, proxy unwrapped), with or without its extension.
 */
export function isUrlOrFileName(text: string, src: string | null, prefixes: string[]): boolean {
  const t = text.trim();
  if (URL_LIKE.test(t) || IMAGE_FILE.test(t) || PATH_LIKE.test(t) || HASH_NAME.test(t)) return true;
  if (unwrapProxyUrl(t, prefixes) !== null) return true;
  if (src !== null && !/\s/.test(t)) {
    // Our own route path (a second rewrite) names the same file as the original URL.
    const name = baseName(originalUrl(unwrapProxyUrl(src, prefixes) ?? src)).toLowerCase();
    const lower = t.toLowerCase();
    if (name !== '' && (lower === name || lower === name.replace(/\.[a-z0-9]{2,5}(?:[!@].*)?$/, ''))) return true;
  }
  return false;
}

/** `value` when it can serve as alt text for an image from `src`, else null. */
export function usableAlt(value: string | undefined, src: string | null, prefixes: string[]): string | null {
  if (value === undefined || collapseSpace(value) === '') return null;
  return isUrlOrFileName(value, src, prefixes) ? null : value;
}

/** A figure caption as alt text: whitespace collapsed, null when blank or a file name. */
export function captionAlt(caption: string, prefixes: string[]): string | null {
  const text = collapseSpace(caption);
  return text === '' || isUrlOrFileName(text, null, prefixes) ? null : text;
}
