/**
 * Which URL each kind of attribute may have in the output.
 *
 * Images
 * - Proxy URLs (proxy-url.ts) are unwrapped; the original goes through `imageRoute` when it is an
 *   absolute http(s) URL to a public host (`parsePublicHttpUrl`), otherwise the attribute is
 *   dropped (`javascript:`, `file:`, loopback/private/link-local targets are never routed).
 * - Images that were never proxied are routed too when `routeAllImages` (default): `http://` is
 *   mixed content and any other host learns who reads what. Root-relative `/img/…` is our own
 *   route (already rewritten) and kept as is, which makes the rewrite idempotent.
 * - Relative srcs (`/uploads/a.png`, `../a.png`, `C:\…`, `file:`) cannot be resolved: we do not
 *   know the site the post was scraped from, so they are dropped like unsafe ones.
 * - `data:image/*` stays in `src`/`srcset` (it loads nothing); any other `data:` is dropped.
 *
 * Every URL written is also made valid for the URL standard (`validUrl`): validators reject a
 * space, `{`, `|`, a second `#` or a stray `%` in an attribute URL, and browsers percent-encode
 * them anyway, so encoding them names the same resource.
 */
import { IMAGE_ROUTE_PREFIX } from '../images/image-url';
import { parsePublicHttpUrl } from '../images/url-safety';
import { IMAGE_PATH, LINK_SCHEMES } from './policy';
import { cleanUrlString, unwrapProxyUrl } from './proxy-url';
import { parseSrcset, serializeSrcset, type SrcsetCandidate } from './srcset';

export interface UrlContext {
  readonly prefixes: string[];
  readonly routeAllImages: boolean;
  readonly imageRoute: (absoluteUrl: string) => string;
}

/**
 * Script-capable schemes, checked on every attribute value after removing what a browser ignores
 * or what could hide the scheme from a naive check: ASCII whitespace, C0/C1 controls and Unicode
 * spaces/format characters (`jav&#x09;ascript:` arrives here as `jav\tascript:`).
 */
// eslint-disable-next-line no-control-regex
const IGNORABLE = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
const SCRIPT_SCHEME = /^(?:javascript|vbscript|livescript|mocha):/i;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

export function hasScriptScheme(value: string): boolean {
  return SCRIPT_SCHEME.test(value.replace(IGNORABLE, ''));
}

function schemeOf(url: string): string | null {
  const m = SCHEME.exec(url.replace(IGNORABLE, ''));
  return m?.[1] ? m[1].toLowerCase() : null;
}

const isOurRoute = (s: string): boolean => s.startsWith(IMAGE_ROUTE_PREFIX);

/**
 * Characters a valid URL may contain as they are (RFC 3986 unreserved, sub-delims, `:@/?`, and
 * `%` starting a valid escape, `#` once); everything else is percent-encoded as UTF-8.
 * https://url.spec.whatwg.org/#url-code-points
 */
const INVALID_URL_CHAR = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%#]|#/gu;

/** `url` with what the URL standard calls invalid percent-encoded; the same resource. */
export function validUrl(url: string): string {
  let fragment = false;
  const s = url.isWellFormed() ? url : url.toWellFormed();
  return s.replace(INVALID_URL_CHAR, (ch) => {
    if (ch === '#') {
      if (!fragment) {
        fragment = true;
        return ch;
      }
      return '%23';
    }
    return encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  });
}

/**
 * A parsed http(s) URL's href with `validUrl` applied after its authority only: the host is
 * already serialised by the URL parser, and an IPv6 host's brackets (`http://[::1]/`) are valid
 * there but nowhere else (percent-encoding them made a URL that no longer parses, so a second
 * rewrite dropped it).
 */
function validHttpHref(u: URL): string {
  // Special schemes always serialise a path starting with `/` after the authority, and userinfo
  // has its `/` percent-encoded, so the first `/` after `scheme://` ends the authority.
  const authorityEnd = u.href.indexOf('/', u.protocol.length + 2);
  return authorityEnd < 0 ? u.href : u.href.slice(0, authorityEnd) + validUrl(u.href.slice(authorityEnd));
}

/** An absolute http(s) URL in the URL standard's serialisation, or null when it does not parse. */
function serialiseHttp(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? validHttpHref(u) : null;
  } catch {
    return null;
  }
}

/** Route a proxied target: only absolute http(s) to a public host, else null (dropped). */
function routeTarget(target: string, ctx: UrlContext): string | null {
  const url = parsePublicHttpUrl(target);
  return url ? ctx.imageRoute(url.href) : null;
}

/**
 * The URL an image attribute (`src`, `srcset` candidate, `poster`, front matter) should have in
 * the output, or null when it must be dropped.
 */
export function resolveImage(raw: string, ctx: UrlContext, allowData: boolean): string | null {
  const s = cleanUrlString(raw);
  if (s === '') return null;
  if (isOurRoute(s)) return validUrl(s);
  if (/^data:/i.test(s)) return allowData && /^data:image\//i.test(s) ? validUrl(s) : null;
  const target = unwrapProxyUrl(s, ctx.prefixes);
  if (target !== null) return routeTarget(target, ctx);
  const absolute = s.startsWith('//') ? `https:${s}` : s;
  // Relative, root-relative, `C:\…`, `file:`… cannot be resolved (unknown source site): drop.
  if (!/^https?:/i.test(absolute)) return null;
  const url = parsePublicHttpUrl(absolute);
  if (!url) return null;
  // Second chance for proxy spellings only the URL parser normalises (`https:\\host\?…`).
  const late = unwrapProxyUrl(url.href, ctx.prefixes);
  if (late !== null) return routeTarget(late, ctx);
  return ctx.routeAllImages ? ctx.imageRoute(url.href) : validUrl(url.href);
}

