/**
 * YAML for untrusted front matter and site configs: the `yaml` package (eemeli/yaml v2) with the
 * YAML 1.2 core schema, so timestamps stay strings (read later in the configured zone) and there
 * are no merge keys or custom tags; a bound on alias expansion (billion-laughs: each alias may
 * stand for a whole tree, so 12 nested levels are 2¹² copies); and circular aliases refused.
 * Top-level keys come back in a `Map` and nested mappings as `Map`s (`mapAsMap`), so a key such
 * as `__proto__` is just a string. https://eemeli.org/yaml/#options
 */
import { parseSimpleMapping } from './simple-yaml.js';
import { type Document, LineCounter, type Node, isAlias, isMap, isScalar, parseDocument, visit } from 'yaml';

/** Alias expansions allowed per field (yaml's own default; plenty for real front matter). */
export const MAX_ALIAS_COUNT = 100;

/** A YAML text that cannot be used; `line` is 1-based in the YAML text when known. */
export class YamlProblem extends Error {
  constructor(
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = 'YamlProblem';
  }
}

export interface YamlMapping {
  /** Top-level fields by key; values as the core schema gives them, mappings as `Map`s. */
  fields: Map<string, unknown>;
  /** 1-based line (in the YAML text) of each top-level key, and of each `key.subkey` one level down. */
  lines: Map<string, number>;
  /** Non-fatal notes from the parser (unknown tags …), each naming its line. */
  warnings: string[];
}

function lineOf(lineCounter: LineCounter, node: { range?: readonly number[] | null } | null | undefined): number | null {
  const offset = node?.range?.[0];
  if (typeof offset !== 'number') return null;
  const { line } = lineCounter.linePos(offset);
  return line > 0 ? line : 1;
}

/** Refuses aliases to no earlier anchor and aliases inside the node they name (cycles). */
function checkAliases(doc: Document, lineCounter: LineCounter): void {
  const anchors = new Map<string, Node>();
  const problems: YamlProblem[] = [];
  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) {
          problems.push(new YamlProblem(lineOf(lineCounter, node), `alias *${node.source} names no anchor defined before it`));
          return visit.BREAK;
        }
        if (path.includes(target)) {
          problems.push(new YamlProblem(lineOf(lineCounter, node), `alias *${node.source} is inside the node it names (a circular alias)`));
          return visit.BREAK;
        }
        return undefined;
      }
      // The last anchor of a name before an alias is the one it names (YAML 1.2 §3.2.2.2).
      if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  if (problems[0]) throw problems[0];
}

/**
 * Parses a YAML text whose top level must be a mapping (or empty: no fields). Throws a
 * `YamlProblem` naming the line for syntax errors, duplicate keys, a top level that is not a
 * mapping, circular or dangling aliases, and alias expansion beyond `MAX_ALIAS_COUNT`.
 */
export function parseYamlMapping(text: string, what = 'the YAML', options: { fastPath?: boolean } = {}): YamlMapping {
  // Generator-written front matter takes the fast path; anything it does not fully understand
  // (aliases included) comes here.
  if (options.fastPath !== false) {
    const simple = parseSimpleMapping(text);
    if (simple) return simple;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'core',
    version: '1.2',
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    // Explicit YAML 1.1 tags (`!!timestamp`, `!!binary`, `!!set` …) stay unresolved strings.
    resolveKnownTags: false,
  });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new YamlProblem(line > 0 ? line : 1, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  const warnings = doc.warnings.map((w) => `line ${Math.max(1, lineCounter.linePos(w.pos[0]).line)}: ${w.message.split('\n')[0]}`);
  const fields = new Map<string, unknown>();
  const lines = new Map<string, number>();
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { fields, lines, warnings };
  if (!isMap(root)) throw new YamlProblem(lineOf(lineCounter, root) ?? 1, `${what} is not a mapping of fields`);
  checkAliases(doc, lineCounter);
  for (const pair of root.items) {
    // Only plain scalar keys name fields (`2021:` is the field "2021"); `? [a]: b` names none.
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const line = lineOf(lineCounter, pair.key) ?? 1;
    let value: unknown = null;
    if (pair.value) {
      try {
        value = (pair.value as Node).toJS(doc, { mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        if (error instanceof ReferenceError && /alias count/i.test(error.message)) {
          throw new YamlProblem(line, `\`${key}\` expands YAML aliases more than ${MAX_ALIAS_COUNT} times (an alias bomb?); refused`);
        }
        throw new YamlProblem(line, `\`${key}\`: ${(error as Error).message}`);
      }
    }
    fields.set(key, value);
    lines.set(key, line);
    // One level down too (`abbrlink.alg`), so that a config error can name its own line.
    if (isMap(pair.value)) {
      for (const inner of pair.value.items) {
        if (isScalar(inner.key)) lines.set(`${key}.${String(inner.key.value)}`, lineOf(lineCounter, inner.key) ?? line);
      }
    }
  }
  return { fields, lines, warnings };
}
