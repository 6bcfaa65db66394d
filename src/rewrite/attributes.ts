/**
 * Attributes of kept elements: the allowlist, each value checked against what the HTML standard
 * accepts for it, and obsolete presentational attributes turned into the equivalent CSS.
 *
 * - Global: `id` (no whitespace, unique in the body: the first one wins), `class`, `title`,
 *   `lang` (lang-tag.ts), `dir` (`ltr|rtl|auto`), `style` (style.ts).
 * - Per element: ol `start`/`reversed`/`type`, li `value` (in an ol), th `scope`/`abbr`,
 *   `cite` on blockquote/q/del/ins (a valid URL), `datetime` on del/ins (a valid date),
 *   details `open`. Boolean attributes are written `name=""`.
 * - Obsolete presentational attributes become CSS in front of the element's own style (which
 *   wins): `align` (text-align, or float/vertical-align on images, centring on tables),
 *   `valign`, `width`/`height` on table parts, `bgcolor`, `font color/face/size`, `type` on
 *   ul/li. The result goes through the same style allowlist.
 * - Anything else (event handlers, `data-*`, `aria-*`, `role`, `tabindex`, `contenteditable`,
 *   `headers`…) is dropped. A value carrying a script URL is never written.
 */
import { escapeAttr } from './escape';
import { langAttribute } from './lang-tag';
import { unwrapProxyUrl } from './proxy-url';
import { sanitizeStyle } from './style';
import { hasScriptScheme, resolvePlainUrl, resolveStyleImage, type UrlContext } from './url-policy';

export interface AttrEnv {
  readonly urls: UrlContext;
  /** Ids already written in this body. */
  readonly ids: Set<string>;
}

export type Attrs = Map<string, string>;

/** Appends ` name="value"` unless the value carries a script URL (belt and braces). */
export function attr(parts: string[], name: string, value: string): void {
  if (hasScriptScheme(value)) return;
  parts.push(` ${name}="${escapeAttr(value)}"`);
}

const ID = /^[^\t\n\f\r ]+$/;

/** The id to write, registered as used, or null (invalid or taken). */
export function claimId(value: string | undefined, env: AttrEnv): string | null {
  if (value === undefined || !ID.test(value) || env.ids.has(value) || hasScriptScheme(value)) return null;
  env.ids.add(value);
  return value;
}

/** `title`: a bare proxy URL as a tooltip shows the original instead. */
export function titleValue(value: string, env: AttrEnv): string | null {
  const target = unwrapProxyUrl(value, env.urls.prefixes);
  if (target === null) return value;
  return target === '' ? null : target;
}

const DIR = new Set(['ltr', 'rtl', 'auto']);

export function dirValue(value: string): string | null {
  const v = value.trim().toLowerCase();
  return DIR.has(v) ? v : null;
}

// ---------------------------------------------------------------------------------------------
// Presentational hints

const TEXT_ALIGN = new Set(['left', 'right', 'center', 'justify']);
const VERTICAL = new Map([
  ['top', 'top'],
  ['middle', 'middle'],
  ['center', 'middle'],
  ['bottom', 'bottom'],
  ['baseline', 'baseline'],
  ['texttop', 'text-top'],
  ['absmiddle', 'middle'],
  ['absbottom', 'bottom'],
]);
/** `<font size>` 1–7 (legacy x-small…xxx-large); 1 and 2 both `small`: no text under 12px. */
const FONT_SIZES = ['small', 'small', 'small', 'medium', 'large', 'x-large', 'xx-large', 'xx-large'];
const LIST_TYPES = new Map([
  ['disc', 'disc'],
  ['circle', 'circle'],
  ['square', 'square'],
  ['1', 'decimal'],
  ['a', 'lower-alpha'],
  ['A', 'upper-alpha'],
  ['i', 'lower-roman'],
  ['I', 'upper-roman'],
]);
const SIZED = new Set(['table', 'td', 'th', 'hr', 'col']);
const VALIGNED = new Set(['td', 'th', 'tr', 'thead', 'tbody', 'tfoot']);

