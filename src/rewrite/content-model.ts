/**
 * HTML content models, as the walk enforces them: what each output element may contain, and
 * what a source element becomes where it stands.
 * https://html.spec.whatwg.org/multipage/dom.html#content-models
 *
 * Why enforce them: a browser re-parses our output. Markup that breaks a content model is
 * either re-parsed into a different tree (a `<div>` inside `<p>` closes the paragraph, text in a
 * `<table>` is moved before it, a `<tr>` gets a `<tbody>`) or is invalid (a `<p>` in `<pre>`).
 * When every element sits where its content model allows it, the output is a fixed point of the
 * HTML parser: parse + serialise gives the same markup (tests/worker/rewrite/fixed-point.test.ts).
 *
 * The decisions, by source element (`classify`); the walk (writer.ts) then places the result:
 * - phrasing elements (span, b, a, img…) go anywhere text may go; in a list or a table they get
 *   an implied `<li>`/cell around them;
 * - a block (p, div, h1–h6, ul, table, figure, hr…) inside phrasing content closes the open
 *   phrasing elements, is written at the nearest flow level, and the inline formatting around it
 *   is reopened (inside it and after it) the way a browser reconstructs formatting elements;
 * - structural children only where they belong: `li` in ul/ol, `dt`/`dd` in a valid `dl`, table
 *   parts in a table (`<tbody>` and `<tr>` written when the source left them implied),
 *   `figcaption` as a figure's first or last child, `summary` as a details' first child,
 *   `source` first in picture/video/audio, `rt`/`rp` in ruby. Elsewhere a list item, term or
 *   caption becomes a `div`; table parts outside a table are unwrapped (browsers ignore their
 *   tags there); a stray `source` is dropped;
 * - restrictions inherited from ancestors: nothing interactive in a link or `summary` (a nested
 *   link is unwrapped, a player or embed dropped), no headings/sectioning/header/footer in
 *   `dt`, `th` and `address`, no table in a `caption`, no media in media, no `dfn` in `dfn`;
 * - obsolete elements become their modern equivalent: `center` → `div` (centred), `font`/`big`
 *   → `span` (with the equivalent style), `strike` → `s`, `tt` → `code`; `main`, `nav` and
 *   `aside` become `div` (the page has its own main and navigation landmarks);
 * - a `<pre>` whose children are blocks (post 55) is prose, not preformatted text: it becomes
 *   `<div class="prose-pre">`, which wraps.
 */
import {
  childElements,
  countDescendants,
  hasVisibleText,
  tagOf,
  type LElement,
} from './dom';
import { KEEP } from './policy';

/** What a frame accepts as children. */
export const enum Kind {
  Flow,
  Phrasing,
  List,
  Dl,
  Table,
  Section,
  Row,
  Picture,
}

/** Restrictions on descendants (bit flags, inherited). */
export const NO_INTERACTIVE = 1;
export const NO_HEADING = 2;
export const NO_SECTIONING = 4;
export const NO_HEADER_FOOTER = 8;
export const NO_ADDRESS = 16;
export const NO_TABLE = 32;
export const NO_MEDIA = 64;
export const NO_DFN = 128;
/**
 * Inside li, td, th or a link: a figure caption is not used as its image's alt there, because
 * axe (image-redundant-alt) compares an image's alt with the whole text of its nearest such
 * ancestor, which the caption may be.
 */
export const IN_TEXT_ITEM = 256;

/** How an element is placed: as phrasing content, as a block, or as a structural child. */
export const enum Cat {
  Phrasing,
  Block,
  Child,
}

/** Output elements that are phrasing content. */
const PHRASING = new Set([
  'a', 'abbr', 'audio', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'iframe', 'img', 'ins',
  'kbd', 'mark', 'picture', 'q', 'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var',
  'video', 'wbr',
]);

/** Transparent elements: their children follow the parent's content model. */
const TRANSPARENT = new Set(['a', 'ins', 'del', 'video', 'audio']);

/** Elements whose content is phrasing only. */
const PHRASING_CONTENT = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'summary', 'rt', 'rp']);

/**
 * Inline elements a browser reconstructs after a block closed them (and we copy into the block):
 * the formatting and text-level semantics whose duplication is harmless. Not `q` (it would add
 * quotation marks), not `ruby`.
 */
export const CLONABLE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 's', 'samp',
  'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var',
]);