/** A CSS `url()` target: our image route only (routed whatever `routeAllImages` says), else null. */
export function resolveStyleImage(raw: string, ctx: UrlContext): string | null {
  const s = cleanUrlString(raw);
  if (isOurRoute(s)) return validUrl(s);
  const routed = resolveImage(s, { ...ctx, routeAllImages: true }, false);
  return routed !== null && !/^data:/i.test(routed) ? routed : null;
}

/** `<a href>`: proxied → routed (the proxy only ever carried images); links stay links. */
export function resolveLink(raw: string, ctx: UrlContext): string | null {
  const s = cleanUrlString(raw);
  if (s === '' || isOurRoute(s)) return validUrl(s);
  const target = unwrapProxyUrl(s, ctx.prefixes);
  if (target !== null) return routeTarget(target, ctx);
  const scheme = schemeOf(s);
  let absolute: string | null = null;
  if (scheme !== null) {
    if (!LINK_SCHEMES.has(scheme)) return null;
    if (scheme === 'http' || scheme === 'https') absolute = s;
  } else if (s.startsWith('//')) {
    absolute = `https:${s}`;
  }
  if (absolute === null) {
    // mailto:, tel:, relative or fragment link. Browsers read `\` as `/` in a relative URL on
    // an http(s) page.
    return validUrl(scheme === null ? s.replace(/\\/g, '/') : s);
  }
  if (ctx.routeAllImages) {
    // A link to an image is an image view: route it like the images themselves.
    const url = parsePublicHttpUrl(absolute);
    if (url) {
      const late = unwrapProxyUrl(url.href, ctx.prefixes);
      if (late !== null) return routeTarget(late, ctx);
      if (IMAGE_PATH.test(url.pathname)) return ctx.imageRoute(url.href);
    }
  }
  return serialiseHttp(absolute);
}

/** `cite` and other linked-only URLs: unwrap proxies, allow http(s) and relative only. */
export function resolvePlainUrl(raw: string, ctx: UrlContext): string | null {
  const s = cleanUrlString(raw);
  const target = unwrapProxyUrl(s, ctx.prefixes);
  if (target !== null) {
    const url = parsePublicHttpUrl(target);
    return url ? validHttpHref(url) : null;
  }
  const scheme = schemeOf(s);
  if (scheme === 'http' || scheme === 'https') return serialiseHttp(s);
  return scheme === null ? validUrl(s.replace(/\\/g, '/')) : null;
}

/**
 * `<video>`/`<audio>`/`<source>` media `src`: our route serves images only, so media is never
 * routed. A proxy URL is unwrapped to its original; the result is kept only when it is https to a
 * public host (http would be mixed content). `preload="none"` on the player means nothing is
 * fetched from the media host until the reader presses play.
 */
export function resolveMedia(raw: string, ctx: UrlContext): string | null {
  const s = cleanUrlString(raw);
  if (s === '') return null;
  const target = unwrapProxyUrl(s, ctx.prefixes);
  const candidate = target ?? (s.startsWith('//') ? `https:${s}` : s);
  const url = parsePublicHttpUrl(candidate);
  return url && url.protocol === 'https:' ? validUrl(url.href) : null;
}

const DENSITY = /^\d+(?:\.\d+)?x$/i;
const WIDTH = /^[1-9]\d*w$/i;

export interface Srcset {
  value: string;
  /** True when the candidates use width descriptors (then `sizes` is required). */
  widths: boolean;
  /** The first candidate's URL (an `<img>` needs a `src`). */
  first: string;
}

/**
 * Rewrites a srcset: every candidate routed, and the list made valid: one descriptor per
 * candidate, all width descriptors or none, no duplicate descriptor.
 * https://html.spec.whatwg.org/multipage/images.html#srcset-attributes
 */
export function rewriteSrcset(value: string, ctx: UrlContext): Srcset | null {
  const out: SrcsetCandidate[] = [];
  const seen = new Set<string>();
  let widths: boolean | null = null;
  for (const candidate of parseSrcset(value)) {
    const url = resolveImage(candidate.url, ctx, true);
    // A rewritten URL must stay one srcset token (no whitespace, no leading/trailing comma).
    if (url === null || /[\s]|^,|,$/.test(url)) continue;
    const descriptor = (candidate.descriptor.split(' ')[0] ?? '').toLowerCase();
    const isWidth = WIDTH.test(descriptor);
    if (descriptor !== '' && !isWidth && !DENSITY.test(descriptor)) continue;
    if (widths === null) widths = isWidth;
    else if (widths !== isWidth) continue;
    const key = descriptor === '' ? '1x' : descriptor.replace(/^(\d+)\.0*x$/, '$1x');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ url, descriptor });
  }
  const first = out[0];
  if (first === undefined) return null;
  return { value: serializeSrcset(out), widths: widths === true, first: first.url };
}
