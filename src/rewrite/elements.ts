/**
 * One source element: classify it (content-model.ts), render its start tag (attributes.ts and
 * the render-*.ts files), place it (writer.ts) and push its frame. Returns the next node to
 * visit: its first child, or its next sibling when nothing of it is descended into.
 */
import { captionAlt } from './alt-text';
import { dirValue, isDatetime, renderAttributes } from './attributes';
import {
  CLONABLE,
  Cat,
  IN_TEXT_ITEM,
  Kind,
  NO_INTERACTIVE,
  RENAME_STYLE,
  classify,
  detailsSummary,
  figureInfo,
  isValidPicture,
  leadingSources,
  type Spec,
} from './content-model';
import { childElements, readAttrs, tagOf, visibleText, type Attrs, type LElement, type LNode } from './dom';
import { Frame } from './frame';
import type { Context } from './options';
import { INLINE, KEEP, REMOVE } from './policy';
import { imgSources, renderImg } from './render-img';
import { renderLink } from './render-link';
import { mediaSrc, renderIframe, renderMedia, renderSource } from './render-media';
import { TableModel, cellTag, spanValue, type CellRecord } from './table-model';
import { newLink, type Writer } from './writer';

const SPANS = new Set(['colspan', 'rowspan']);
/** Embedded content, never inside an output `<code>` (see Writer.leaveCode). */
const EMBEDDED = new Set(['picture', 'video', 'audio']);
/** Boxes that scroll sideways (site CSS) must be reachable by keyboard (axe scrollable-region-focusable). */
const FOCUSABLE_SCROLLERS = new Set(['pre', 'table']);

export function visitElement(el: LElement, w: Writer, ctx: Context): LNode | null {
  const src = tagOf(el);
  const next = el.nextSibling;
  if (src === 'iframe') {
    iframe(el, w, ctx);
    return next;
  }
  if (REMOVE.has(src)) return next;
  const parent = w.domParent();
  const spec = classify(src, el, parent);
  if (spec.tag === null) return next;
  if (spec.tag === '' || (spec.tag === 'picture' && !isValidPicture(el, (img) => imgSources(readAttrs(img), ctx.urls) !== null))) {
    return unwrap(el, src, parent, w);
  }
  const attrs = readAttrs(el);
  switch (spec.tag) {
    case 'img': {
      const sources = imgSources(attrs, ctx.urls);
      if (sources === null) return next;
      w.place(spec.cat, 'img');
      w.leaveCode();
      const img = renderImg(attrs, ctx, sources, parent.figureAlt);
      w.image(img.html, img.emptyAlt);
      return next;
    }
    case 'br':
    case 'wbr':
      if (w.inContainer()) return next;
      w.place(Cat.Phrasing, spec.tag);
      w.void(`<${spec.tag}>`);
      if (spec.tag === 'br') w.excerpt.boundary();
      return next;
    case 'hr': {
      w.place(Cat.Block, 'hr');
      const { id, rest } = renderAttributes('hr', src, attrs, ctx, { parentTag: w.top.contextTag });
      w.void(`<hr${id}${rest}>`);
      w.excerpt.boundary();
      return next;
    }
    case 'source': {
      const html = renderSource(attrs, parent.contextTag, ctx);
      if (html === null) return next;
      w.place(Cat.Child, 'source');
      w.void(html);
      return next;
    }
  }
  return container(el, src, spec, attrs, parent, w, ctx);
}

