/**
 * Parses a Hexo post (YAML front matter + HTML body) into an Article.
 *
 * Real files start with a blank line before `---` (the RSSHub generator writes `\n---\n`), some
 * editors add a BOM or CRLF endings: all are accepted. Only a missing or empty title makes a file
 * invalid; odd values (HTML in a title, a `javascript:` headimg, an unparseable date) are kept as
 * text or dropped with a warning, because they are made safe where they are shown.
 */
import matter from 'gray-matter';
import yaml from 'js-yaml';
import type { Article } from './article.js';
import { parsePostDate } from './dates.js';
import { slugProblem } from './slug.js';

export interface ParseOptions {
  /** IANA zone for YAML timestamps without an offset (Hexo's `timezone`); default UTC. */
  timeZone?: string;
}

export interface ParseResult {
  article: Article;
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

/** The file name without `.md`: Chinese, spaces and all. */
export function slugFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.md$/i, '');
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return null;
}

/** `categories`/`tags` may be a list, a single string, or Hexo's nested lists. */
function stringList(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else {
      const t = text(v);
      if (t !== null && !out.includes(t)) out.push(t);
    }
  };
  visit(value);
  return out;
}

const UNSAFE_URL = /^\s*(?:javascript|vbscript|data|file):/i;

export function parsePost(fileName: string, source: string, options: ParseOptions = {}): ParseResult {
  const warnings: string[] = [];
  const slug = slugFromFileName(fileName);
  const problem = slugProblem(slug);
  if (problem) throw new PostError(fileName, null, `file name ${problem}`);

  // Strip a BOM and blank lines before the opening fence, remembering how many lines we skipped.
  let input = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const leading = /^(?:[ \t]*\n)*/.exec(input)?.[0] ?? '';
  const skippedLines = leading.split('\n').length - 1;
  input = input.slice(leading.length);
  if (!/^---[ \t]*\n/.test(input)) {
    throw new PostError(fileName, skippedLines + 1, 'no front matter: the file must start with a `---` line');
  }
  const close = /\n---[ \t]*(?:\n|$)/.exec(input.slice(3));
  if (!close) throw new PostError(fileName, skippedLines + 1, 'front matter is not closed by a `---` line');

  let data: Record<string, unknown>;
  let body: string;
  try {
    // CORE_SCHEMA keeps timestamps as strings so we read them in the configured timezone.
    const parsed = matter(input, {
      engines: { yaml: (s: string) => yaml.load(s, { schema: yaml.CORE_SCHEMA }) as object },
    });
    data = (parsed.data ?? {}) as Record<string, unknown>;
    body = parsed.content;
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    // gray-matter hands js-yaml the text from the end of the `---` line (a leading newline
    // included), so js-yaml's 0-based line counts from the fence line itself.
    const line = typeof mark?.line === 'number' ? skippedLines + 1 + mark.line : null;
    throw new PostError(fileName, line, `invalid YAML front matter: ${reason}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PostError(fileName, skippedLines + 2, 'front matter is not a mapping of fields');
  }

  const title = text(data.title);
  if (title === null) {
    const titleLine = input.split('\n').findIndex((l) => /^title\s*:/.test(l));
    throw new PostError(fileName, titleLine >= 0 ? skippedLines + titleLine + 1 : skippedLines + 1, 'missing or empty `title`');
  }
  if (/[<>]/.test(title)) warnings.push('title contains markup; it is shown as text');

  let date: string | null = null;
  if (data.date !== undefined && data.date !== null) {
    date = parsePostDate(data.date, options.timeZone);
    if (date === null) warnings.push(`unparseable date ${JSON.stringify(String(data.date))}; the post has no date`);
  }

  const image = (field: 'headimg' | 'thumbnail'): string | null => {
    const value = text(data[field]);
    if (value !== null && UNSAFE_URL.test(value)) {
      warnings.push(`${field} has an unsafe URL scheme; it is not shown`);
      return null;
    }
    return value;
  };

  const article: Article = {
    slug,
    title,
    date,
    author: text(data.author),
    categories: stringList(data.categories),
    tags: stringList(data.tags),
    headimg: image('headimg'),
    thumbnail: image('thumbnail'),
    body,
  };
  return { article, warnings };
}
