/**
 * Text for XML 1.0 documents (feeds, sitemaps). XML 1.0 §2.2 allows only
 * #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; anything else
 * (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) makes the document ill-formed even
 * when escaped, so it is removed. Then the five special characters are escaped, which makes the
 * result safe both as element content and inside a double- or single-quoted attribute value.
 */

// C0 controls except tab, LF, CR; U+FFFE/U+FFFF; a high surrogate not followed by a low one; a
// low surrogate not preceded by a high one.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Removes the characters XML 1.0 forbids. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/** Escapes `& < > " '` after removing forbidden characters: for text and attribute values. */
export function xmlEscape(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** `<name>escaped text</name>`. */
export function xmlElement(name: string, text: string, attrs: Record<string, string> = {}): string {
  return `<${name}${xmlAttrs(attrs)}>${xmlEscape(text)}</${name}>`;
}

/** ` a="v" b="w"` with every value escaped. */
export function xmlAttrs(attrs: Record<string, string>): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) out += ` ${name}="${xmlEscape(value)}"`;
  return out;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
