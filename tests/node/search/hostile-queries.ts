/**
 * Queries that would be FTS5 syntax (or break it) if passed through, with the MATCH each must
 * become: the literal words, quoted. Shared by the parser test and the real-D1 test (which runs
 * every one through FTS5 and checks the results equal those of the literal words).
 */
export interface HostileQuery {
  name: string;
  raw: string;
  /** Expected MATCH expression (null: nothing to search for). */
  match: string | null;
}

export const HOSTILE_QUERIES: readonly HostileQuery[] = [
  { name: 'a lone double quote', raw: '"', match: null },
  { name: 'an empty phrase', raw: '""', match: null },
  { name: 'three double quotes', raw: '"""', match: null },
  { name: 'a lone star', raw: '*', match: null },
  { name: 'a star after a word', raw: 'a*', match: '"a"' },
  { name: 'stars around a word', raw: '*华为*', match: '"华为"' },
  { name: 'a star after a two-character word', raw: '华为*', match: '"华为"' },
  { name: 'NEAR group', raw: 'NEAR(a b)', match: '"near a" "b"' },
  { name: 'NEAR group with a distance', raw: 'NEAR(苹果 芯片, 2)', match: '"near 苹果" "芯片" "2"' },
  { name: 'quoted NEAR group', raw: '"NEAR(a b)"', match: '"near a b"' },
  { name: 'full-width NEAR', raw: 'ＮＥＡＲ（华为）', match: '"near 华为"' },
  { name: 'OR', raw: '苹果 OR 芯片', match: '"苹果" "or" "芯片"' },
  { name: 'NOT', raw: '苹果 NOT 芯片', match: '"苹果" "not" "芯片"' },
  { name: 'AND', raw: '苹果 AND 芯片', match: '"苹果" "and" "芯片"' },
  { name: 'a trailing OR', raw: 'a OR', match: '"a" "or"' },
  { name: 'a bare NEAR', raw: 'NEAR', match: '"near"' },
  { name: 'a leading minus', raw: '-苹果', match: '"苹果"' },
  { name: 'a minus before a second term', raw: '苹果 -芯片', match: '"苹果" "芯片"' },
  { name: 'a caret', raw: '^苹果', match: '"苹果"' },
  { name: 'a column filter', raw: 'title:华为', match: '"title 华为"' },
  { name: 'a braced column filter', raw: '{title}:华为', match: '"title 华为"' },
  { name: 'a negated column filter', raw: '-title:华为', match: '"title 华为"' },
  { name: 'a spaced column filter', raw: 'body : 华为', match: '"body" "华为"' },
  { name: 'colons between words', raw: 'a:b:c', match: '"a b c"' },
  { name: 'parentheses', raw: '(华为)', match: '"华为"' },
  { name: 'an unbalanced parenthesis', raw: '华为)', match: '"华为"' },
  { name: 'only parentheses', raw: '((((', match: null },
  { name: 'an unbalanced quote at the start', raw: '"华为 手机', match: '"华为" "手机"' },
  { name: 'an unbalanced quote at the end', raw: '华为 手机"', match: '"华为" "手机"' },
  { name: 'a quote inside a word', raw: 'x"y', match: '"x" "y"' },
  { name: 'a phrase glued to words', raw: 'a"b c"d', match: '"a" "b c" "d"' },
  { name: 'backslash-escaped quotes', raw: '\\"华为\\"', match: '"华为"' },
  { name: 'stars in quotes', raw: '*"*"*', match: null },
  { name: 'NUL inside a word', raw: '华为\u0000手机', match: '"华为 为手 手机"' },
  { name: 'NUL alone', raw: '\u0000', match: null },
  { name: 'a lone high surrogate', raw: '华为\ud800', match: '"华为"' },
  { name: 'a lone low surrogate inside a word', raw: '芯\udc00片', match: '"芯片"' },
  { name: 'a right-to-left override', raw: '\u202e华为', match: '"华为"' },
  { name: 'SQL', raw: "'; DROP TABLE articles; --", match: '"drop" "table" "articles"' },
  { name: 'LIKE wildcards and a backslash', raw: '%_\\', match: null },
  { name: 'operators only', raw: '+ | && ||', match: null },
  { name: 'an emoji', raw: '🙂', match: null },
  { name: 'tabs and newlines', raw: '华为\n\t手机', match: '"华为" "手机"' },
];
