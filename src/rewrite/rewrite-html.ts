/**
 * Article body rewrite: one parse, one pass, allowlist sanitising and image routing.
 *
 * How it works
 * - The body is parsed once with linkedom (`linkedom/worker`: plain `linkedom` pulls in canvas,
 *   which breaks in workerd) straight into an empty document, as a fragment. That is faster than
 *   wrapping it in `<!doctype html><html><body>…` (see docs/rewrite-shapes.md for the numbers) and
 *   more robust: with the wrapper, a stray `</body></html>` in a post ends the body and htmlparser2
 *   drops everything after it.
 * - One iterative walk over the tree (firstChild/nextSibling with an explicit stack, so deeply
 *   nested hostile input cannot overflow the call stack) writes the output string directly. We do
 *   not mutate the DOM and do not use linkedom's `innerHTML`: its serialiser leaves `&` unescaped in
 *   attribute values (`title="&amp;copy;"` would come back as `&copy;`, i.e. `©`), so our own
 *   serialiser escapes every text node (`& < >`, U+00A0 as `&nbsp;`) and every attribute value
 *   (`& " < >`, U+00A0). Only allowlisted element and attribute names are ever written, always
 *   lower-case, values always double-quoted, so the browser parses exactly the tree we checked.
 * - Comments, CDATA and processing instructions are dropped; text is text (a proxy URL in prose,
 *   `<pre>`/`<code>` or a comment is never touched).
 *
 * Images
 * - Proxy URLs (see proxy-url.ts) are unwrapped; the original goes through `imageRoute` when it
 *   is an absolute http(s) URL to a public host (`parsePublicHttpUrl`), otherwise the attribute is
 *   dropped (`javascript:`, `file:`, loopback/private/link-local targets are never routed).
 * - Images that were never proxied are routed too when `routeAllImages` (default): `http://` is
 *   mixed content and any other host learns who reads what. Root-relative `/img/…` is our own
 *   route (already rewritten) and kept as is, which makes the rewrite idempotent.
 * - Relative srcs (`/uploads/a.png`, `../a.png`, `C:\…`, `file:`) cannot be resolved: we do not
 *   know the site the post was scraped from, so they are dropped like unsafe ones.
 * - `data:image/*` stays (it loads nothing); any other `data:` src is dropped.
 * - An `<img>` left without a usable `src`/`srcset` is removed.
 */
import { DOMParser } from 'linkedom/worker';
import { IMAGE_ROUTE_PREFIX } from '../images/image-url';
import { parsePublicHttpUrl } from '../images/url-safety';
import {
  AS_PRE,
  CITE_ELEMENTS,
  ELEMENT_ATTRS,
  GLOBAL_ATTRS,
  IMAGE_PATH,
  INLINE,
  KEEP,
  LAZY_CLASSES,
  LINK_SCHEMES,
  REMOVE,
  VOID,
} from './policy';
import { cleanUrlString, unwrapProxyUrl } from './proxy-url';
import { parseSrcset, serializeSrcset, type SrcsetCandidate } from './srcset';
import { sanitizeStyle } from './style';

export interface RewriteOptions {
  /** From config, default ['https://cors.zfour.workers.dev/?']. */
  proxyPrefixes: string[];
  /** Route never-proxied images through our route too (default true). */
  routeAllImages: boolean;
  /** Lower-case hostnames whose https `<iframe>`s survive; [] drops every iframe. */
  iframeAllowlist: string[];
  /** Returns a root-relative route path for an absolute image URL, e.g. '/img/SIG/PAYLOAD'. */
  imageRoute: (absoluteUrl: string) => string;
}

export interface RewriteResult {
  html: string;
  /** Plain text of the first non-empty paragraph (or the start of the text), ≤ 200 characters. */
  excerpt: string;
  /** Number of `<img>` elements in `html`. */
  imageCount: number;
}

// ---------------------------------------------------------------------------------------------
// Minimal structural types for the linkedom nodes we read (the project has no DOM lib types).

