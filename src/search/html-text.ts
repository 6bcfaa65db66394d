/**
 * An article body's text as a reader sees it, for the search index and its snippets. Runs in the
 * Node upload only (parse5 is a devDependency; the Worker never imports this file). parse5 was
 * chosen over linkedom by measurement on the 61 fixtures (src/search/README.md, `bench/search`).
 *
 * - Tags go, entities are decoded (the parser does both, as a browser would).
 * - `<script>`, `<style>`, `<template>`, `<noscript>`, `<iframe>`, `<object>`, `<embed>` and
 *   `<svg>` contribute nothing: none of them is text a reader sees (inline SVGs in these posts are
 *   icons). Image `alt` text is not shown either, so it is not indexed.
 * - Code is kept as text: `<pre>` keeps its line breaks, so code lines stay apart.
 * - Block elements and `<br>` end a line; table cells are separated by a space; inline elements
 *   join their neighbours exactly as rendered (`<b>华为</b>手机` is `华为手机`), which matters for
 *   CJK bigrams.
 * - Whitespace runs (U+00A0 included) collapse to one space; lines are trimmed and empty lines
 *   dropped. Lines are joined with `\n`.
 */
import { type DefaultTreeAdapterTypes, parseFragment } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

const SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'head', 'title']);

/** Elements that start and end a line (HTML's block-level and list/table structure). */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
  'listing', 'plaintext', 'xmp', 'body', 'html', 'option', 'legend',
]);
const CELL = new Set(['td', 'th']);

/** HTML whitespace plus U+00A0, which renders as a space (and NFKC maps to one). */
const SPACE_RUN = /[\t\n\f\r \u00a0]+/g;
const SPACE_RUN_NO_NEWLINE = /[\t\f\r \u00a0]+/g;

function isParent(node: Node): node is ParentNode & Node {
  return 'childNodes' in node;
}

export function htmlToSearchText(html: string): string {
  const fragment = parseFragment(html);
  const lines: string[] = [];
  let line = '';
  const breakLine = () => {
    if (line !== '') lines.push(line);
    line = '';
  };

  // An explicit stack, not recursion: a hostile post nested 10,000 elements deep must not
  // overflow the call stack (the rewrite walks the same way).
  type Frame = { node: Node; inPre: boolean; closing: boolean };
  const stack: Frame[] = [];
  for (let i = fragment.childNodes.length - 1; i >= 0; i--) stack.push({ node: fragment.childNodes[i]!, inPre: false, closing: false });
  while (stack.length > 0) {
    const { node, inPre, closing } = stack.pop()!;
    const name = node.nodeName;
    if (closing) {
      if (BLOCK.has(name)) breakLine();
      else if (CELL.has(name)) line += ' ';
      continue;
    }
    if (name === '#text') {
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      if (!inPre) {
        line += value.replace(SPACE_RUN, ' ');
        continue;
      }
      const parts = value.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) breakLine();
        line += part.replace(SPACE_RUN_NO_NEWLINE, ' ');
      });
      continue;
    }
    if (!isParent(node)) continue; // comments, doctype
    if (SKIPPED.has(name)) continue;
    if (BLOCK.has(name)) breakLine();
    else if (CELL.has(name)) line += ' ';
    const pre = inPre || name === 'pre' || name === 'listing' || name === 'xmp' || name === 'plaintext' || name === 'textarea';
    stack.push({ node, inPre, closing: true });
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push({ node: node.childNodes[i]!, inPre: pre, closing: false });
  }
  breakLine();
  const out: string[] = [];
  for (const l of lines) {
    const t = l.replace(/ {2,}/g, ' ').trim();
    if (t !== '') out.push(t);
  }
  return out.join('\n');
}
