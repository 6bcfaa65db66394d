/**
 * Result snippets and highlighted titles, as HTML: every character of the text is escaped, and
 * `<mark>` wraps exactly what the search matched: the same tokens the index holds
 * (./tokenize.ts), so `win11` highlights `Win 11`, `华为手机` highlights `华为手机`, and a
 * one-character query highlights that character. D1's snippet() cannot be used: it would cut the
 * pre-tokenised column, which is not readable text; the readable text lives in `search_text`.
 *
 * A snippet is a window of at most `maxChars` characters (code points) of the text, placed to
 * cover as many different query terms as possible, with some context before the first; a match
 * is never cut (one longer than `maxChars` is shown whole). Its ends
 * are moved to grapheme cluster boundaries (Intl.Segmenter), so a surrogate pair, a base letter
 * and its combining marks, an emoji ZWJ sequence or a flag is never cut; `…` marks a cut. Cutting
 * happens before escaping, so no entity can be cut either. Whitespace runs become one space.
 */
import { type TokenSpan, queryTermTokens, tokenSpans } from './tokenize.js';

export interface SnippetOptions {
  /** Longest snippet, in code points of the text (ellipses not counted). */
  maxChars: number;
}

export const DEFAULT_SNIPPET_CHARS = 160;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

interface Range {
  start: number;
  end: number;
  /** Index of the term that matched. */
  term: number;
}

/** Where the terms occur in `text` (UTF-16 ranges, sorted, overlapping ones merged per term). */
export function matchRanges(text: string, terms: readonly string[], spans: TokenSpan[] = tokenSpans(text)): Range[] {
  const out: Range[] = [];
  terms.forEach((term, t) => {
    const { tokens, prefix } = queryTermTokens(term);
    const k = tokens.length;
    if (k === 0) return;
    for (let i = 0; i + k <= spans.length; i++) {
      let ok = true;
      for (let j = 0; j < k; j++) {
        const have = (spans[i + j] as TokenSpan).token;
        const want = tokens[j] as string;
        if (j === k - 1 && prefix ? !have.startsWith(want) : have !== want) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const last = spans[i + k - 1] as TokenSpan;
      out.push({ start: (spans[i] as TokenSpan).start, end: prefix ? last.firstEnd : last.end, term: t });
    }
  });
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Non-overlapping ranges (union of all terms' ranges). */
function mergeRanges(ranges: readonly Range[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Boundaries.

const segmenter: Intl.Segmenter | null =
  typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('und', { granularity: 'grapheme' }) : null;

const LOOKAROUND = 64;

/** The start of the grapheme cluster containing offset `i` (i itself when it is a boundary). */
export function clusterStart(text: string, i: number): number {
  if (i <= 0) return 0;
  if (i >= text.length) return text.length;
  const from = Math.max(0, i - LOOKAROUND);
  if (segmenter) {
    let best = from;
    for (const seg of segmenter.segment(text.slice(from, Math.min(text.length, i + LOOKAROUND)))) {
      const at = from + seg.index;
      if (at > i) break;
      best = at;
    }
    return best;
  }
  // Fallback: never split a surrogate pair, nor a base from its combining marks or a ZWJ.
  let j = i;
  while (j > 0) {
    if (isLowSurrogateAfterHigh(text, j)) j--;
    else if (/[\p{M}\u200d]/u.test(String.fromCodePoint(text.codePointAt(j) as number))) j = retreatCodePoints(text, j, 1);
    else break;
  }
  return j;
}

function isLowSurrogateAfterHigh(text: string, j: number): boolean {
  const c = text.charCodeAt(j);
  const p = text.charCodeAt(j - 1);
  return c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff;
}

/** UTF-16 offset `n` code points after `from` (clamped to the end). */
function advanceCodePoints(text: string, from: number, n: number): number {
  let i = from;
  for (let k = 0; k < n && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/** UTF-16 offset `n` code points before `from` (clamped to 0). */
function retreatCodePoints(text: string, from: number, n: number): number {
  let i = from;
  for (let k = 0; k < n && i > 0; k++) {
    const c = text.charCodeAt(i - 1);
    i -= c >= 0xdc00 && c <= 0xdfff && i - 2 >= 0 && (text.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? 2 : 1;
  }
  return i;
}

// ---------------------------------------------------------------------------------------------

/** Escaped `text[start, end)` with `<mark>` around the parts of `marks` inside it. */
function renderSlice(text: string, start: number, end: number, marks: readonly { start: number; end: number }[]): string {
  let html = '';
  let at = start;
  for (const m of marks) {
    const s = Math.max(m.start, start);
    const e = Math.min(m.end, end);
    if (e <= s || s < at) continue;
    html += escapeHtml(text.slice(at, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
    at = e;
  }
  return html + escapeHtml(text.slice(at, end));
}

const collapse = (html: string) => html.replace(/\s+/g, ' ');

/**
 * A snippet of `text` around the matches of `terms` (parseSearchQuery's `terms`), as HTML. The
 * start of the text when nothing matches; '' for an empty text.
 */
export function makeSnippet(text: string, terms: readonly string[], options: SnippetOptions = { maxChars: DEFAULT_SNIPPET_CHARS }): string {
  const maxChars = Math.max(1, Math.floor(options.maxChars));
  const ranges = matchRanges(text, terms);
  // Anchor: the match whose window holds the most different terms (the first such).
  let anchor = ranges[0]?.start ?? 0;
  let bestTerms = 0;
  const candidates = ranges.slice(0, 200);
  for (const r of candidates) {
    const limit = advanceCodePoints(text, r.start, maxChars);
    const seen = new Set<number>();
    for (const o of candidates) if (o.start >= r.start && o.end <= limit) seen.add(o.term);
    if (seen.size > bestTerms) {
      bestTerms = seen.size;
      anchor = r.start;
    }
  }
  // Some context before the anchor, then the window; pulled back if it would run off the end.
  let start = ranges.length > 0 ? retreatCodePoints(text, anchor, Math.floor(maxChars / 5)) : 0;
  let end = advanceCodePoints(text, start, maxChars);
  if (end >= text.length) {
    end = text.length;
    start = retreatCodePoints(text, end, maxChars);
  }
  start = clusterStart(text, start);
  end = clusterStart(text, end);
  // Never cut a match: take in one the window starts inside; stop before one it would end inside,
  // unless that is the window's first match (then show it whole, even past maxChars).
  const marks = mergeRanges(ranges);
  for (const m of marks) {
    if (m.start < start && start < m.end) start = m.start;
    if (m.start < end && end < m.end) end = m.start > start ? m.start : m.end;
  }
  while (start < end && /\s/.test(text[start] as string)) start++;
  const body = renderSlice(text, start, end, marks).trim();
  return collapse((start > 0 ? '…' : '') + body + (end < text.length ? '…' : ''));
}

/** The whole title, escaped, with the matches of `terms` in `<mark>`. */
export function highlightTitle(title: string, terms: readonly string[]): string {
  return collapse(renderSlice(title, 0, title.length, mergeRanges(matchRanges(title, terms))));
}