interface LNode {
  readonly nodeType: number;
  readonly nextSibling: LNode | null;
  readonly firstChild: LNode | null;
  readonly parentNode: LNode | null;
}
interface LText extends LNode {
  readonly data: string;
}
interface LAttr {
  readonly name: string;
  readonly value: string;
}
interface LElement extends LNode {
  readonly tagName: string;
  readonly attributes: ArrayLike<LAttr>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

let parser: DOMParser | null = null;

// ---------------------------------------------------------------------------------------------
// Escaping

const TEXT_SPECIAL = /[&<>\u00a0]/;
const TEXT_SPECIAL_G = /[&<>\u00a0]/g;
const ATTR_SPECIAL = /[&"<>\u00a0]/;
const ATTR_SPECIAL_G = /[&"<>\u00a0]/g;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\u00a0': '&nbsp;',
};
const toEntity = (ch: string): string => ENTITY[ch] ?? ch;

function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIAL_G, toEntity) : text;
}

function escapeAttr(value: string): string {
  return ATTR_SPECIAL.test(value) ? value.replace(ATTR_SPECIAL_G, toEntity) : value;
}

// ---------------------------------------------------------------------------------------------
// URL policy

/**
 * Script-capable schemes, checked on every attribute value after removing what a browser ignores
 * or what could hide the scheme from a naive check: ASCII whitespace, C0/C1 controls and Unicode
 * spaces/format characters (`jav&#x09;ascript:` arrives here as `jav\tascript:`).
 */
const IGNORABLE = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
const SCRIPT_SCHEME = /^(?:javascript|vbscript|livescript|mocha):/i;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function hasScriptScheme(value: string): boolean {
  return SCRIPT_SCHEME.test(value.replace(IGNORABLE, ''));
}

function schemeOf(url: string): string | null {
  const m = SCHEME.exec(url.replace(IGNORABLE, ''));
  return m?.[1] ? m[1].toLowerCase() : null;
}

interface Context {
  readonly options: RewriteOptions;
  readonly prefixes: string[];
}

function makeContext(options: RewriteOptions): Context {
  return { options, prefixes: options.proxyPrefixes ?? [] };
}

function isOurRoute(s: string): boolean {
  return s.startsWith(IMAGE_ROUTE_PREFIX);
}

/** Route a proxied target: only absolute http(s) to a public host, else null (dropped). */
function routeTarget(target: string, ctx: Context): string | null {
  const url = parsePublicHttpUrl(target);
  return url ? ctx.options.imageRoute(url.href) : null;
}

/**
 * The URL an image attribute (`src`, `srcset` candidate, `poster`, CSS `url()`, front matter)
 * should have in the output, or null when it must be dropped.
 */
function resolveImage(raw: string, ctx: Context, allowData: boolean): string | null {
  const s = cleanUrlString(raw);
  if (s === '') return null;
  if (isOurRoute(s)) return s;
  if (/^data:/i.test(s)) return allowData && /^data:image\//i.test(s) ? s : null;
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
  return ctx.options.routeAllImages ? ctx.options.imageRoute(url.href) : url.href;
}

/** `<a href>`: proxied → routed (the proxy only ever carried images); links stay links. */
function resolveLink(raw: string, ctx: Context): string | null {
  const s = cleanUrlString(raw);
  if (s === '' || isOurRoute(s)) return s;
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
  if (absolute !== null && ctx.options.routeAllImages) {
    // A link to an image is an image view: route it like the images themselves.
    const url = parsePublicHttpUrl(absolute);
    if (url) {
      const late = unwrapProxyUrl(url.href, ctx.prefixes);
      if (late !== null) return routeTarget(late, ctx);
      if (IMAGE_PATH.test(url.pathname)) return ctx.options.imageRoute(url.href);
    }
  }
  return s; // web page, mailto:, tel:, relative or fragment link: unchanged
}

/** `cite` and other linked-only URLs: unwrap proxies, allow http(s) and relative only. */
function resolvePlainUrl(raw: string, ctx: Context): string | null {
  const s = cleanUrlString(raw);
  const target = unwrapProxyUrl(s, ctx.prefixes);
  if (target !== null) return parsePublicHttpUrl(target)?.href ?? null;
  const scheme = schemeOf(s);
  return scheme === null || scheme === 'http' || scheme === 'https' ? s : null;
}

/**
 * `<video>`/`<audio>`/`<source>` media `src`: our route serves images only, so media is never
 * routed. A proxy URL is unwrapped to its original; the result is kept only when it is https to a
 * public host (http would be mixed content). `preload="none"` on the player means nothing is
 * fetched from the media host until the reader presses play.
 */
