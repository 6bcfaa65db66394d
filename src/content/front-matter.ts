/**
 * Parses a Hexo post (YAML front matter + HTML body) into a `ParsedArticle`.
 *
 * Real files start with a blank line before `---` (the RSSHub generator writes `\n---\n`), some
 * editors add a BOM or CRLF endings: all are accepted, and error lines count them. A file is
 * refused (`PostError` naming file and line) when its path or YAML is unusable, the title is
 * missing, a date is impossible or unreadable, `categories`/`tags` hold mappings, or `abbrlink`
 * is not a link. Odd but harmless values (HTML in a title, a `javascript:` headimg, an unknown
 * `lang`) are kept as text or dropped with a warning, because they are made safe where shown.
 */
import type { ParsedArticle } from './article.js';
import { isValidTimeZone, readDateValue } from './dates.js';
import { canonicalLanguageTag } from './language.js';
import { YamlProblem, parseYamlMapping } from './safe-yaml.js';
import { pathProblem, slugFromPath } from './slug.js';
import { readAbbrlinkValue } from '../hexo/abbrlink.js';
import { slugize } from '../hexo/slugize.js';
import { FieldProblem, hexoCategories, hexoTags } from '../hexo/taxonomy.js';

export interface ParseOptions {
  /** IANA zone for dates without a zone (`--timezone`, or Hexo's `timezone`); default UTC. */
  timeZone?: string;
}

export interface ParseResult {
  article: ParsedArticle;
  warnings: string[];
}

/** A file that cannot be uploaded: `line` is 1-based in the original file when known. */
export class PostError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'PostError';
  }
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

const UNSAFE_URL = /^\s*(?:javascript|vbscript|data|file):/i;
const FENCE_OPEN = /^---[ \t]*\n/;
const FENCE_CLOSE = /\n---[ \t]*(?:\n|$)/g;

/**
 * Parses the post at `relPath` (its path under the posts root, `/`-separated: it gives the slug
 * and names the file in errors) from its `source` text.
 */
export function parsePost(relPath: string, source: string, options: ParseOptions = {}): ParseResult {
  const file = relPath;
  const problem = pathProblem(relPath);
  if (problem) throw new PostError(file, null, `the path ${problem}`);
  const timeZone = options.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new RangeError(`parsePost: unknown time zone ${JSON.stringify(timeZone)}`);
  const warnings: string[] = [];

  // A BOM and blank lines may precede the opening fence; remember how many lines were skipped.
  let input = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  if (input.includes('\r')) input = input.replace(/\r\n?/g, '\n');
  const leading = /^(?:[ \t]*\n)*/.exec(input)![0];
  const skippedLines = leading.length === 0 ? 0 : leading.split('\n').length - 1;
  input = input.slice(leading.length);
  const open = FENCE_OPEN.exec(input);
  if (!open) throw new PostError(file, skippedLines + 1, 'no front matter: the file must start with a `---` line');
  FENCE_CLOSE.lastIndex = open[0].length - 1;
  const close = FENCE_CLOSE.exec(input);
  if (!close) throw new PostError(file, skippedLines + 1, 'front matter is not closed by a `---` line');
  const yamlText = input.slice(open[0].length, close.index + 1);
  const body = input.slice(close.index + close[0].length);
  // Line n of the YAML text is this line of the file (line 1 is the one after the fence).
  const fileLine = (yamlLine: number) => skippedLines + 1 + yamlLine;

  let parsed: ReturnType<typeof parseYamlMapping>;
  try {
    parsed = parseYamlMapping(yamlText, 'front matter');
  } catch (error) {
    if (error instanceof YamlProblem) {
      const reason = error.reason.replace(/^invalid YAML:/, 'invalid YAML front matter:');
      throw new PostError(file, error.line === null ? null : fileLine(error.line), reason);
    }
    throw error;
  }
  const { fields, lines } = parsed;
  const lineOf = (...keys: string[]) => {
    for (const key of keys) {
      const line = lines.get(key);
      if (line !== undefined) return fileLine(line);
    }
    return skippedLines + 1;
  };
  for (const w of parsed.warnings) warnings.push(`front matter ${w.replace(/^line (\d+)/, (_m, n: string) => `line ${fileLine(Number(n))}`)}`);

  // The title as written, spaces included: hexo-abbrlink computes a post's abbrlink from exactly
  // this string (Hexo does not trim it), and HTML shows surrounding spaces as nothing anyway.
  const rawTitle = fields.get('title');
  const title = typeof rawTitle === 'string' ? (rawTitle.trim() === '' ? null : rawTitle) : text(rawTitle);
  if (title === null) throw new PostError(file, lineOf('title'), 'missing or empty `title`');
  if (/[<>]/.test(title)) warnings.push('title contains markup; it is shown as text');

  const date = (key: 'date' | 'updated') => {
    const result = readDateValue(fields.get(key), timeZone);
    if (!result.ok) throw new PostError(file, lineOf(key), `invalid \`${key}\`: ${result.problem}`);
    return result.iso;
  };

  let categories: string[][];
  let tags: string[];
  try {
    categories = hexoCategories(fields.get('categories'), fields.get('category'));
  } catch (error) {
    if (error instanceof FieldProblem) throw new PostError(file, lineOf('categories', 'category'), error.reason);
    throw error;
  }
  try {
    tags = hexoTags(fields.get('tags'), fields.get('tag'));
  } catch (error) {
    if (error instanceof FieldProblem) throw new PostError(file, lineOf('tags', 'tag'), error.reason);
    throw error;
  }
  for (const name of new Set([...categories.flat(), ...tags])) {
    if (slugize(name) === '') warnings.push(`the category or tag ${JSON.stringify(name)} has nothing to put in a URL; its page path would be empty`);
  }

  const abbrlink = readAbbrlinkValue(fields.get('abbrlink'));
  if (!abbrlink.ok) throw new PostError(file, lineOf('abbrlink'), abbrlink.problem);

  let lang: string | null = null;
  const langKey = fields.get('lang') !== undefined && fields.get('lang') !== null ? 'lang' : 'language';
  const langValue = fields.get(langKey);
  if (langValue !== undefined && langValue !== null && langValue !== '') {
    lang = typeof langValue === 'string' ? canonicalLanguageTag(langValue) : null;
    if (lang === null) warnings.push(`\`${langKey}\` ${JSON.stringify(String(langValue))} is not a language tag; the site's language is used`);
  }

  const image = (field: 'headimg' | 'thumbnail'): string | null => {
    const value = text(fields.get(field));
    if (value !== null && UNSAFE_URL.test(value)) {
      warnings.push(`${field} has an unsafe URL scheme; it is not shown`);
      return null;
    }
    return value;
  };

  const article: ParsedArticle = {
    slug: slugFromPath(relPath),
    title,
    date: date('date'),
    updated: date('updated'),
    author: text(fields.get('author')),
    categories,
    tags,
    abbrlink: abbrlink.abbrlink,
    lang,
    headimg: image('headimg'),
    thumbnail: image('thumbnail'),
    body,
  };
  return { article, warnings };
}
