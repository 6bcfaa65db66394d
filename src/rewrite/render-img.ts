/**
 * `<img>`: the lazy-load markup of the source sites becomes a plain, valid image with a text
 * alternative. Attributes are written in a fixed order (so a second rewrite gives the same
 * bytes): src, srcset, sizes, alt, title, id, class, style, lang, dir, width, height, loading,
 * decoding, referrerpolicy.
 */
import { usableAlt } from './alt-text';
import { attr, claimId, dirValue, presentationalStyle, styleValue, titleValue, type AttrEnv, type Attrs } from './attributes';
import { langAttribute } from './lang-tag';
import { LAZY_CLASSES } from './policy';
import { resolveImage, rewriteSrcset, type Srcset, type UrlContext } from './url-policy';

const IMG_LAZY_SOURCES = ['data-original', 'data-src', 'data-lazy-src', 'data-actualsrc'];

/**
 * `sizes` for width-described srcsets: the article column is at most 46rem (736px) wide. The
 * source's own `sizes` is not kept: its media conditions would need a full grammar to validate.
 */
export const ARTICLE_SIZES = '(max-width: 736px) 100vw, 736px';

export interface ImgSources {
  src: string;
  srcset: Srcset | null;
  /** The raw source URL the image came from (to recognise its file name used as alt). */
  raw: string | null;
}

/** The image's `src`/`srcset` on our route, or null when it has no usable source. */
export function imgSources(attrs: Attrs, urls: UrlContext): ImgSources | null {
  const rawSrc = attrs.get('src');
  const fromSrc = rawSrc === undefined ? null : resolveImage(rawSrc, urls, true);
  let src: string | null = fromSrc !== null && !fromSrc.startsWith('data:') ? fromSrc : null;
  let raw: string | null = src !== null ? (rawSrc ?? null) : null;
  if (src === null) {
    // src missing, unusable or a data: placeholder: the lazy loader's real source wins.
    for (const name of IMG_LAZY_SOURCES) {
      const value = attrs.get(name);
      if (value === undefined) continue;
      src = resolveImage(value, urls, false);
      if (src !== null) {
        raw = value;
        break;
      }
    }
    src ??= fromSrc; // a data:image/* that is the only source
  }
  const rawSrcset = attrs.get('srcset') ?? attrs.get('data-srcset');
  const srcset = rawSrcset === undefined ? null : rewriteSrcset(rawSrcset, urls);
  if (src === null) {
    if (srcset === null) return null;
    src = srcset.first; // an <img> must have a src
  }
  return { src, srcset, raw };
}

function positiveInt(value: string | undefined): string | null {
  if (value === undefined) return null;
  const m = /^[\t\n\f\r ]*0*([1-9]\d{0,5})[\t\n\f\r ]*$/.exec(value);
  return m?.[1] ?? null;
}

export interface RenderedImg {
  html: string;
  /** The image has `alt=""` (a link around it may need a name). */
  emptyAlt: boolean;
}

/**
 * The image's markup. `fallbackAlt` is the caption of its figure when it is the figure's only
 * image (alt-text.ts has the order of preference).
 */
export function renderImg(attrs: Attrs, env: AttrEnv, sources: ImgSources, fallbackAlt: string | null): RenderedImg {
  const parts = ['<img'];
  attr(parts, 'src', sources.src);
  if (sources.srcset !== null) {
    attr(parts, 'srcset', sources.srcset.value);
    if (sources.srcset.widths) attr(parts, 'sizes', ARTICLE_SIZES);
  }
  const prefixes = env.urls.prefixes;
  const title = attrs.get('title');
  const alt = usableAlt(attrs.get('alt'), sources.raw, prefixes) ?? usableAlt(title, sources.raw, prefixes) ?? fallbackAlt ?? '';
  attr(parts, 'alt', alt);
  if (title !== undefined) {
    const shown = titleValue(title, env);
    if (shown !== null) attr(parts, 'title', shown);
  }
  const id = claimId(attrs.get('id'), env);
  if (id !== null) attr(parts, 'id', id);
  const cls = attrs.get('class');
  if (cls !== undefined) {
    const kept = cls.split(/[\t\n\f\r ]+/).filter((c) => c !== '' && !LAZY_CLASSES.has(c));
    if (kept.length > 0) attr(parts, 'class', kept.join(' '));
  }
  const style = styleValue('img', presentationalStyle('img', attrs), attrs.get('style'), env);
  if (style !== null) attr(parts, 'style', style);
  const lang = attrs.get('lang');
  const langValue = lang === undefined ? null : langAttribute('img', cls, lang);
  if (langValue !== null) attr(parts, 'lang', langValue);
  const dir = attrs.get('dir');
  const dirV = dir === undefined ? null : dirValue(dir);
  if (dirV !== null) attr(parts, 'dir', dirV);
  // Intrinsic size only when both are positive integers (percentages etc. are dropped).
  let width = positiveInt(attrs.get('width'));
  let height = positiveInt(attrs.get('height'));
  if (width === null || height === null) {
    width = positiveInt(attrs.get('data-width'));
    height = positiveInt(attrs.get('data-height'));
  }
  if (width !== null && height !== null) parts.push(` width="${width}" height="${height}"`);
  parts.push(' loading="lazy" decoding="async" referrerpolicy="no-referrer">');
  return { html: parts.join(''), emptyAlt: alt === '' };
}