function resolveMedia(raw: string, ctx: Context): string | null {
  const s = cleanUrlString(raw);
  if (s === '') return null;
  const target = unwrapProxyUrl(s, ctx.prefixes);
  const candidate = target ?? (s.startsWith('//') ? `https:${s}` : s);
  const url = parsePublicHttpUrl(candidate);
  return url && url.protocol === 'https:' ? url.href : null;
}

const DESCRIPTOR = /^\d+(?:\.\d+)?[wxh]$/i;

function rewriteSrcset(value: string, ctx: Context): string | null {
  const out: SrcsetCandidate[] = [];
  for (const candidate of parseSrcset(value)) {
    const url = resolveImage(candidate.url, ctx, true);
    // A rewritten URL must stay one srcset token (no whitespace, no trailing comma).
    if (url === null || /[\s]|,$/.test(url)) continue;
    const descriptor = candidate.descriptor
      .split(' ')
      .filter((d) => DESCRIPTOR.test(d))
      .join(' ');
    out.push({ url, descriptor });
  }
  return out.length > 0 ? serializeSrcset(out) : null;
}

function positiveInt(value: string | undefined): string | null {
  if (value === undefined) return null;
  const m = /^[\t\n\f\r ]*0*([1-9]\d{0,5})[\t\n\f\r ]*$/.exec(value);
  return m?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Elements

type Attrs = Map<string, string>;

/** Attributes by lower-case name; the first of duplicates wins, as in browsers. */
function readAttrs(el: LElement): Attrs {
  const map: Attrs = new Map();
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const attr = list[i] as LAttr;
    const name = attr.name.toLowerCase();
    if (!map.has(name)) map.set(name, attr.value);
  }
  return map;
}

/** Appends ` name="value"` unless the value carries a script URL (belt and braces). */
function attr(parts: string[], name: string, value: string): void {
  if (hasScriptScheme(value)) return;
  parts.push(` ${name}="${escapeAttr(value)}"`);
}

/** A global (or element-listed) plain attribute: style is sanitised, proxied text unwrapped. */
function plainAttr(parts: string[], name: string, value: string, ctx: Context): void {
  if (name === 'style') {
    const style = sanitizeStyle(value, (u) => resolveImage(u, ctx, true));
    if (style !== null) attr(parts, name, style);
    return;
  }
  if (name === 'title' || name === 'alt') {
    // A bare proxy URL as a tooltip/alt text: show the original instead.
    const target = unwrapProxyUrl(value, ctx.prefixes);
    if (target !== null) {
      if (target !== '') attr(parts, name, target);
      return;
    }
  }
  attr(parts, name, value);
}

/** Emits allowed attributes in source order, skipping `skip` (handled by the caller). */
function genericAttrs(tag: string, attrs: Attrs, ctx: Context, parts: string[], skip?: ReadonlySet<string>): void {
  const extra = ELEMENT_ATTRS[tag];
  for (const [name, value] of attrs) {
    if (skip?.has(name)) continue;
    if (GLOBAL_ATTRS.has(name) || extra?.has(name)) {
      plainAttr(parts, name, value, ctx);
    } else if (name === 'cite' && CITE_ELEMENTS.has(tag)) {
      const url = resolvePlainUrl(value, ctx);
      if (url !== null) attr(parts, name, url);
    }
  }
}

const IMG_LAZY_SOURCES = ['data-original', 'data-src', 'data-lazy-src', 'data-actualsrc'];

/**
 * `<img>`: the lazy-load markup of the source sites becomes a plain image. Attributes are written
 * in a fixed order (so a second rewrite gives the same bytes): src, srcset, sizes, alt, title, id,
 * class, style, align, lang, dir, width, height, loading, decoding, referrerpolicy.
 */
