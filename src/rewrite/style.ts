/**
 * Sanitising of inline `style` attributes.
 *
 * Declarations are kept one by one; a declaration is dropped whole when it could run code or load
 * something we do not control:
 * - `expression(`, `javascript:`, `vbscript:`, `-moz-binding`, `behavior`, `@import` anywhere in it
 *   (checked after removing comments, CSS escapes and whitespace, so `expres/**\/sion(`,
 *   `\65 xpression(` and `java script:` are caught);
 * - functions that load a URL given as a plain string (`image-set(`, `image(`, `cross-fade(`,
 *   `element(`, `src(`), which we cannot route;
 * - a `url(…)` whose target `mapUrl` rejects (not http(s) to a public host, relative, `file:`…),
 *   or a `url(` we cannot parse, or one hidden behind CSS escapes;
 * - custom properties (`--x: url(…)` could smuggle a URL into `var()`), unparseable names.
 * Every accepted `url(…)` is rewritten to `url("<mapUrl result>")` (our image route).
 * The output is normalised (`prop: value; prop: value`), so rewriting is idempotent.
 */

const COMMENT = /\/\*[\s\S]*?\*\//g;
const CSS_ESCAPE = /\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|([\s\S]))/gi;
const DANGEROUS = /expression\(|javascript:|vbscript:|livescript:|-moz-binding|@import|image-set\(|image\(|cross-fade\(|element\(|src\(|<\/?style/;
const DANGEROUS_PROPERTY = /^(?:behavior|-moz-binding)$/;
const URL_FUNC = /url\(\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)'|([^\s"'()\\]*))\s*\)/gi;
const PROPERTY = /^-?[a-z][a-z0-9-]*$/;

function cssUnescape(text: string): string {
  return text.replace(CSS_ESCAPE, (_m, hex: string | undefined, ch: string | undefined) => {
    if (hex) {
      const cp = Number.parseInt(hex, 16);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
    }
    return ch ?? '';
  });
}

/** Splits a declaration list at `;` outside quotes and parentheses. */
function splitDeclarations(style: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < style.length; i++) {
    const c = style[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) {
      out.push(style.slice(start, i));
      start = i + 1;
    }
  }
  out.push(style.slice(start));
  return out;
}

/**
 * Returns the sanitised style attribute value, or null when nothing is left.
 * `mapUrl` receives the raw target of each `url(…)` and returns its replacement or null (unsafe).
 */
export function sanitizeStyle(style: string, mapUrl: (raw: string) => string | null): string | null {
  const kept: string[] = [];
  for (const rawDecl of splitDeclarations(style)) {
    const decl = rawDecl.replace(COMMENT, '').trim();
    if (decl === '' || decl.includes('/*')) continue;
    const colon = decl.indexOf(':');
    if (colon <= 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    let value = decl.slice(colon + 1).trim();
    if (!PROPERTY.test(prop) || value === '') continue;
    const hasEscape = value.includes('\\');
    const check = (hasEscape ? cssUnescape(value) : value).toLowerCase().replace(/[\s\u0000-\u001f]+/g, '');
    if (DANGEROUS.test(check) || DANGEROUS_PROPERTY.test(prop)) continue;
    const urlCount = check.split('url(').length - 1;
    if (urlCount > 0) {
      // A url() spelled with escapes (`u\72 l(`) would need a CSS tokenizer to rewrite: drop it.
      if (hasEscape) continue;
      let matched = 0;
      let ok = true;
      value = value.replace(URL_FUNC, (_m, dq: string | undefined, sq: string | undefined, bare: string | undefined) => {
        matched++;
        const mapped = mapUrl((dq ?? sq ?? bare ?? '').trim());
        if (mapped === null || /["\\\n\r]/.test(mapped)) {
          ok = false;
          return '';
        }
        return `url("${mapped}")`;
      });
      if (!ok || matched !== urlCount) continue;
    }
    kept.push(`${prop}: ${value}`);
  }
  return kept.length > 0 ? kept.join('; ') : null;
}
