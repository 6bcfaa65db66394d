/**
 * The few linkedom node properties the rewrite reads (the project has no DOM lib types), and
 * small read-only look-aheads over a subtree. Nothing here mutates the tree.
 */
import { REMOVE } from './policy';

export interface LNode {
  readonly nodeType: number;
  readonly nextSibling: LNode | null;
  readonly firstChild: LNode | null;
  readonly parentNode: LNode | null;
}
export interface LText extends LNode {
  readonly data: string;
}
export interface LAttr {
  readonly name: string;
  readonly value: string;
}
export interface LElement extends LNode {
  readonly tagName: string;
  readonly attributes: ArrayLike<LAttr>;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export const tagOf = (el: LElement): string => el.tagName.toLowerCase();

export type Attrs = Map<string, string>;

const NO_ATTRIBUTES: Attrs = new Map();

/** Attributes by lower-case name; the first of duplicates wins, as in browsers. Do not mutate. */
export function readAttrs(el: LElement): Attrs {
  const list = el.attributes;
  if (list.length === 0) return NO_ATTRIBUTES;
  const map: Attrs = new Map();
  for (let i = 0; i < list.length; i++) {
    const attr = list[i] as LAttr;
    const name = attr.name.toLowerCase();
    if (!map.has(name)) map.set(name, attr.value);
  }
  return map;
}

/**
 * Blank: JavaScript's `\s` (ASCII whitespace, U+00A0, Unicode spaces: what axe and readers call
 * blank) and the code points the output drops (escape.ts).
 */
// eslint-disable-next-line no-control-regex
const NOT_BLANK = /[^\s\u0000-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/;

/**
 * The element children of `el` that reach the output's content model, and whether `el` has text
 * that is not blank. Comments and removed elements (script, style…) do not count.
 */
export function childElements(el: LElement): { elements: LElement[]; text: boolean } {
  const elements: LElement[] = [];
  let text = false;
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE) {
      if (!text && NOT_BLANK.test((c as LText).data)) text = true;
    } else if (c.nodeType === ELEMENT_NODE && !REMOVE.has(tagOf(c as LElement))) {
      elements.push(c as LElement);
    }
  }
  return { elements, text };
}

/**
 * Text of the subtree as it will be shown (removed elements skipped), stopping once `limit`
 * characters are collected. Iterative: hostile nesting cannot overflow the call stack.
 */
export function visibleText(el: LElement, limit = Infinity): string {
  let out = '';
  const stack: (LNode | null)[] = [el.firstChild];
  while (stack.length > 0 && out.length < limit) {
    const node = stack.pop() as LNode | null;
    if (node === null) continue;
    stack.push(node.nextSibling);
    if (node.nodeType === TEXT_NODE) out += (node as LText).data;
    else if (node.nodeType === ELEMENT_NODE && !REMOVE.has(tagOf(node as LElement))) stack.push(node.firstChild);
  }
  return out;
}

/** True when the subtree shows some non-blank text. */
export function hasVisibleText(el: LElement): boolean {
  const stack: (LNode | null)[] = [el.firstChild];
  while (stack.length > 0) {
    const node = stack.pop() as LNode | null;
    if (node === null) continue;
    stack.push(node.nextSibling);
    if (node.nodeType === TEXT_NODE) {
      if (NOT_BLANK.test((node as LText).data)) return true;
    } else if (node.nodeType === ELEMENT_NODE && !REMOVE.has(tagOf(node as LElement))) {
      stack.push(node.firstChild);
    }
  }
  return false;
}

/** Number of descendant elements named `tag` (stops counting at `max`). */
export function countDescendants(el: LElement, tag: string, max = Infinity): number {
  let count = 0;
  const stack: (LNode | null)[] = [el.firstChild];
  while (stack.length > 0 && count < max) {
    const node = stack.pop() as LNode | null;
    if (node === null) continue;
    stack.push(node.nextSibling);
    if (node.nodeType !== ELEMENT_NODE) continue;
    const t = tagOf(node as LElement);
    if (t === tag) count++;
    if (!REMOVE.has(t)) stack.push(node.firstChild);
  }
  return count;
}

/** Whitespace collapsed and trimmed (JavaScript `\s`, so U+00A0 too): for alt text and checks. */
export const collapseSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();