function renderImg(attrs: Attrs, ctx: Context): string | null {
  const rawSrc = attrs.get('src');
  const fromSrc = rawSrc === undefined ? null : resolveImage(rawSrc, ctx, true);
  let src: string | null = fromSrc !== null && !fromSrc.startsWith('data:') ? fromSrc : null;
  if (src === null) {
    // src missing, unusable or a data: placeholder: the lazy loader's real source wins.
    for (const name of IMG_LAZY_SOURCES) {
      const value = attrs.get(name);
      if (value === undefined) continue;
      src = resolveImage(value, ctx, false);
      if (src !== null) break;
    }
    src ??= fromSrc; // a data:image/* that is the only source
  }
  const rawSrcset = attrs.get('srcset') ?? attrs.get('data-srcset');
  const srcset = rawSrcset === undefined ? null : rewriteSrcset(rawSrcset, ctx);
  if (src === null && srcset === null) return null;

  const parts = ['<img'];
  if (src !== null) attr(parts, 'src', src);
  if (srcset !== null) {
    attr(parts, 'srcset', srcset);
    const sizes = attrs.get('sizes');
    if (sizes !== undefined) attr(parts, 'sizes', sizes);
  }
  for (const name of ['alt', 'title', 'id'] as const) {
    const value = attrs.get(name);
    if (value !== undefined) plainAttr(parts, name, value, ctx);
  }
  const cls = attrs.get('class');
  if (cls !== undefined) {
    const kept = cls.split(/[\t\n\f\r ]+/).filter((c) => c !== '' && !LAZY_CLASSES.has(c));
    if (kept.length > 0) attr(parts, 'class', kept.join(' '));
  }
  for (const name of ['style', 'align', 'lang', 'dir'] as const) {
    const value = attrs.get(name);
    if (value !== undefined) plainAttr(parts, name, value, ctx);
  }
  // Intrinsic size only when both are positive integers (percentages etc. are dropped).
  let width = positiveInt(attrs.get('width'));
  let height = positiveInt(attrs.get('height'));
  if (width === null || height === null) {
    width = positiveInt(attrs.get('data-width'));
    height = positiveInt(attrs.get('data-height'));
  }
  if (width !== null && height !== null) parts.push(` width="${width}" height="${height}"`);
  parts.push(' loading="lazy" decoding="async" referrerpolicy="no-referrer">');
  return parts.join('');
}

const A_HANDLED = new Set(['href', 'target', 'rel']);

function renderA(attrs: Attrs, ctx: Context): string {
  const parts = ['<a'];
  const rawHref = attrs.get('href');
  if (rawHref !== undefined) {
    const href = resolveLink(rawHref, ctx);
    if (href !== null) attr(parts, 'href', href);
  }
  const target = attrs.get('target');
  const hasTarget = target !== undefined && !hasScriptScheme(target);
  if (hasTarget) attr(parts, 'target', target);
  genericAttrs('a', attrs, ctx, parts, A_HANDLED);
  const rel = (attrs.get('rel') ?? '')
    .toLowerCase()
    .split(/[\t\n\f\r ]+/)
    .filter((t) => /^[a-z-]+$/.test(t) && t !== 'opener');
  // A link that may open a new browsing context must not hand it `window.opener` or a referrer.
  if (hasTarget) rel.push('noopener', 'noreferrer');
  const tokens = [...new Set(rel)];
  if (tokens.length > 0) attr(parts, 'rel', tokens.join(' '));
  parts.push('>');
  return parts.join('');
}

const MEDIA_HANDLED = new Set(['src', 'poster', 'controls', 'preload']);

function renderMedia(tag: 'video' | 'audio', attrs: Attrs, ctx: Context): string {
  const parts = [`<${tag}`];
  genericAttrs(tag, attrs, ctx, parts, MEDIA_HANDLED);
  const rawSrc = attrs.get('src');
  const src = rawSrc === undefined ? null : resolveMedia(rawSrc, ctx);
  if (src !== null) attr(parts, 'src', src);
  const rawPoster = tag === 'video' ? attrs.get('poster') : undefined;
  const poster = rawPoster === undefined ? null : resolveImage(rawPoster, ctx, true);
  if (poster !== null) attr(parts, 'poster', poster);
  // Autoplay is not allowed, so without controls the player would be inert.
  parts.push(' controls="" preload="none">');
  return parts.join('');
}

const SOURCE_HANDLED = new Set(['src', 'srcset']);

