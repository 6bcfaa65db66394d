/**
 * Categories and tags from front matter, as Hexo reads them.
 *
 * Hexo (lib/plugins/processor/post.ts) takes `categories` (or `category` when `categories` is
 * falsy), turns a non-list into a one-item list, and hands it to `Post#setCategories`
 * (lib/models/post.ts), which drops `null`/`''` items (inside nested lists too), stringifies the
 * rest, and then:
 *   - if no item is a list, the whole list is ONE hierarchy: `[新媒体, ZAKER, channel]` is
 *     新媒体 › ZAKER › channel;
 *   - if any item is a list, EVERY item is its own hierarchy: `[[a, b], c]` is a › b and c.
 * Tags (`tags`, or `tag`) are a flat set of names (`Post#setTags`).
 *
 * Where Hexo would quietly stringify nonsense we refuse it: a mapping (`[object Object]` in
 * Hexo) or a list nested three deep (`a,b` in Hexo) throws a `FieldProblem`. Nested tag lists are
 * flattened rather than joined with commas.
 */

/** A front-matter value that cannot be read; the caller adds file and line. */
export class FieldProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FieldProblem';
  }
}

/** JavaScript truthiness, as Hexo's `data.categories || []` applies it. */
function truthy(value: unknown): boolean {
  return Boolean(value);
}

/** Hexo's `${name}` for a scalar; containers are refused. */
function nameOf(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) throw new FieldProblem(`\`${field}\` nests lists more than two levels deep`);
  if (value instanceof Map) throw new FieldProblem(`\`${field}\` contains a mapping, not names`);
  throw new FieldProblem(`\`${field}\` contains a value that is not a name`);
}

const isPresent = (value: unknown) => value !== null && value !== undefined && value !== '';

/**
 * The post's category hierarchies (each a path from a top-level category down), empty and
 * duplicate hierarchies removed, order kept. `categoriesValue`/`categoryValue` are the
 * front-matter `categories` and `category` values (undefined when absent).
 */
export function hexoCategories(categoriesValue: unknown, categoryValue?: unknown): string[][] {
  let value = categoriesValue;
  if (!truthy(value) && truthy(categoryValue)) value = categoryValue;
  if (!truthy(value)) return [];
  if (value instanceof Map) throw new FieldProblem('`categories` is a mapping; write a list of names');
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const cleaned: (string | string[])[] = [];
  for (const item of items) {
    if (Array.isArray(item)) cleaned.push(item.filter(isPresent).map((n) => nameOf(n, 'categories')));
    else if (isPresent(item)) cleaned.push(nameOf(item, 'categories'));
  }
  const hierarchies = cleaned.some(Array.isArray)
    ? cleaned.map((c) => (Array.isArray(c) ? c : [c]))
    : [cleaned as string[]];
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const h of hierarchies) {
    if (h.length === 0) continue;
    const key = JSON.stringify(h);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(h);
  }
  return out;
}

/** The post's tags: flattened, `null`/`''` dropped, stringified, duplicates removed, order kept. */
export function hexoTags(tagsValue: unknown, tagValue?: unknown): string[] {
  let value = tagsValue;
  if (!truthy(value) && truthy(tagValue)) value = tagValue;
  if (!truthy(value)) return [];
  if (value instanceof Map) throw new FieldProblem('`tags` is a mapping; write a list of names');
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (item: unknown, depth: number) => {
    if (Array.isArray(item)) {
      if (depth > 2) throw new FieldProblem('`tags` nests lists more than two levels deep');
      for (const inner of item) visit(inner, depth + 1);
      return;
    }
    if (!isPresent(item)) return;
    const name = nameOf(item, 'tags');
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  };
  visit(Array.isArray(value) ? value : [value], 1);
  return out;
}
