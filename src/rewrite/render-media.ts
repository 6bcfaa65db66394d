/** Embedded content: `<video>`, `<audio>`, `<source>`, allowlisted `<iframe>`s. */
import { attr, renderAttributes, type AttrEnv, type Attrs } from './attributes';
import { ARTICLE_SIZES } from './render-img';
import { cleanUrlString, unwrapProxyUrl } from './proxy-url';
import { resolveImage, resolveMedia, rewriteSrcset, validUrl } from './url-policy';

const MEDIA_HANDLED = new Set(['src', 'poster', 'controls', 'preload', 'width', 'height', 'muted', 'loop', 'playsinline', 'autoplay']);
const BOOLEAN_MEDIA = ['muted', 'loop', 'playsinline'];

function positiveInt(value: string | undefined): string | null {
  const m = /^\s*0*([1-9]\d{0,4})\s*$/.exec(value ?? '');
  return m?.[1] ?? null;
}

/** The player's media URL (https only, never routed), or null. */
export function mediaSrc(attrs: Attrs, env: AttrEnv): string | null {
  const raw = attrs.get('src');
  return raw === undefined ? null : resolveMedia(raw, env.urls);
}

/**
 * `<video>`/`<audio>` start tag. Autoplay is not allowed, so without controls the player would be
 * inert: `controls` is always on, and `preload="none"` fetches nothing until play is pressed.
 */
export function renderMedia(tag: 'video' | 'audio', attrs: Attrs, env: AttrEnv, src: string | null, parentTag: string): { open: string; reopen: string } {
  const { id, rest } = renderAttributes(tag, tag, attrs, env, { parentTag, skip: MEDIA_HANDLED });
  const parts: string[] = [];
  if (tag === 'video') {
    const width = positiveInt(attrs.get('width'));
    const height = positiveInt(attrs.get('height'));
    if (width !== null) parts.push(` width="${width}"`);
    if (height !== null) parts.push(` height="${height}"`);
  }
  for (const name of BOOLEAN_MEDIA) if (attrs.has(name) && (tag === 'video' || name !== 'playsinline')) parts.push(` ${name}=""`);
  if (src !== null) attr(parts, 'src', src);
  const rawPoster = tag === 'video' ? attrs.get('poster') : undefined;
  const poster = rawPoster === undefined ? null : resolveImage(rawPoster, env.urls, true);
  if (poster !== null) attr(parts, 'poster', poster);
  parts.push(' controls="" preload="none">');
  const tail = parts.join('');
  return { open: `<${tag}${id}${rest}${tail}`, reopen: `<${tag}${rest}${tail}` };
}

const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]*$/i;
const MEDIA_TYPE = /^(?:video|audio)\/[a-z0-9][a-z0-9.+-]*$/i;
/** The media queries art direction uses: `(max-width: 600px)`, `screen and (min-width: 40em)`. */
const MEDIA_QUERY =
  /^\s*(?:(?:only\s+)?(?:screen|all|print)(?:\s+and\s+|\s*$))?(?:\(\s*(?:min|max)-(?:width|height)\s*:\s*\d+(?:\.\d+)?(?:px|em|rem)\s*\)\s*(?:and\s+|$))*$/i;

/**
 * `<source>`: image candidates inside `<picture>`, media inside `<video>`/`<audio>`. Null when
 * it has nothing usable (or a media query we cannot vouch for: without it the source would
 * always match and replace the image).
 */
export function renderSource(attrs: Attrs, parentTag: string, env: AttrEnv): string | null {
  const parts = ['<source'];
  const type = attrs.get('type')?.trim();
  if (parentTag === 'picture') {
    const raw = attrs.get('srcset');
    const srcset = raw === undefined ? null : rewriteSrcset(raw, env.urls);
    if (srcset === null) return null;
    attr(parts, 'srcset', srcset.value);
    if (srcset.widths) attr(parts, 'sizes', ARTICLE_SIZES);
    const media = attrs.get('media');
    if (media !== undefined) {
      if (!MEDIA_QUERY.test(media) || media.trim() === '') return null;
      attr(parts, 'media', media.trim().replace(/\s+/g, ' '));
    }
    if (type !== undefined && IMAGE_TYPE.test(type)) attr(parts, 'type', type);
  } else {
    const raw = attrs.get('src');
    const src = raw === undefined ? null : resolveMedia(raw, env.urls);
    if (src === null) return null;
    attr(parts, 'src', src);
    const mime = type?.split(';')[0]?.trim();
    if (mime !== undefined && MEDIA_TYPE.test(mime)) attr(parts, 'type', mime);
  }
  parts.push('>');
  return parts.join('');
}

/**
 * `<iframe>` only from an allowlisted host over https; its content (fallback markup that browsers
 * never show) is dropped. A fixed sandbox limits what the embed may do to the page; it does not
 * include `allow-same-origin`, which validators reject together with `allow-scripts` (the pair
 * lets same-origin content remove its own sandbox), so an embed runs in an opaque origin. A title
 * names it for assistive technology (axe frame-title): the source's, else the host.
 */
export function renderIframe(attrs: Attrs, env: AttrEnv, allow: readonly string[]): string | null {
  if (allow.length === 0) return null;
  const raw = attrs.get('src');
  if (raw === undefined) return null;
  const s = cleanUrlString(raw);
  const candidate = unwrapProxyUrl(s, env.urls.prefixes) ?? (s.startsWith('//') ? `https:${s}` : s);
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  if (!allow.includes(url.hostname.toLowerCase())) return null;
  const parts = ['<iframe'];
  attr(parts, 'src', validUrl(url.href));
  for (const name of ['width', 'height'] as const) {
    const value = positiveInt(attrs.get(name));
    if (value !== null) parts.push(` ${name}="${value}"`);
  }
  const title = attrs.get('title')?.trim();
  attr(parts, 'title', title ? title : url.hostname);
  if (attrs.has('allowfullscreen')) parts.push(' allowfullscreen=""');
  parts.push(
    ' loading="lazy" sandbox="allow-scripts allow-popups allow-presentation"' +
      ' referrerpolicy="strict-origin-when-cross-origin"></iframe>',
  );
  return parts.join('');
}