/** `<source>`: image candidates inside `<picture>`, media inside `<video>`/`<audio>`, else dropped. */
function renderSource(attrs: Attrs, parentTag: string, ctx: Context): string | null {
  const parts = ['<source'];
  if (parentTag === 'picture') {
    const raw = attrs.get('srcset');
    const srcset = raw === undefined ? null : rewriteSrcset(raw, ctx);
    if (srcset === null) return null;
    attr(parts, 'srcset', srcset);
  } else if (parentTag === 'video' || parentTag === 'audio') {
    const raw = attrs.get('src');
    const src = raw === undefined ? null : resolveMedia(raw, ctx);
    if (src === null) return null;
    attr(parts, 'src', src);
  } else {
    return null;
  }
  genericAttrs('source', attrs, ctx, parts, SOURCE_HANDLED);
  parts.push('>');
  return parts.join('');
}

/**
 * `<iframe>` only from an allowlisted host over https; its content (fallback markup that browsers
 * never show) is dropped. A fixed sandbox limits what the embed may do to the page.
 */
function renderIframe(attrs: Attrs, ctx: Context): string | null {
  const allow = ctx.options.iframeAllowlist;
  if (!allow || allow.length === 0) return null;
  const raw = attrs.get('src');
  if (raw === undefined) return null;
  const s = cleanUrlString(raw);
  const candidate = unwrapProxyUrl(s, ctx.prefixes) ?? (s.startsWith('//') ? `https:${s}` : s);
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  if (!allow.includes(url.hostname.toLowerCase())) return null;
  const parts = ['<iframe'];
  attr(parts, 'src', url.href);
  for (const name of ['width', 'height'] as const) {
    const value = attrs.get(name)?.trim();
    if (value !== undefined && /^\d{1,5}%?$/.test(value)) attr(parts, name, value);
  }
  const title = attrs.get('title');
  if (title !== undefined) attr(parts, 'title', title);
  if (attrs.has('allowfullscreen')) parts.push(' allowfullscreen=""');
  parts.push(
    ' loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"' +
      ' referrerpolicy="strict-origin-when-cross-origin"></iframe>',
  );
  return parts.join('');
}