function dimension(value: string | undefined): string | null {
  const m = /^\s*(\d{1,5})(%?)\s*$/.exec(value ?? '');
  if (!m?.[1]) return null;
  return m[2] ? `${m[1]}%` : `${m[1]}px`;
}

/** CSS equivalent of the obsolete presentational attributes of `src` (the source tag). */
export function presentationalStyle(src: string, attrs: Attrs): string {
  const css: string[] = [];
  const align = attrs.get('align')?.trim().toLowerCase();
  if (align) {
    if (src === 'img') {
      if (align === 'left' || align === 'right') css.push(`float: ${align}`);
      else if (VERTICAL.has(align)) css.push(`vertical-align: ${VERTICAL.get(align)}`);
    } else if (src === 'table') {
      if (align === 'left' || align === 'right') css.push(`float: ${align}`);
      else if (align === 'center') css.push('margin-left: auto', 'margin-right: auto');
    } else if (TEXT_ALIGN.has(align)) {
      css.push(`text-align: ${align}`);
    }
  }
  const valign = attrs.get('valign')?.trim().toLowerCase();
  if (valign && VALIGNED.has(src) && VERTICAL.has(valign)) css.push(`vertical-align: ${VERTICAL.get(valign)}`);
  if (SIZED.has(src)) {
    const width = dimension(attrs.get('width'));
    if (width) css.push(`width: ${width}`);
    const height = src === 'td' || src === 'th' ? dimension(attrs.get('height')) : null;
    if (height) css.push(`height: ${height}`);
  }
  const bgcolor = attrs.get('bgcolor')?.trim();
  if (bgcolor && /^#?[0-9a-z]+$/i.test(bgcolor)) css.push(`background-color: ${/^[0-9a-f]{6}$/i.test(bgcolor) ? `#${bgcolor}` : bgcolor}`);
  if (src === 'font') {
    const color = attrs.get('color')?.trim();
    if (color && /^#?[0-9a-z]+$/i.test(color)) css.push(`color: ${/^[0-9a-f]{6}$/i.test(color) ? `#${color}` : color}`);
    const face = attrs.get('face')?.trim();
    if (face) css.push(`font-family: ${face}`);
    const size = /^\s*([+-]?)([1-7])\s*$/.exec(attrs.get('size') ?? '');
    if (size?.[2]) {
      const n = size[1] === '+' ? 3 + Number(size[2]) : size[1] === '-' ? 3 - Number(size[2]) : Number(size[2]);
      css.push(`font-size: ${FONT_SIZES[Math.min(7, Math.max(1, n))]}`);
    }
  }
  if (src === 'ul' || src === 'li') {
    const type = attrs.get('type')?.trim();
    const mapped = type === undefined ? undefined : (LIST_TYPES.get(type) ?? LIST_TYPES.get(type.toLowerCase()));
    if (mapped && (src === 'li' || /^(disc|circle|square)$/.test(mapped))) css.push(`list-style-type: ${mapped}`);
  }
  return css.join('; ');
}

/** The filtered style for an element: presentational hints first, its own style winning. */
export function styleValue(outTag: string, hints: string, own: string | undefined, env: AttrEnv): string | null {
  const css = hints && own !== undefined ? `${hints}; ${own}` : hints || own;
  if (!css) return null;
  return sanitizeStyle(css, (u) => resolveStyleImage(u, env.urls), outTag);
}

// ---------------------------------------------------------------------------------------------
// Element attributes

/** A valid date or global date-time (the subset validators accept for `datetime`). */
const DATETIME =
  /^\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?$/;

export const isDatetime = (value: string | undefined): boolean => value !== undefined && DATETIME.test(value.trim());

const CITE_ELEMENTS = new Set(['blockquote', 'q', 'del', 'ins']);
const SCOPES = new Set(['row', 'col', 'rowgroup', 'colgroup']);

/** Element-specific attribute: writes it (validated) and returns true when `name` belongs to `tag`. */
function elementAttr(tag: string, name: string, value: string, parts: string[], parentTag: string, env: AttrEnv): void {
  switch (name) {
    case 'start':
      if (tag === 'ol' && /^\s*-?\d{1,9}\s*$/.test(value)) attr(parts, name, value.trim());
      return;
    case 'reversed':
      if (tag === 'ol') parts.push(' reversed=""');
      return;
    case 'type':
      if (tag === 'ol' && /^[1aAiI]$/.test(value.trim())) attr(parts, name, value.trim());
      return;
    case 'value':
      if (tag === 'li' && parentTag === 'ol' && /^\s*-?\d{1,9}\s*$/.test(value)) attr(parts, name, value.trim());
      return;
    case 'scope':
      if (tag === 'th' && SCOPES.has(value.trim().toLowerCase())) attr(parts, name, value.trim().toLowerCase());
      return;
    case 'abbr':
      if (tag === 'th') attr(parts, name, value);
      return;
    case 'cite':
      if (CITE_ELEMENTS.has(tag)) {
        const url = resolvePlainUrl(value, env.urls);
        if (url !== null) attr(parts, name, url);
      }
      return;
    case 'datetime':
      if ((tag === 'del' || tag === 'ins' || tag === 'time') && isDatetime(value)) attr(parts, name, value.trim());
      return;
    case 'open':
      if (tag === 'details') parts.push(' open=""');
      return;
  }
}

export interface GenericOptions {
  /** Output tag of the element's parent (for `li value`). */
  parentTag: string;
  /** Class written before the source's classes (`prose-pre`). */
  extraClass?: string;
  /** CSS written before the presentational hints (`center`, `big`). */
  extraStyle?: string;
  /** Names handled by the caller. */
  skip?: ReadonlySet<string>;
}

export interface RenderedAttrs {
  /** ` id="…"` or ''. */
  id: string;
  /** Every other attribute, in source order (the style where the source had it, else last). */
  rest: string;
}

const NONE: RenderedAttrs = { id: '', rest: '' };

/** Attributes of a kept element (the `id` apart: clones and reopened copies leave it out). */
export function renderAttributes(tag: string, src: string, attrs: Attrs, env: AttrEnv, opts: GenericOptions): RenderedAttrs {
  if (attrs.size === 0 && opts.extraClass === undefined && opts.extraStyle === undefined) return NONE;
  const parts: string[] = [];
  let id = '';
  const hints = [opts.extraStyle, presentationalStyle(src, attrs)].filter(Boolean).join('; ');
  let styled = false;
  let classed = false;
  for (const [name, value] of attrs) {
    if (opts.skip?.has(name)) continue;
    switch (name) {
      case 'id': {
        const claimed = claimId(value, env);
        if (claimed !== null) id = ` id="${escapeAttr(claimed)}"`;
        break;
      }
      case 'class': {
        const cls = opts.extraClass ? `${opts.extraClass} ${value}`.trim() : value;
        if (cls !== '') attr(parts, 'class', cls);
        classed = true;
        break;
      }
      case 'title': {
        const title = titleValue(value, env);
        if (title !== null) attr(parts, name, title);
        break;
      }
      case 'lang': {
        const lang = langAttribute(tag, attrs.get('class'), value);
        if (lang !== null) attr(parts, name, lang);
        break;
      }
      case 'dir': {
        const dir = dirValue(value);
        if (dir !== null) attr(parts, name, dir);
        break;
      }
      case 'style': {
        const style = styleValue(tag, hints, value, env);
        if (style !== null) attr(parts, name, style);
        styled = true;
        break;
      }
      default:
        elementAttr(tag, name, value, parts, opts.parentTag, env);
    }
  }
  if (!classed && opts.extraClass) attr(parts, 'class', opts.extraClass);
  if (!styled && hints) {
    const style = styleValue(tag, hints, undefined, env);
    if (style !== null) attr(parts, 'style', style);
  }
  return { id, rest: parts.join('') };
}
