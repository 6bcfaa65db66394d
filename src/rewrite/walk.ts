/**
 * The walk: one iterative pass over the parsed tree (firstChild/nextSibling with the writer's
 * frame stack, so hostile nesting cannot overflow the call stack), writing the output as it goes.
 */
import { ELEMENT_NODE, TEXT_NODE, type LElement, type LNode, type LText } from './dom';
import { visitElement } from './elements';
import type { Context } from './options';
import { Writer } from './writer';

export interface RewriteResult {
  html: string;
  /** Plain text of the first non-empty paragraph (or the start of the text), ≤ 200 characters. */
  excerpt: string;
  /** Number of `<img>` elements in `html`. */
  imageCount: number;
}

export function walk(first: LNode | null, ctx: Context): RewriteResult {
  const w = new Writer(ctx.linkedImageAlt, ctx.headings);
  let node = first;
  for (;;) {
    if (node === null) {
      const next = w.end();
      if (next === undefined) break;
      node = next;
    } else if (node.nodeType === TEXT_NODE) {
      w.text((node as LText).data, node);
      node = node.nextSibling;
    } else if (node.nodeType === ELEMENT_NODE) {
      node = visitElement(node as LElement, w, ctx);
    } else {
      node = node.nextSibling; // comments, CDATA, processing instructions
    }
  }
  return { html: w.out.join(''), excerpt: w.excerpt.result(), imageCount: w.imageCount };
}
