/**
 * Escaping for our serialiser. Text escapes `& < >` and U+00A0 (as `&nbsp;`, so non-breaking
 * spaces stay visible in the source); attribute values, always double-quoted, also escape `"`.
 * That is exactly what the HTML serialisation algorithm escapes
 * (https://html.spec.whatwg.org/multipage/parsing.html#escapingString), so parsing our output and
 * serialising it again gives the same bytes.
 *
 * Characters the parser would change, or that are not allowed in a document, are normalised
 * first (https://html.spec.whatwg.org/multipage/parsing.html#preprocessing-the-input-stream):
 * - CR and CRLF become LF (the parser does the same to the source, so this is what was shown);
 * - U+0000, other C0 controls except tab/LF/FF, U+007F–U+009F and noncharacters are dropped
 *   (the parser drops U+0000 in text; the rest are "forbidden code points" for validators);
 * - unpaired surrogates become U+FFFD (what UTF-8 encoding of the response would do anyway).
 */

// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\r\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/g;

/** Text as a browser would hold it after parsing, minus code points a document may not contain. */
export function cleanText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  let s = text.replace(/\r\n?/g, '\n').replace(FORBIDDEN, '');
  if (!s.isWellFormed()) s = s.toWellFormed();
  return s;
}

const TEXT_SPECIAL = /[&<>\u00a0]/;
const TEXT_SPECIAL_G = /[&<>\u00a0]/g;
const ATTR_SPECIAL = /[&"<>\u00a0]/;
const ATTR_SPECIAL_G = /[&"<>\u00a0]/g;
const ENTITY = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ['\u00a0', '&nbsp;'],
]);
const toEntity = (ch: string): string => ENTITY.get(ch) ?? ch;

export function escapeText(text: string): string {
  const s = cleanText(text);
  return TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL_G, toEntity) : s;
}

export function escapeAttr(value: string): string {
  const s = cleanText(value);
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_G, toEntity) : s;
}