/** Source elements that make a `<pre>` prose when they are its children. */
const BLOCK_SOURCE = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'table', 'blockquote', 'figure', 'section',
  'article', 'header', 'footer', 'address', 'hr', 'pre', 'details', 'center', 'aside', 'nav', 'main', 'form',
  'fieldset', 'li', 'dd', 'dt', 'figcaption', 'menu',
]);

const RENAME = new Map([
  ['center', 'div'],
  ['font', 'span'],
  ['big', 'span'],
  ['strike', 's'],
  ['tt', 'code'],
  ['main', 'div'],
  ['nav', 'div'],
  ['aside', 'div'],
  ['xmp', 'pre'],
  ['listing', 'pre'],
  ['plaintext', 'pre'],
]);

/** Style equivalent of an obsolete element (`font` is handled with its attributes). */
export const RENAME_STYLE = new Map([
  ['center', 'text-align: center'],
  ['big', 'font-size: larger'],
]);

/** What the walk knows about the parent (the frame of the nearest source ancestor). */
export interface ParentInfo {
  readonly kind: Kind;
  readonly flags: number;
  /** Output tag of the element the children are written into ('' for the article root). */
  readonly contextTag: string;
  /** The parent is a table that has not received any content yet (a caption may come). */
  readonly tableFresh: boolean;
  /** The parent is a table that already has a row group (a second thead becomes tbody). */
  readonly tableHasGroup: boolean;
  /** Child elements designated by a look-ahead at the parent: its summary, figcaption, sources. */
  readonly designated: ReadonlySet<LElement> | null;
}

export interface Spec {
  /** Output tag, '' to unwrap (drop the tag, keep the children), null to drop with content. */
  tag: string | null;
  cat: Cat;
  /** Content kind of the children (transparent elements take the placement's kind). */
  kind: Kind;
  transparent: boolean;
  /** Restrictions the element adds for its descendants. */
  flags: number;
  /** `<pre>` with block children written as `<div class="prose-pre">`. */
  prose: boolean;
}

function spec(tag: string | null, cat: Cat, kind: Kind, flags = 0): Spec {
  return { tag, cat, kind, transparent: false, flags, prose: false };
}

const UNWRAP = (parent: ParentInfo): Spec => spec('', Cat.Phrasing, parent.kind);
const DROP = (): Spec => spec(null, Cat.Phrasing, Kind.Flow);

const INSIDE_TABLE = new Set([Kind.Table, Kind.Section, Kind.Row]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

// ---------------------------------------------------------------------------------------------
// Look-aheads: read the element's children once before writing it.

/** `dl` whose children are groups of `dt`+ then `dd`+ (and nothing else): kept as a `dl`. */
export function isValidDl(el: LElement): boolean {
  const { elements, text } = childElements(el);
  if (text || elements.length === 0) return false;
  let state = 0; // 0 start, 1 in a dt run, 2 in a dd run
  for (const child of elements) {
    const t = tagOf(child);
    if (t === 'dt') state = 1;
    else if (t === 'dd' && state !== 0) state = 2;
    else return false;
  }
  return state === 2;
}

/** The `summary` that a `details` keeps: its first child, with text; null makes it a `div`. */
export function detailsSummary(el: LElement): LElement | null {
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 3) {
      if (/\S/.test((c as unknown as { data: string }).data)) return null;
      continue;
    }
    if (c.nodeType !== 1) continue;
    const child = c as LElement;
    if (tagOf(child) === 'summary') return hasVisibleText(child) ? child : null;
    return null;
  }
  return null;
}

export interface FigureInfo {
  /** The `figcaption` kept as the caption: the first or else the last child. */
  caption: LElement | null;
  /** The figure has exactly one image (the caption may then serve as its alt). */
  singleImage: boolean;
}

export function figureInfo(el: LElement): FigureInfo {
  const { elements } = childElements(el);
  const first = elements[0];
  const last = elements[elements.length - 1];
  let caption: LElement | null = null;
  if (first !== undefined && tagOf(first) === 'figcaption') caption = first;
  else if (last !== undefined && tagOf(last) === 'figcaption') caption = last;
  return { caption, singleImage: countDescendants(el, 'img', 2) === 1 };
}

