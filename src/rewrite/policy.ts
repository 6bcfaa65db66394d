/**
 * The sanitiser's allowlists. Anything not listed here never reaches the output:
 * - elements in REMOVE are dropped together with everything inside them (executable, embedding,
 *   form-control, foreign-content and raw-text elements whose content is not article text);
 * - elements in KEEP are emitted with their allowed attributes;
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

/** Raw-text elements that a browser shows as preformatted text: emitted as `<pre>`. */
export const AS_PRE = new Set(['xmp', 'listing', 'plaintext']);

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

export const VOID = new Set(['img', 'br', 'wbr', 'hr', 'source', 'col']);

/** Inline elements: everything else separates words in the excerpt. */
export const INLINE = new Set([
  'a', 'span', 'em', 'strong', 'b', 'i', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small',
  'big', 'tt', 'mark', 'abbr', 'cite', 'q', 'dfn', 'bdi', 'bdo', 'code', 'kbd', 'samp', 'var', 'font',
  'time', 'ruby', 'rt', 'rp', 'img', 'wbr',
]);

/** Attributes allowed on every kept element (values still checked for script URLs). */
export const GLOBAL_ATTRS = new Set(['id', 'class', 'title', 'lang', 'dir', 'style', 'align']);

/**
 * Extra attributes per element. URL-bearing ones (href, src, srcset, poster, cite) and img/video/
 * audio/iframe/a attributes that are rewritten or forced are handled in rewrite-html.ts.
 */
export const ELEMENT_ATTRS: Record<string, ReadonlySet<string>> = {
  a: new Set(['href', 'target']),
  img: new Set(['alt']),
  source: new Set(['sizes', 'media', 'type', 'width', 'height']),
  video: new Set(['width', 'height', 'muted', 'loop', 'playsinline']),
  audio: new Set(['muted', 'loop']),
  ol: new Set(['start', 'type', 'reversed']),
  ul: new Set(['type']),
  li: new Set(['value', 'type']),
  table: new Set(['width', 'border', 'cellpadding', 'cellspacing', 'summary']),
  td: new Set(['colspan', 'rowspan', 'width', 'height', 'valign', 'headers']),
  th: new Set(['colspan', 'rowspan', 'width', 'height', 'valign', 'headers', 'scope', 'abbr']),
  tr: new Set(['valign']),
  col: new Set(['span', 'width', 'valign']),
  colgroup: new Set(['span', 'width', 'valign']),
  thead: new Set(['valign']),
  tbody: new Set(['valign']),
  tfoot: new Set(['valign']),
  del: new Set(['datetime']),
  ins: new Set(['datetime']),
  time: new Set(['datetime']),
  details: new Set(['open']),
  font: new Set(['color', 'face', 'size']),
  hr: new Set(['width', 'size', 'noshade']),
};

/** Elements whose `cite` attribute (a URL that is only linked, never loaded) is kept. */
export const CITE_ELEMENTS = new Set(['blockquote', 'q', 'del', 'ins']);

/** URL schemes a link may use. Anything else (javascript:, vbscript:, data:, file:…) is dropped. */
export const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/** Classes of the source sites' lazy-loading scripts, meaningless (or hiding the image) here. */
export const LAZY_CLASSES = new Set(['lazy', 'lazyload', 'lazyloaded', 'opacity_0']);

/** Link targets that look like images (the path's extension, `!style` suffixes of some CDNs). */
export const IMAGE_PATH = /\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico)(?:[!@][^/]*)?$/i;
