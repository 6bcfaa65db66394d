/**
 * Reading the HTML the Worker sends, with parse5 (the WHATWG parsing algorithm, independent of the
 * linkedom the Worker renders with) — plus the older linkedom helpers.
 */
import { parseHTML } from 'linkedom/worker';
import { parse as parse5 } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

export type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];
type ChildNode = DefaultTreeAdapterMap['childNode'];

/** Every attribute value of every element, for "nothing left in any attribute" checks. */
export function allAttributes(html: string): { tag: string; name: string; value: string }[] {
  const { document } = parseHTML(html);
  const out: { tag: string; name: string; value: string }[] = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) out.push({ tag: el.tagName.toLowerCase(), name: attr.name, value: attr.value });
  }
  return out;
}

/** linkedom's document (for CSS selectors in checks that do not need an independent parser). */
export function parse(html: string) {
  return parseHTML(html).document;
}

/** The document as parse5 builds it. */
export function parseDocument(html: string): ParentNode {
  return parse5(html) as ParentNode;
}

const isElement = (n: ChildNode): n is Element => 'tagName' in n;

/** Every element under `root` in document order. */
export function elements(root: ParentNode): Element[] {
  const out: Element[] = [];
  const visit = (node: ParentNode) => {
    for (const child of node.childNodes) {
      if (!isElement(child)) continue;
      out.push(child);
      // <template> content is a separate fragment; we render none.
      visit(child);
    }
  };
  visit(root);
  return out;
}

export function attr(el: Element, name: string): string | null {
  return el.attrs.find((a) => a.name === name)?.value ?? null;
}

export function hasClass(el: Element, name: string): boolean {
  return (attr(el, 'class') ?? '').split(/\s+/).includes(name);
}

/** Text content (text nodes concatenated). */
export function textOf(node: ParentNode): string {
  let out = '';
  for (const child of node.childNodes) {
    if ('value' in child && child.nodeName === '#text') out += child.value;
    else if (isElement(child)) out += textOf(child);
  }
  return out;
}

/** Direct children of `el` named `tag`. */
export function childElements(el: ParentNode, tag: string): Element[] {
  return el.childNodes.filter((n): n is Element => isElement(n) && n.tagName === tag);
}

/** Elements named `tag` (and having class `cls`) under `root`. */
export function findAll(root: ParentNode, tag: string, cls?: string): Element[] {
  return elements(root).filter((el) => el.tagName === tag && (cls === undefined || hasClass(el, cls)));
}

/** The first `tag`(.cls) under `root`, or null. */
export function findOne(root: ParentNode, tag: string, cls?: string): Element | null {
  return findAll(root, tag, cls)[0] ?? null;
}

/** What a list page shows: its items' links and titles, the next/prev links, the h1, the canonical URL. */
export interface ListPageView {
  heading: string;
  /** Article hrefs of the items, in order. */
  items: { href: string; title: string }[];
  next: string | null;
  prev: string | null;
  canonical: string | null;
  /** `.list-count` text, when shown. */
  count: string | null;
}

export function readListPage(html: string): ListPageView {
  const doc = parseDocument(html);
  const lists = findAll(doc, 'ul', 'post-list');
  const items = lists.flatMap((ul) =>
    childElements(ul, 'li').map((li) => {
      const heading = elements(li).find((el) => el.tagName === 'h2' || el.tagName === 'h3');
      const link = heading ? findOne(heading, 'a') : null;
      if (!link) throw new Error('a list item without a linked title');
      return { href: attr(link, 'href') ?? '', title: textOf(link) };
    }),
  );
  const rel = (value: string) => {
    const a = elements(doc).find((el) => el.tagName === 'a' && attr(el, 'rel') === value);
    return a ? attr(a, 'href') : null;
  };
  const canonical = elements(doc).find((el) => el.tagName === 'link' && attr(el, 'rel') === 'canonical');
  const count = findOne(doc, 'p', 'list-count');
  const h1 = findOne(doc, 'h1');
  return {
    heading: h1 ? textOf(h1) : '',
    items,
    next: rel('next'),
    prev: rel('prev'),
    canonical: canonical ? attr(canonical, 'href') : null,
    count: count ? textOf(count) : null,
  };
}