function container(el: LElement, src: string, spec: Spec, attrs: Attrs, parent: Frame, w: Writer, ctx: Context): LNode | null {
  let tag = spec.tag as string;
  if (tag === 'time' && !isDatetime(attrs.get('datetime'))) tag = 'span';
  if (tag === 'bdo' && !/^(?:ltr|rtl)$/.test(dirValue(attrs.get('dir') ?? '') ?? '')) tag = 'span';
  const placed = w.place(spec.cat, tag);
  if (EMBEDDED.has(tag)) w.leaveCode();
  const f = new Frame();
  f.kind = spec.transparent ? (placed === Kind.Phrasing ? Kind.Phrasing : Kind.Flow) : spec.kind;
  f.flags = parent.flags | spec.flags;
  f.contextTag = tag;
  f.tag = tag;
  f.close = `</${tag}>`;
  f.next = el.nextSibling;
  f.clonable = f.kind === Kind.Phrasing && CLONABLE.has(tag);
  f.blockLevel = spec.cat !== Cat.Phrasing && tag !== 'rt' && tag !== 'rp';
  f.table = parent.table;
  f.figureAlt = parent.figureAlt;
  f.paragraph = src === 'p';
  f.block = !INLINE.has(src);
  const parentTag = w.top.contextTag;
  let cell: CellRecord | null = null;

  switch (tag) {
    case 'a': {
      const link = renderLink(attrs, ctx, parentTag);
      f.open = link.open;
      f.reopen = link.reopen;
      f.link = newLink(link.hasHref, link.noHref, link.noHrefCopy, link.titled);
      break;
    }
    case 'video':
    case 'audio': {
      const media = mediaSrc(attrs, ctx);
      const r = renderMedia(tag, attrs, ctx, media, parentTag);
      f.open = r.open;
      f.reopen = r.reopen;
      f.designated = media === null ? leadingSources(el) : null;
      break;
    }
    case 'td':
    case 'th': {
      const { id, rest } = renderAttributes(tag, src, attrs, ctx, { parentTag, skip: SPANS });
      cell = { index: -1, tag, colspan: spanValue(attrs.get('colspan'), 'col'), rowspan: spanValue(attrs.get('rowspan'), 'row'), rest: id + rest };
      f.open = f.reopen = cellTag(cell);
      break;
    }
    default: {
      if (tag === 'table') f.table = { fresh: true, hasGroup: false, model: new TableModel() };
      else if (tag === 'thead' || tag === 'tbody') {
        if (f.table !== null) f.table.hasGroup = true;
        f.table?.model.startGroup();
      }
      else if (tag === 'figure') {
        const info = figureInfo(el);
        f.designated = info.caption === null ? null : new Set([info.caption]);
        const captioned = info.caption !== null && info.singleImage && (f.flags & IN_TEXT_ITEM) === 0;
        f.figureAlt = captioned ? captionAlt(visibleText(info.caption as LElement, 1000), ctx.urls.prefixes) : null;
      } else if (tag === 'details') {
        const summary = detailsSummary(el);
        f.designated = summary === null ? null : new Set([summary]);
      } else if (tag === 'picture') {
        f.designated = new Set(childElements(el).elements.filter((c) => tagOf(c) === 'source'));
      } else if (tag === 'pre') {
        f.pre = el;
      }
      const { id, rest } = renderAttributes(tag, src, attrs, ctx, {
        parentTag,
        extraClass: spec.prose ? 'prose-pre' : undefined,
        extraStyle: RENAME_STYLE.get(src),
      });
      // (Not inside a link: focusable content may not be nested in interactive content.)
      const extra = FOCUSABLE_SCROLLERS.has(tag) && !w.insideLink() ? ' tabindex="0"' : '';
      f.open = `<${tag}${id}${rest}${extra}>`;
      f.reopen = `<${tag}${rest}${extra}>`;
      if (/^h[1-6]$/.test(tag)) {
        // The level is written when the heading closes (writer.ts): only headings that end up
        // with text count, in the order they appear in the output.
        f.heading = Number(tag[1]);
        f.headingAttrs = id + rest;
        f.headingCopyAttrs = rest;
      }
    }
  }

  w.push(f, f.open);
  if (tag === 'tr') f.table?.model.startRow(f.openIndex);
  if (cell !== null) {
    cell.index = f.openIndex;
    f.table?.model.addCell(cell);
  }
  if (f.block) w.excerpt.boundary();
  if (f.paragraph) w.excerpt.enterParagraph();
  return el.firstChild;
}

/** Drops the element's tag and walks its children in its place. */
function unwrap(el: LElement, src: string, parent: Frame, w: Writer): LNode | null {
  const top = w.top;
  const f = new Frame();
  f.kind = top.kind;
  f.flags = parent.flags;
  f.contextTag = top.contextTag;
  f.table = top.table;
  f.figureAlt = parent.figureAlt;
  f.next = el.nextSibling;
  f.block = KEEP.has(src) && !INLINE.has(src);
  if (f.block) w.excerpt.boundary();
  w.pushNone(f);
  return el.firstChild;
}

function iframe(el: LElement, w: Writer, ctx: Context): void {
  if ((w.domParent().flags & NO_INTERACTIVE) !== 0) return;
  const html = renderIframe(readAttrs(el), ctx, ctx.iframeAllowlist);
  if (html === null) return;
  w.place(Cat.Phrasing, 'iframe');
  w.leaveCode();
  w.void(html);
}