function renderGeneric(tag: string, attrs: Attrs, ctx: Context): string {
  const parts = [`<${tag}`];
  genericAttrs(tag, attrs, ctx, parts);
  parts.push('>');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Excerpt

const EXCERPT_MAX = 200;
/** Collapsed characters collected per buffer: enough to fill the excerpt. */
const COLLECT_MAX = EXCERPT_MAX + 50;

function appendCollapsed(buffer: string, text: string): string {
  if (buffer.length >= COLLECT_MAX) return buffer;
  // Only the start of a long text node can reach the excerpt: do not collapse all of it.
  let piece = (text.length > 4 * COLLECT_MAX ? text.slice(0, 4 * COLLECT_MAX) : text).replace(/\s+/g, ' ');
  if (piece.startsWith(' ') && (buffer === '' || buffer.endsWith(' '))) piece = piece.slice(1);
  return buffer + piece;
}

function truncateExcerpt(text: string): string {
  const trimmed = text.trim();
  const chars = Array.from(trimmed);
  if (chars.length <= EXCERPT_MAX) return trimmed;
  return `${chars.slice(0, EXCERPT_MAX - 1).join('').trimEnd()}…`;
}

class ExcerptCollector {
  private all = '';
  private paragraph = '';
  private pDepth = 0;
  private found: string | null = null;

  text(data: string): void {
    this.all = appendCollapsed(this.all, data);
    if (this.pDepth > 0 && this.found === null) this.paragraph = appendCollapsed(this.paragraph, data);
  }

  /** Block boundaries and `<br>` separate words. */
  boundary(): void {
    this.text(' ');
  }

  enterParagraph(): void {
    if (this.pDepth++ === 0) this.paragraph = '';
  }

  leaveParagraph(): void {
    if (--this.pDepth === 0 && this.found === null && this.paragraph.trim() !== '') this.found = this.paragraph;
  }

  result(): string {
    return truncateExcerpt(this.found ?? this.all);
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

interface Frame {
  close: string;
  next: LNode | null;
  block: boolean;
  paragraph: boolean;
}

function walk(first: LNode | null, ctx: Context): RewriteResult {
  const out: string[] = [];
  const excerpt = new ExcerptCollector();
  const stack: Frame[] = [];
  let imageCount = 0;
  let node = first;

  for (;;) {
    if (node === null) {
      const frame = stack.pop();
      if (frame === undefined) break;
      if (frame.close) out.push(frame.close);
      if (frame.paragraph) excerpt.leaveParagraph();
      if (frame.block) excerpt.boundary();
      node = frame.next;
      continue;
    }
    const type = node.nodeType;
    if (type === TEXT_NODE) {
      const data = (node as LText).data;
      out.push(escapeText(data));
      excerpt.text(data);
      node = node.nextSibling;
      continue;
    }
    if (type !== ELEMENT_NODE) {
      node = node.nextSibling; // comments, CDATA, processing instructions
      continue;
    }

    const el = node as LElement;
    const tag = el.tagName.toLowerCase();
    const next = el.nextSibling;

    if (tag === 'iframe') {
      const html = renderIframe(readAttrs(el), ctx);
      if (html !== null) out.push(html);
      node = next;
      continue;
    }
    if (REMOVE.has(tag)) {
      node = next;
      continue;
    }
    if (!KEEP.has(tag)) {
      // Unknown element: drop the tag, keep (and sanitise) what is inside.
      const pre = AS_PRE.has(tag);
      if (pre) out.push('<pre>');
      stack.push({ close: pre ? '</pre>' : '', next, block: pre, paragraph: false });
      node = el.firstChild;
      continue;
    }

    let open: string | null;
    switch (tag) {
      case 'img':
        open = renderImg(readAttrs(el), ctx);
        if (open !== null) imageCount++;
        break;
      case 'a':
        open = renderA(readAttrs(el), ctx);
        break;
      case 'video':
      case 'audio':
        open = renderMedia(tag, readAttrs(el), ctx);
        break;
      case 'source': {
        const parent = node.parentNode as LElement | null;
        const parentTag = parent?.nodeType === ELEMENT_NODE ? parent.tagName.toLowerCase() : '';
        open = renderSource(readAttrs(el), parentTag, ctx);
        break;
      }
      default:
        open = el.firstChild === null && !hasAttributes(el) ? `<${tag}>` : renderGeneric(tag, readAttrs(el), ctx);
    }
    if (open === null) {
      node = next;
      continue;
    }
    out.push(open);
    const block = !INLINE.has(tag);
    if (VOID.has(tag)) {
      if (block || tag === 'br') excerpt.boundary();
      node = next;
      continue;
    }
    const paragraph = tag === 'p';
    if (block) excerpt.boundary();
    if (paragraph) excerpt.enterParagraph();
    stack.push({ close: `</${tag}>`, next, block, paragraph });
    node = el.firstChild;
  }

  return { html: out.join(''), excerpt: excerpt.result(), imageCount };
}

function hasAttributes(el: LElement): boolean {
  return el.attributes.length > 0;
}

/** Always parses (no fast path). Exported so tests can check the fast path gives the same result. */
export function rewriteBodyParsed(html: string, options: RewriteOptions): RewriteResult {
  parser ??= new DOMParser();
  // Parsed as a fragment: the top-level nodes of the post are the document's children.
  const doc = parser.parseFromString(html, 'text/html') as unknown as LNode;
  return walk(doc.firstChild, makeContext(options));
}

/**
 * Rewrites an article body: sanitised HTML with every image on our route, plus the excerpt and
 * the image count. Pure and synchronous; `rewriteBody(rewriteBody(x).html).html === rewriteBody(x).html`.
 */
export function rewriteBody(html: string, options: RewriteOptions): RewriteResult {
  if (!html.includes('<') && !html.includes('&')) {
    // Fast path: plain text without markup or entities parses to one text node; same output.
    const excerpt = new ExcerptCollector();
    excerpt.text(html);
    return { html: escapeText(html), excerpt: excerpt.result(), imageCount: 0 };
  }
  return rewriteBodyParsed(html, options);
}

export function rewriteHtml(html: string, options: RewriteOptions): string {
  return rewriteBody(html, options).html;
}

/**
 * Front matter `headimg`/`thumbnail`: unwrap and route like a body image. Returns null when the
 * value is missing or unusable (relative, `data:`, unsafe scheme, private host): show no image.
 * With `routeAllImages` false an unproxied image comes back as its absolute original URL.
 */
export function rewriteImageUrl(raw: string | null | undefined, options: RewriteOptions): string | null {
  if (raw === null || raw === undefined) return null;
  return resolveImage(raw, makeContext(options), false);
}
