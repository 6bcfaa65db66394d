/**
 * The CSS the rewritten body relies on (the site stylesheet, src/views/site-css.ts, must include
 * it; the rewrite's browser tests load it after the site stylesheet):
 * - `.article-body` is a paint-containment box and a block formatting context: nothing inside can
 *   be painted or hit outside it, floats stay in it, long words wrap
 *   (https://www.w3.org/TR/css-contain-2/#paint-containment);
 * - every element inside is at most as wide as the column, whatever its inline style says (inline
 *   styles never carry `!important`: style.ts removes it);
 * - real code (`pre`) keeps its lines and scrolls inside its own box, with a visible focus ring
 *   (it is focusable so keyboards can scroll it); a `pre` of prose (`.prose-pre`) wraps;
 * - in dark mode, author colours give way to the theme (they were chosen for a light page).
 */
export const ARTICLE_BODY_CSS =
  '.article-body{contain:paint;overflow-wrap:anywhere;display:flow-root}' +
  '.article-body *{max-width:100%!important}' +
  '.article-body pre{overflow-x:auto;max-width:100%;white-space:pre;overflow-wrap:normal}' +
  '.article-body .prose-pre{white-space:normal}' +
  '.article-body pre:focus-visible,.article-body table:focus-visible{outline:2px solid var(--accent,#0b62c4);outline-offset:-2px}' +
  '@media (prefers-color-scheme:dark){.article-body [style]{color:inherit!important;background-color:transparent!important;border-color:currentcolor!important}}';
