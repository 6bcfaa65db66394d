/**
 * Independent oracles over raw source strings (not the rewriter's code): code regions and the
 * text a reader must see in them.
 */
import { parseFragment } from 'parse5';

/**
 * Decodes character references as the HTML parser does in text, keeping `<` literal: content of
 * an RCDATA element (`<textarea>`) is parsed for references only.
 */
export function decodeCharacterReferences(raw: string): string {
  const frag = parseFragment(`<textarea>\n${raw.replace(/<\/textarea/gi, '&lt;/textarea')}</textarea>`);
  const ta = frag.childNodes[0] as unknown as { childNodes: { value?: string }[] };
  return ta.childNodes.map((c) => c.value ?? '').join('');
}

/** Inline markup a highlighter puts in code (markup, not code text). */
const CODE_MARKUP = /<\/?(?:a|abbr|b|bdi|bdo|big|br|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|rp|rt|ruby|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr)\b[^>]*>/gi;

/** The text of every `<code>…</code>` of a source body, as its author wrote it. */
export function sourceCodeTexts(body: string): string[] {
  return [...body.matchAll(/<code\b[^>]*>([\s\S]*?)<\/code\s*>/gi)].map((m) => decodeCharacterReferences((m[1] ?? '').replace(CODE_MARKUP, '')));
}
