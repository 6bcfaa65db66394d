/**
 * Search tokenisation, shared by the upload (what goes into the FTS5 columns) and the Worker (what a
 * query becomes), so that both sides always agree. D1 cannot register a custom FTS5 tokenizer, so
 * the words are cut here and FTS5 only splits our output on spaces.
 *
 * The scheme (see src/search/README.md for the measurements behind it):
 *
 * - Normalisation, per character cluster (a code point plus the combining marks after it): NFKC
 *   (full-width `ＷＩＮ１１` becomes `WIN11`, half-width katakana becomes full-width, `①` becomes
 *   `1`), lower case (with final sigma folded to σ), NFKC again, `ß` as `ss`, and diacritics dropped (`é`
 *   is `e`, `ά` is `α`; only after a Latin or Greek letter, so Japanese dakuten, Indic vowel signs
 *   and Cyrillic `й` stay). Controls,
 *   format characters (soft hyphen, zero-width joiners, BOM) and lone surrogates are removed as if
 *   absent; NUL included.
 * - Han, kana, hangul and bopomofo ("CJK") have no spaces between words and most Chinese words are
 *   two characters long, so a run of CJK characters becomes its overlapping bigrams, followed by
 *   its last character alone: `华为手机` is `华为 为手 手机 机`. Every character therefore starts a
 *   token, which is what makes a one-character query a prefix query (`"机"*`, served by FTS5's
 *   1-character prefix index); a two-character query is one token; a longer one is a phrase of
 *   bigrams. (FTS5's `trigram` tokenizer cannot match queries shorter than three characters; a
 *   character-per-token index makes every two-character query a phrase over two huge doclists.)
 * - Everything else that is a letter or a digit forms words, split where letters meet digits
 *   (`win11` is `win 11`, so `Win11`, `Win 11` and `WIN-11` all match `win11`, and `iPhone 13`
 *   matches `iPhone13`). Words are cut to {@link MAX_TOKEN_CHARS} characters (base64 blobs and long
 *   URLs are not worth a long term; queries are cut the same way, so they still match).
 * - Punctuation, symbols and spaces only separate. Scripts written without spaces other than CJK
 *   (Thai, Lao, Khmer, Myanmar) become one token per run: they are found only by whole runs.
 *
 * The FTS5 table uses the `ascii` tokenizer: it splits on ASCII spaces and punctuation only and
 * leaves every non-ASCII character as it is, so our tokens (letters, digits, never ASCII
 * punctuation) reach the index unchanged, and SQLite's own Unicode tables (6.1) play no part.
 */

/** Longest word token, in code points; longer words are cut (in documents and queries alike). */
export const MAX_TOKEN_CHARS = 40;

/** What kind of token a span is. A CJK run yields bigrams then one `cjk-last` (its last character). */
export type TokenKind = 'word' | 'cjk-bigram' | 'cjk-last';

export interface TokenSpan {
  /** The normalised token as indexed. */
  token: string;
  kind: TokenKind;
  /** UTF-16 offsets of the token in the text that was scanned: [start, end). */
  start: number;
  end: number;
  /** End of the token's first character (of a bigram's first; else `end`). */
  firstEnd: number;
}

// ---------------------------------------------------------------------------------------------
// Character classes of normalised code points.

const SEP = 0;
const CJK = 1;
const LETTER = 2;
const DIGIT = 3;
/** A combining mark: continues the preceding word (or is dropped after a separator). */
const MARK = 4;
type CharClass = typeof SEP | typeof CJK | typeof LETTER | typeof DIGIT | typeof MARK;

const CJK_SCRIPT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const LETTER_OR_NUMBER_RE = /[\p{L}\p{N}]/u;
const LETTER_RE = /\p{L}/u;
const NUMBER_RE = /\p{N}/u;
const MARK_RE = /\p{M}/u;
/** Removed as if absent: controls (but whitespace, handled first), format characters, lone surrogates. */
const INVISIBLE_RE = /[\p{Cc}\p{Cf}\p{Cs}]/u;
/** JavaScript's \s without U+FEFF (a BOM is invisible, not a space). */
const WHITESPACE_RE = /[^\S\ufeff]/u;

const classCache = new Map<number, CharClass>();

