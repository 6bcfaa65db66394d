/**
 * Code samples that arrive unescaped.
 *
 * Feeds often deliver code with its `<` not escaped: `<pre><code>return <div>{x}</div></code>`
 * (post 28, JSX) or `<p><code><p>CSRF…</p></code></p>` (post 18, an HTML sample). A browser,
 * and linkedom, parse those tags as elements: the JSX vanishes from the screen and the `<p>`
 * breaks the paragraph. The author meant text, and only the source string still has it as
 * written (`<Child />`, `onClick = {x}`: a tree has lost the spelling).
 *
 * So, before the one parse, inside every `<code>…</code>` of the source, a `<` that starts
 * anything but the inline markup highlighters use (`span`, `b`, `a`, `br`…; KEEP_IN_CODE) is
 * written `&lt;`: the parser then reads it as text, exactly as written. This is a single linear
 * scan over the string, done only when the body contains `<code`; it can only turn markup into
 * text, so it is never a security boundary (the sanitiser sees its output like any other input).
 *
 * The scan skips comments, attribute values and raw-text elements (`<script>`, `<style>`,
 * `<textarea>`, `<title>`, `<xmp>`…) so that a `<code` inside them is not taken for a tag. A
 * `<code>` without a closing `</code>` is left alone: its extent is unknown.
 */

/**
 * Text-level elements that are markup, not code text, inside `<code>`. The walk keeps every
 * output `<code>` to these (and text), so a second rewrite escapes nothing more: blocks close the
 * code (writer.ts hoisting), images and players are written outside it (`leaveCode`).
 */
export const KEEP_IN_CODE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd',
  'mark', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt',
  'u', 'var', 'wbr',
]);

/** Elements whose content the tokenizer reads as raw text (no tags inside). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

const TAG_START = /<(\/?)([A-Za-z][^\s/>]*)/y;
const CODE_END = /<\/code[\s/>]/gi;

/** Index just after the `>` that ends the tag whose name ends at `from` (quotes respected). */
function tagEnd(html: string, from: number): number {
  let i = from;
  const n = html.length;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 0x3e /* > */) return i + 1;
    if (c === 0x3d /* = */) {
      i++;
      while (i < n && /\s/.test(html[i] as string)) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, i + 1);
        i = close < 0 ? n : close + 1;
        continue;
      }
      continue;
    }
    i++;
  }
  return n;
}

/** Escapes the markup of one code region (between `<code…>` and `</code>`). */
function escapeRegion(region: string): string {
  let out = '';
  let last = 0;
  let i = region.indexOf('<');
  while (i >= 0) {
    const next = region[i + 1] ?? '';
    TAG_START.lastIndex = i;
    const m = TAG_START.exec(region);
    if (m?.[2] !== undefined) {
      if (KEEP_IN_CODE.has(m[2].toLowerCase())) {
        const end = tagEnd(region, i + m[0].length);
        i = region.indexOf('<', end);
        continue;
      }
      out += `${region.slice(last, i)}&lt;`;
      last = i + 1;
    } else if (next === '!' || next === '?' || next === '/') {
      out += `${region.slice(last, i)}&lt;`;
      last = i + 1;
    }
    i = region.indexOf('<', i + 1);
  }
  return last === 0 ? region : out + region.slice(last);
}

/** The body with markup inside `<code>` elements turned into text (see above). */
export function escapeCodeMarkup(html: string): string {
  if (!/<code[\s/>]/i.test(html)) return html;
  let out = '';
  let last = 0;
  // The first `</code` at or after a position only moves forward: found once, reused.
  let close: RegExpExecArray | null | undefined;
  let i = html.indexOf('<');
  const n = html.length;
  while (i >= 0 && i < n) {
    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4);
      if (close < 0) break;
      i = html.indexOf('<', close + 3);
      continue;
    }
    TAG_START.lastIndex = i;
    const m = TAG_START.exec(html);
    if (m?.[2] === undefined) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const name = m[2].toLowerCase();
    const end = tagEnd(html, i + m[0].length);
    if (m[1] === '' && RAW_TEXT.has(name)) {
      const closeTag = new RegExp(`</${name}`, 'gi');
      closeTag.lastIndex = end;
      const close = closeTag.exec(html);
      if (close === null) break;
      i = html.indexOf('<', close.index + 2);
      continue;
    }
    if (m[1] === '' && name === 'code') {
      if (close === undefined || (close !== null && close.index < end)) {
        CODE_END.lastIndex = end;
        close = CODE_END.exec(html);
      }
      if (close !== null) {
        const escaped = escapeRegion(html.slice(end, close.index));
        out += html.slice(last, end) + escaped;
        last = close.index;
        i = html.indexOf('<', close.index + 1);
        continue;
      }
    }
    i = html.indexOf('<', end);
  }
  return last === 0 ? html : out + html.slice(last);
}
