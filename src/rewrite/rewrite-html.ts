/**
 * Article body rewrite: one parse, one walk, allowlist sanitising, image routing, and output that
 * a browser parses back into exactly the tree we wrote.
 *
 * - `code-markup.ts`: before the parse, markup inside `<code>` is turned into text when it is
 *   really unescaped code (a linear scan over the string, only when the body has `<code`).
 * - The body is parsed once with linkedom (`linkedom/worker`: plain `linkedom` pulls in canvas,
 *   which breaks in workerd) straight into an empty document, as a fragment. That is faster than
 *   wrapping it in `<!doctype html><html><body>…` (docs/rewrite-shapes.md has the numbers) and
 *   more robust: with the wrapper, a stray `</body></html>` ends the body for htmlparser2.
 * - `walk.ts` visits every node once; `elements.ts` decides each element (`content-model.ts`,
 *   `policy.ts`), renders its start tag (`attributes.ts`, `render-*.ts`, `url-policy.ts`,
 *   `style.ts`) and `writer.ts` writes it where its content model allows. We never use linkedom's
 *   serialiser: our own escapes every text and attribute (`escape.ts`), writes only allowlisted
 *   lower-case names with double-quoted values, and never lets a content model break, so the
 *   output is a fixed point of the HTML parser.
 * - Comments, CDATA and processing instructions are dropped; text is text (a proxy URL in prose
 *   or in code is never touched).
 */
import { DOMParser } from 'linkedom/worker';
import { escapeCodeMarkup } from './code-markup';
import type { LNode } from './dom';
import { escapeText } from './escape';
import { ExcerptCollector } from './excerpt';
import { makeContext, urlContext, type RewriteOptions } from './options';
import { resolveImage } from './url-policy';
import { walk, type RewriteResult } from './walk';

export type { RewriteOptions } from './options';
export type { RewriteResult } from './walk';
export { ARTICLE_BODY_CSS } from './article-css';

let parser: DOMParser | null = null;

/** Always parses (no fast path). Exported so tests can check the fast path gives the same result. */
export function rewriteBodyParsed(html: string, options: RewriteOptions): RewriteResult {
  parser ??= new DOMParser();
  // Parsed as a fragment: the top-level nodes of the post are the document's children.
  const doc = parser.parseFromString(escapeCodeMarkup(html), 'text/html') as unknown as LNode;
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
  return resolveImage(raw, urlContext(options), false);
}