function classify(cp: number): CharClass {
  // Fast paths: ASCII, and the CJK Unified Ideographs block (the bulk of Chinese text).
  if (cp < 0x80) {
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return LETTER;
    if (cp >= 0x30 && cp <= 0x39) return DIGIT;
    return SEP;
  }
  if (cp >= 0x4e00 && cp <= 0x9fff) return CJK;
  const cached = classCache.get(cp);
  if (cached !== undefined) return cached;
  const ch = String.fromCodePoint(cp);
  let cls: CharClass;
  // U+30FC (katakana-hiragana prolonged sound mark) is script Common but is part of kana words.
  if (cp === 0x30fc || (CJK_SCRIPT_RE.test(ch) && LETTER_OR_NUMBER_RE.test(ch))) cls = CJK;
  else if (LETTER_RE.test(ch)) cls = LETTER;
  else if (NUMBER_RE.test(ch)) cls = DIGIT;
  else if (MARK_RE.test(ch)) cls = MARK;
  else cls = SEP;
  if (classCache.size < 50_000) classCache.set(cp, cls);
  return cls;
}

// ---------------------------------------------------------------------------------------------
// Per-cluster normalisation.

/** Non-spacing marks after a Latin or Greek letter are diacritics to drop (`é` → `e`, `ά` → `α`). */
const DIACRITIC_RE = /([\p{Script=Latin}\p{Script=Greek}])\p{Mn}+/gu;
const NONSPACING_MARK_RE = /\p{Mn}/u;
const LEADING_MARKS_RE = /^\p{M}+/u;
const normCache = new Map<string, string>();

/** Normalises one cluster; '' for invisible ones, ' ' for whitespace. */
function normaliseCluster(cluster: string): string {
  const cached = normCache.get(cluster);
  if (cached !== undefined) return cached;
  let out: string;
  if (WHITESPACE_RE.test(cluster[0] ?? '')) out = ' ';
  else {
    out = cluster.normalize('NFKC').toLowerCase().normalize('NFKC').replace(/ς/g, 'σ').replace(/ß/g, 'ss');
    const decomposed = out.normalize('NFD');
    if (NONSPACING_MARK_RE.test(decomposed)) out = decomposed.replace(DIACRITIC_RE, '$1').normalize('NFC');
    // Invisible code points vanish wherever they are in the cluster (a lone surrogate, a BOM).
    if (INVISIBLE_RE.test(out)) out = Array.from(out).filter((c) => !INVISIBLE_RE.test(c) || WHITESPACE_RE.test(c)).join('');
    // Marks whose base was removed (or that had none) go too; otherwise, once the invisible base
    // is gone, they would attach to the character before it.
    out = out.replace(LEADING_MARKS_RE, '');
    // Whitespace that NFKC produced (U+3000 ideographic space is caught above) becomes one space.
    out = out.replace(/\s+/gu, ' ');
  }
  if (normCache.size < 20_000) normCache.set(cluster, out);
  return out;
}

/** True for code points that join the cluster of the code point before them. */
function joinsCluster(cp: number): boolean {
  if (cp < 0x300) return false;
  // Half-width (semi-)voiced sound marks compose with the katakana before them under NFKC.
  if (cp === 0xff9e || cp === 0xff9f) return true;
  if (cp >= 0x4e00 && cp <= 0x9fff) return false;
  return MARK_RE.test(String.fromCodePoint(cp));
}

/**
 * Walks `text` cluster by cluster, calling `visit(normalised, start, end)` with each cluster's
 * normalised form and its UTF-16 span in `text`. Lone surrogates are clusters of their own.
 */
function forEachCluster(text: string, visit: (normalised: string, start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const c0 = text.charCodeAt(i);
    // Fast path: ASCII letters/digits/punctuation and common CJK ideographs normalise to themselves
    // (ASCII upper case aside) and never start a multi-code-point cluster unless a mark follows.
    let cp = c0;
    if (c0 >= 0xd800 && c0 <= 0xdbff && i + 1 < n) {
      const c1 = text.charCodeAt(i + 1);
      if (c1 >= 0xdc00 && c1 <= 0xdfff) cp = ((c0 - 0xd800) << 10) + (c1 - 0xdc00) + 0x10000;
    }
    i += cp > 0xffff ? 2 : 1;
    // Attach following combining marks.
    while (i < n) {
      const d0 = text.charCodeAt(i);
      let dcp = d0;
      if (d0 >= 0xd800 && d0 <= 0xdbff && i + 1 < n) {
        const d1 = text.charCodeAt(i + 1);
        if (d1 >= 0xdc00 && d1 <= 0xdfff) dcp = ((d0 - 0xd800) << 10) + (d1 - 0xdc00) + 0x10000;
      }
      if (!joinsCluster(dcp)) break;
      i += dcp > 0xffff ? 2 : 1;
    }
    if (i - start === 1) {
      if (c0 < 0x80) {
        if (c0 >= 0x41 && c0 <= 0x5a) visit(String.fromCharCode(c0 + 32), start, i);
        else if (c0 === 0x20 || (c0 >= 0x09 && c0 <= 0x0d)) visit(' ', start, i);
        else if (c0 < 0x20 || c0 === 0x7f) visit('', start, i);
        else visit(text[start] as string, start, i);
        continue;
      }
      if (c0 >= 0x4e00 && c0 <= 0x9fff) {
        visit(text[start] as string, start, i);
        continue;
      }
    }
    visit(normaliseCluster(text.slice(start, i)), start, i);
  }
}