/** `picture` children: sources, then one `img` that will be written. Else the picture is unwrapped. */
export function isValidPicture(el: LElement, imgUsable: (img: LElement) => boolean): boolean {
  const { elements, text } = childElements(el);
  if (text) return false;
  const last = elements[elements.length - 1];
  if (last === undefined || tagOf(last) !== 'img' || !imgUsable(last)) return false;
  for (let i = 0; i < elements.length - 1; i++) if (tagOf(elements[i] as LElement) !== 'source') return false;
  return true;
}

/** The leading `source` children of a media element without `src` (the only valid place). */
export function leadingSources(el: LElement): Set<LElement> {
  const out = new Set<LElement>();
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 3) {
      if (/\S/.test((c as unknown as { data: string }).data)) break;
      continue;
    }
    if (c.nodeType !== 1) continue;
    const t = tagOf(c as LElement);
    if (t === 'source') out.add(c as LElement);
    else if (t !== 'track' && t !== 'script') break;
  }
  return out;
}

/**
 * `ruby` with at least one `rt` child and nothing but text-level content (a block inside would
 * split it, leaving a part without `rt`): else its text is kept plain.
 */
function isValidRuby(el: LElement): boolean {
  const { elements } = childElements(el);
  if (!elements.some((c) => tagOf(c) === 'rt')) return false;
  const stack: LElement[] = [...elements];
  for (let seen = 0; stack.length > 0; seen++) {
    const child = stack.pop() as LElement;
    const t = tagOf(child);
    if (seen > 200 || (t !== 'rt' && t !== 'rp' && !PHRASING.has(RENAME.get(t) ?? t))) return false;
    stack.push(...childElements(child).elements);
  }
  return true;
}

