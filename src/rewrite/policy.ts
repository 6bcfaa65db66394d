/**
 * The sanitiser's element allowlists. Anything not listed here never reaches the output:
 * - elements in REMOVE are dropped together with everything inside them (executable, embedding,
 *   form-control, foreign-content and raw-text elements whose content is not article text);
 * - elements in KEEP are written (content-model.ts decides as what, and where), with the
 *   attributes attributes.ts allows;
 * - `xmp`, `listing`, `plaintext` are shown as `<pre>`, `center`/`font`/`big`/`strike`/`tt` as
 *   their modern equivalents (content-model.ts);
 * - every other element (custom elements, `<o:p>`, `<marquee>`, `<form>`, `<label>`, a stray
 *   `<body>`/`<html>`…) is unwrapped: the tag goes, its children are processed as if in its place.
 */

/** Removed with their whole content. */
export const REMOVE = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param',
  'base', 'basefont', 'bgsound', 'meta', 'link', 'head', 'title',
  'input', 'button', 'textarea', 'select', 'option', 'optgroup', 'datalist', 'keygen', 'isindex',
  'svg', 'math', 'noscript', 'noembed', 'noframes', 'template', 'slot', 'portal', 'track',
  'canvas', 'map', 'area', 'image', 'xml', 'dialog', 'menuitem',
]);

/** Kept (with their allowed attributes). `iframe` is handled separately (allowlisted hosts). */
export const KEEP = new Set([
  'p', 'div', 'span', 'a', 'img', 'picture', 'source', 'video', 'audio', 'figure', 'figcaption',
  'br', 'wbr', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'blockquote', 'pre', 'code', 'kbd', 'samp', 'var', 'em', 'strong', 'b', 'i', 'u', 's', 'strike',
  'del', 'ins', 'sub', 'sup', 'small', 'big', 'tt', 'mark', 'abbr', 'cite', 'q', 'dfn', 'bdi', 'bdo',
  'ruby', 'rt', 'rp', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup',
  'col', 'section', 'article', 'header', 'footer', 'aside', 'nav', 'main', 'address', 'details',
  'summary', 'time', 'font', 'center',
]);

/** Inline elements: everything else separates words in the excerpt. */
export const INLINE = new Set([
  'a', 'span', 'em', 'strong', 'b', 'i', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small',
  'big', 'tt', 'mark', 'abbr', 'cite', 'q', 'dfn', 'bdi', 'bdo', 'code', 'kbd', 'samp', 'var', 'font',
  'time', 'ruby', 'rt', 'rp', 'img', 'wbr',
]);

/** URL schemes a link may use. Anything else (javascript:, vbscript:, data:, file:…) is dropped. */
export const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/** Classes of the source sites' lazy-loading scripts, meaningless (or hiding the image) here. */
export const LAZY_CLASSES = new Set(['lazy', 'lazyload', 'lazyloaded', 'opacity_0']);

/** Link targets that look like images (the path's extension, `!style` suffixes of some CDNs). */
export const IMAGE_PATH = /\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico)(?:[!@][^/]*)?$/i;