/**
 * The text as queries are compared and cached: clusters normalised as above, whitespace runs
 * collapsed to one space, trimmed. Punctuation is kept (it separates words).
 */
export function normaliseForSearch(text: string): string {
  let out = '';
  forEachCluster(text, (s) => {
    out += s;
  });
  return out.replace(/ {2,}/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Tokens.

/**
 * Calls `emit` for every token of `text` in order, with spans in `text`. This is the single
 * definition of what is indexed; {@link indexTokens}, {@link tokenSpans} and the query parser
 * all go through it.
 */
function scan(
  text: string,
  emit: (token: string, kind: TokenKind, start: number, end: number, firstEnd: number) => void,
): void {
  // Current word: its characters so far (capped), its class (LETTER or DIGIT), its span.
  let word = '';
  let wordLen = 0;
  let wordClass: CharClass = SEP;
  let wordStart = -1;
  let wordEnd = -1;
  // Current CJK run: the previous character and its span.
  let prevCjk = '';
  let prevStart = -1;
  let prevEnd = -1;

  const flushWord = () => {
    if (wordStart >= 0) emit(word, 'word', wordStart, wordEnd, wordEnd);
    word = '';
    wordLen = 0;
    wordClass = SEP;
    wordStart = -1;
  };
  const flushCjk = () => {
    if (prevStart >= 0) emit(prevCjk, 'cjk-last', prevStart, prevEnd, prevEnd);
    prevCjk = '';
    prevStart = -1;
  };

  forEachCluster(text, (norm, start, end) => {
    // A cluster may normalise to several code points (`㍻` → `平成`); they share its span.
    for (const ch of norm) {
      const cls = classify(ch.codePointAt(0) as number);
      if (cls === CJK) {
        flushWord();
        if (prevStart >= 0) emit(prevCjk + ch, 'cjk-bigram', prevStart, end, prevEnd);
        prevCjk = ch;
        prevStart = start;
        prevEnd = end;
      } else if (cls === LETTER || cls === DIGIT || (cls === MARK && wordStart >= 0)) {
        flushCjk();
        const effective = cls === MARK ? wordClass : cls;
        if (wordStart >= 0 && effective !== wordClass) flushWord();
        if (wordStart < 0) {
          wordStart = start;
          wordClass = effective;
        }
        if (wordLen < MAX_TOKEN_CHARS) {
          word += ch;
          wordLen++;
        }
        wordEnd = end;
      } else if (cls === SEP) {
        // Spaces, punctuation, symbols. A mark with no word to attach to (after CJK, after a
        // separator) is ignored, like invisible characters, which normalise to ''.
        flushWord();
        flushCjk();
      }
    }
  });
  flushWord();
  flushCjk();
}

/** Every token of `text` with its span in `text` (for highlighting). */
export function tokenSpans(text: string): TokenSpan[] {
  const out: TokenSpan[] = [];
  scan(text, (token, kind, start, end, firstEnd) => {
    out.push({ token, kind, start, end, firstEnd });
  });
  return out;
}

/** What goes into an FTS5 column for a title or a body: the tokens, space-separated. */
export function indexTokens(text: string): string {
  const parts: string[] = [];
  scan(text, (token) => {
    parts.push(token);
  });
  return parts.join(' ');
}

/**
 * The tokens a query term must match, in order (a phrase), and whether the last one is a prefix.
 * A term is matched wherever its text occurs, even inside a longer CJK run, so a CJK run at the
 * end of the term does not end with its lone last character (the document's run may go on:
 * `华为` must match `华为手机`, whose tokens are `华为 为手 手机 机`); a term ending in a single CJK
 * character matches it as the first character of any token (`"机"*`). Returns no tokens for a
 * term without letters or digits.
 */
export function queryTermTokens(term: string): { tokens: string[]; prefix: boolean } {
  const spans = tokenSpans(term);
  const last = spans[spans.length - 1];
  if (last === undefined) return { tokens: [], prefix: false };
  let prefix = false;
  if (last.kind === 'cjk-last') {
    const before = spans[spans.length - 2];
    if (before !== undefined && before.kind === 'cjk-bigram') spans.pop();
    else prefix = true;
  }
  return { tokens: spans.map((s) => s.token), prefix };
}