function isProsePre(el: LElement): boolean {
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1 && BLOCK_SOURCE.has(tagOf(c as LElement))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Classification

/**
 * What source element `src` (lower-case, not in REMOVE) becomes under `parent`. Headings are
 * returned as `h1`–`h6` with their source level; the walk assigns the output level.
 */
export function classify(src: string, el: LElement, parent: ParentInfo): Spec {
  const flags = parent.flags;
  const tag = RENAME.get(src) ?? src;
  if (!KEEP.has(src) && !RENAME.has(src)) return UNWRAP(parent);
  // A paragraph or div inside a heading is the heading's text (a browser shows it as heading).
  if ((tag === 'p' || tag === 'div') && HEADINGS.has(parent.contextTag)) return UNWRAP(parent);
  switch (tag) {
    case 'li':
      return parent.kind === Kind.List ? spec('li', Cat.Child, Kind.Flow, IN_TEXT_ITEM) : spec('div', Cat.Block, Kind.Flow);
    case 'dt':
      return parent.kind === Kind.Dl
        ? spec('dt', Cat.Child, Kind.Flow, NO_HEADING | NO_SECTIONING | NO_HEADER_FOOTER)
        : spec('div', Cat.Block, Kind.Flow);
    case 'dd':
      return parent.kind === Kind.Dl ? spec('dd', Cat.Child, Kind.Flow) : spec('div', Cat.Block, Kind.Flow);
    case 'caption':
      if (parent.kind === Kind.Table && parent.tableFresh) return spec('caption', Cat.Child, Kind.Flow, NO_TABLE);
      return UNWRAP(parent);
    case 'thead':
    case 'tbody':
    case 'tfoot':
      if (parent.kind !== Kind.Table) return UNWRAP(parent);
      // Only a first row group may be a thead; a tfoot is written where it stands, as a tbody.
      return spec(tag === 'thead' && !parent.tableHasGroup ? 'thead' : 'tbody', Cat.Child, Kind.Section);
    case 'tr':
      return parent.kind === Kind.Table || parent.kind === Kind.Section ? spec('tr', Cat.Child, Kind.Row) : UNWRAP(parent);
    case 'td':
    case 'th': {
      if (!INSIDE_TABLE.has(parent.kind)) return UNWRAP(parent);
      // An empty header cell is a data cell (axe empty-table-header).
      if (tag === 'th' && hasVisibleText(el)) return spec('th', Cat.Child, Kind.Flow, NO_HEADING | NO_SECTIONING | NO_HEADER_FOOTER | IN_TEXT_ITEM);
      return spec('td', Cat.Child, Kind.Flow, IN_TEXT_ITEM);
    }
    case 'colgroup':
      return UNWRAP(parent);
    case 'col':
      return DROP();
    case 'figcaption':
      return parent.designated?.has(el) === true ? spec('figcaption', Cat.Child, Kind.Flow) : spec('div', Cat.Block, Kind.Flow);
    case 'summary':
      return parent.designated?.has(el) === true ? spec('summary', Cat.Child, Kind.Phrasing, NO_INTERACTIVE) : spec('div', Cat.Block, Kind.Flow);
    case 'details':
      if ((flags & NO_INTERACTIVE) !== 0 || detailsSummary(el) === null) return spec('div', Cat.Block, Kind.Flow);
      return spec('details', Cat.Block, Kind.Flow);
    case 'source':
      return parent.designated?.has(el) === true ? spec('source', Cat.Child, Kind.Flow) : DROP();
    case 'rt':
    case 'rp':
      return parent.contextTag === 'ruby' ? spec(tag, Cat.Child, Kind.Phrasing) : UNWRAP(parent);
    case 'a':
      if ((flags & NO_INTERACTIVE) !== 0) return UNWRAP(parent);
      return { ...spec('a', Cat.Phrasing, Kind.Flow, NO_INTERACTIVE | IN_TEXT_ITEM), transparent: true };
    case 'video':
    case 'audio':
      if ((flags & (NO_INTERACTIVE | NO_MEDIA)) !== 0) return UNWRAP(parent);
      return { ...spec(tag, Cat.Phrasing, Kind.Flow, NO_MEDIA), transparent: true };
    case 'ins':
    case 'del':
      return { ...spec(tag, Cat.Phrasing, Kind.Flow), transparent: true };
    case 'picture':
      return spec('picture', Cat.Phrasing, Kind.Picture);
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      if ((flags & NO_HEADING) !== 0) return spec('p', Cat.Block, Kind.Phrasing);
      // An empty heading is not a heading (axe empty-heading): keep its content, if any.
      if (!hasVisibleText(el)) return UNWRAP(parent);
      // A summary may hold a heading (https://html.spec.whatwg.org/multipage/interactive-elements.html#the-summary-element).
      return spec(tag, parent.contextTag === 'summary' ? Cat.Child : Cat.Block, Kind.Phrasing);
    case 'header':
    case 'footer':
      if ((flags & NO_HEADER_FOOTER) !== 0) return spec('div', Cat.Block, Kind.Flow);
      return spec(tag, Cat.Block, Kind.Flow, NO_HEADER_FOOTER);
    case 'section':
    case 'article':
      return spec((flags & NO_SECTIONING) !== 0 ? 'div' : tag, Cat.Block, Kind.Flow);
    case 'address':
      if ((flags & NO_ADDRESS) !== 0) return spec('div', Cat.Block, Kind.Flow);
      return spec('address', Cat.Block, Kind.Flow, NO_HEADING | NO_SECTIONING | NO_HEADER_FOOTER | NO_ADDRESS);
    case 'table':
      return (flags & NO_TABLE) !== 0 ? UNWRAP(parent) : spec('table', Cat.Block, Kind.Table);
    case 'ul':
    case 'ol':
      return spec(tag, Cat.Block, Kind.List);
    case 'dl':
      return isValidDl(el) ? spec('dl', Cat.Block, Kind.Dl) : spec('div', Cat.Block, Kind.Flow);
    case 'pre':
      if (src === 'pre' && isProsePre(el)) return { ...spec('div', Cat.Block, Kind.Flow), prose: true };
      return spec('pre', Cat.Block, Kind.Phrasing);
    case 'dfn':
      return (flags & NO_DFN) !== 0 ? UNWRAP(parent) : spec('dfn', Cat.Phrasing, Kind.Phrasing, NO_DFN);
    case 'ruby':
      return isValidRuby(el) ? spec('ruby', Cat.Phrasing, Kind.Phrasing) : UNWRAP(parent);
    case 'iframe':
      return (flags & NO_INTERACTIVE) !== 0 ? DROP() : spec('iframe', Cat.Phrasing, Kind.Flow);
    case 'hr':
      return spec('hr', Cat.Block, Kind.Flow);
    default:
      if (PHRASING.has(tag)) return spec(tag, Cat.Phrasing, Kind.Phrasing);
      if (PHRASING_CONTENT.has(tag)) return spec(tag, Cat.Block, Kind.Phrasing);
      return spec(tag, Cat.Block, Kind.Flow);
  }
}
