/**
 * A fast path for the YAML that post generators write: top-level `key: value` lines whose values
 * are single-quoted or plain one-line scalars, or block lists of such scalars. eemeli/yaml takes
 * about 45 µs for a typical front matter; this takes a few, and over 100k posts that is most of
 * the parse time.
 *
 * It gives exactly what `parseYamlMapping` would (a differential fuzz test holds it to that) or
 * null, and then the caller uses `parseYamlMapping`. So everything else — aliases, anchors, tags,
 * flow collections, double quotes, block scalars, comments, multi-line scalars, tabs, duplicate
 * keys, numbers other than plain decimal integers — goes through the full parser and its limits.
 */
import type { YamlMapping } from './safe-yaml.js';

// Characters outside YAML's printable set (YAML 1.2 §5.1), tabs, CR and the other line and
// paragraph separators (left to the full parser), and lone surrogates.
const UNSUPPORTED =
  /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// YAML limits implicit keys to 1024 characters; real field names are short.
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)' *$/;
// YAML 1.2 c-indicator: a plain scalar may not start with one (we do not try the `-x` cases).
const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`]/;
// Core schema (yaml/dist/schema/core, common/null.js).
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const DEC_INT = /^[-+]?[0-9]+$/;
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

const FALLBACK = Symbol('fallback');

/** A one-line scalar as the core schema reads it, or FALLBACK. */
function scalar(text: string): unknown {
  const quoted = SINGLE_QUOTED.exec(text);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  const plain = text.replace(/ +$/, '');
  if (plain === '' || INDICATOR_FIRST.test(plain) || plain.includes(': ') || plain.includes(' #') || plain.endsWith(':')) {
    return FALLBACK;
  }
  if (NULL.test(plain)) return null;
  if (BOOL.test(plain)) return plain[0] === 't' || plain[0] === 'T';
  if (DEC_INT.test(plain)) return parseInt(plain, 10);
  if (OTHER_NUMBER.test(plain)) return FALLBACK;
  return plain;
}

/** Keys that the core schema would read as something other than the same string. */
const isPlainStringKey = (key: string) => !NULL.test(key) && !BOOL.test(key) && !DEC_INT.test(key) && !OTHER_NUMBER.test(key);

/** The mapping `parseYamlMapping(text)` would give, or null when `text` needs the full parser. */
export function parseSimpleMapping(text: string): YamlMapping | null {
  if (UNSUPPORTED.test(text)) return null;
  const lines = text.split('\n');
  const fields = new Map<string, unknown>();
  const lineOf = new Map<string, number>();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^ *$/.test(line)) {
      i++;
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (!m) return null;
    const key = m[1]!;
    if (fields.has(key) || !isPlainStringKey(key)) return null;
    const rest = (m[2] ?? '').replace(/ +$/, '');
    lineOf.set(key, i + 1);
    i++;
    if (rest !== '') {
      const value = scalar(rest);
      if (value === FALLBACK) return null;
      fields.set(key, value);
      continue;
    }
    // `key:` alone: a block list on the following lines, or null.
    const items: unknown[] = [];
    let indent: number | null = null;
    for (; i < lines.length; i++) {
      const item = ITEM_LINE.exec(lines[i]!);
      if (!item) break;
      if (indent === null) indent = item[1]!.length;
      else if (item[1]!.length !== indent) return null;
      const value = scalar(item[2]!);
      if (value === FALLBACK) return null;
      items.push(value);
    }
    fields.set(key, items.length > 0 ? items : null);
  }
  return { fields, lines: lineOf, warnings: [] };
}
