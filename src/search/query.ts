/**
 * User text → an FTS5 MATCH expression made only of double-quoted strings, so that no FTS5 syntax
 * a user types (`OR`, `NOT`, `NEAR(`, `*`, `^`, `-`, `title:`, parentheses, stray quotes) is ever
 * interpreted: it is all just text, tokenised exactly like the index (./tokenize.ts).
 *
 * - Terms are separated by whitespace; every term must match (FTS5's implicit AND).
 * - Text between double quotes (`"…"`, full-width `＂…＂` after NFKC, or `“…”`) is one phrase: its
 *   tokens must appear in that order, next to each other. An unpaired quote is ignored.
 * - One term is one FTS5 phrase of its tokens, so `Win11漏洞` must appear as written (its tokens in
 *   a row) and `华为手机` (a CJK run) is the phrase `"华为 为手 手机"`. A term ending in a single CJK
 *   character ends in a prefix (`"猫"*`) because that character may begin a bigram in the text.
 * - Terms without letters or digits are dropped; a query with none left has `match: null` (the
 *   search page with no results).
 *
 * Length: at most {@link MAX_QUERY_CHARS} characters, counted as Unicode code points of the input
 * with surrounding whitespace trimmed (what a person would call characters: `华为` is 2, an emoji
 * is 1; a lone surrogate counts as 1). The limit is applied to the raw input, before
 * normalisation, so it bounds what we do with it.
 */
import { normaliseForSearch, queryTermTokens } from './tokenize.js';

export const MAX_QUERY_CHARS = 100;

export interface SearchQuery {
  /** Canonical form for cache keys and ETags: the kept terms, space-separated, phrases quoted. */
  normalised: string;
  /** The FTS5 MATCH expression, or null when nothing is left to search for. */
  match: string | null;
  /** Each kept term's normalised text (a phrase's words joined by one space), for highlighting. */
  terms: string[];
}

export type ParsedSearchQuery = SearchQuery | { error: 'too-long' };

const QUOTES = new Set(['"', '\u201c', '\u201d']);

/** Code points in `s` (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Splits normalised text into terms: quoted phrases and whitespace-separated words. */
function splitTerms(text: string): { text: string; phrase: boolean }[] {
  const out: { text: string; phrase: boolean }[] = [];
  const pushWords = (s: string) => {
    for (const w of s.split(' ')) if (w !== '') out.push({ text: w, phrase: false });
  };
  let rest = text;
  for (;;) {
    const chars = Array.from(rest);
    const open = chars.findIndex((c) => QUOTES.has(c));
    if (open < 0) break;
    const close = chars.findIndex((c, i) => i > open && QUOTES.has(c));
    if (close < 0) {
      // An unpaired quote means nothing: drop it and read the rest as words.
      pushWords(chars.slice(0, open).join('') + ' ' + chars.slice(open + 1).join(''));
      return out;
    }
    pushWords(chars.slice(0, open).join(''));
    const inner = chars.slice(open + 1, close).join('').trim();
    if (inner !== '') out.push({ text: inner, phrase: true });
    rest = chars.slice(close + 1).join('');
  }
  pushWords(rest);
  return out;
}

/** One FTS5 string literal: double quotes around, inner double quotes doubled (FTS5 §3.1). */
export function fts5String(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function parseSearchQuery(raw: string): ParsedSearchQuery {
  const trimmed = raw.trim();
  if (codePointLength(trimmed) > MAX_QUERY_CHARS) return { error: 'too-long' };
  const normalisedText = normaliseForSearch(trimmed);
  const seen = new Set<string>();
  const phrases: string[] = [];
  const terms: string[] = [];
  const canonical: string[] = [];
  for (const term of splitTerms(normalisedText)) {
    const { tokens, prefix } = queryTermTokens(term.text);
    if (tokens.length === 0) continue;
    const phrase = fts5String(tokens.join(' ')) + (prefix ? '*' : '');
    if (seen.has(phrase)) continue;
    seen.add(phrase);
    phrases.push(phrase);
    terms.push(term.text);
    canonical.push(term.phrase && term.text.includes(' ') ? `"${term.text}"` : term.text);
  }
  return { normalised: canonical.join(' '), match: phrases.length > 0 ? phrases.join(' ') : null, terms };
}
