/**
 * The parts of a Hexo `_config.yml` this project uses, with Hexo's defaults
 * (lib/hexo/default_config.ts), hexo-abbrlink's (`alg: crc16`, `rep: dec`) and the search
 * generator's (hexo-generator-search / hexo-generator-searchdb: `path: search.xml`,
 * `field: post`, `format: html`, `content: true`). Keys this project does not use (`theme`,
 * `deploy` …) are ignored; a bad value of a key it uses is a `HexoConfigError` naming the file
 * and line. Parsed like front matter: core schema, bounded aliases (`parseYamlMapping`).
 */
import { isValidTimeZone } from '../content/dates.js';
import { canonicalLanguageTag } from '../content/language.js';
import { YamlProblem, parseYamlMapping } from '../content/safe-yaml.js';
import type { AbbrlinkAlg, AbbrlinkRep } from './abbrlink.js';
import { DEFAULT_PERMALINK, unsupportedPermalinkToken } from './permalink.js';

export type SearchField = 'post' | 'page' | 'all';
export type SearchFormat = 'html' | 'striptags' | 'raw' | 'excerpt' | 'more';

export interface HexoSiteConfig {
  title: string;
  subtitle: string;
  description: string;
  author: string;
  /** BCP 47 tag, canonical (`zh_CN` → `zh-CN`); the first of a list. */
  language: string;
  /** Canonical IANA zone, or null when unset or empty (Hexo then uses the machine's zone). */
  timezone: string | null;
  /** Without a trailing `/`. */
  url: string;
  /** Ends with exactly one `/`; from the `url`'s path when not set. */
  root: string;
  /** Posts per list page; 0 means no pagination. */
  per_page: number;
  /** The home page's own `index_generator.per_page` (defaults to `per_page`). */
  index_per_page: number;
  permalink: string;
  pagination_dir: string;
  category_dir: string;
  tag_dir: string;
  archive_dir: string;
  default_category: string;
  filename_case: 0 | 1 | 2;
  category_map: Map<string, string>;
  tag_map: Map<string, string>;
  abbrlink: { alg: AbbrlinkAlg; rep: AbbrlinkRep };
  /** Null when the config has no `search` section. */
  search: { path: string; field: SearchField; format: SearchFormat; limit: number | null; content: boolean } | null;
}

export class HexoConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'HexoConfigError';
  }
}

const describe = (value: unknown) =>
  value instanceof Map ? 'a mapping' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? JSON.stringify(value) : String(value);

/**
 * Parses and validates `yamlText` (the contents of `file`, named in errors). Throws
 * `HexoConfigError` for invalid YAML, alias bombs and bad values.
 */
export function readHexoConfig(yamlText: string, file: string): HexoSiteConfig {
  let parsed: ReturnType<typeof parseYamlMapping>;
  try {
    parsed = parseYamlMapping(yamlText.replace(/^\uFEFF/, ''), 'the config');
  } catch (error) {
    if (error instanceof YamlProblem) throw new HexoConfigError(file, error.line, error.reason);
    throw error;
  }
  const { fields, lines } = parsed;
  // `key` may name a nested value (`abbrlink.alg`): its own line, else its section's.
  const fail = (key: string, reason: string): never => {
    const line = lines.get(key) ?? lines.get(key.split('.')[0]!) ?? null;
    throw new HexoConfigError(file, line, `\`${key}\` ${reason}`);
  };

  /** The value of `key` (`a.b` for a nested one). */
  const get = (key: string): unknown => {
    const [top, sub] = key.split('.');
    const value = fields.get(top!);
    return sub === undefined ? value : value instanceof Map ? value.get(sub) : undefined;
  };
  const text = (key: string, fallback: string, value: unknown = get(key)): string => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return fail(key, `must be a text, not ${describe(value)}`);
  };
  const count = (key: string, fallback: number, min = 0): number => {
    const value = get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
    return fail(key, `must be a whole number ≥ ${min}, not ${describe(value)}`);
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = get(key);
    if (value === undefined || value === null || value === '') return fallback;
    const s = typeof value === 'string' ? value.trim() : value;
    if (typeof s === 'string' && (allowed as readonly string[]).includes(s)) return s as T;
    return fail(key, `must be one of ${allowed.join(', ')}, not ${describe(value)}`);
  };
  const section = (key: string): Map<unknown, unknown> => {
    const value = fields.get(key);
    if (value === undefined || value === null) return new Map();
    if (value instanceof Map) return value;
    return fail(key, `must be a mapping, not ${describe(value)}`);
  };
  const dir = (key: string, fallback: string): string => {
    const value = text(key, fallback);
    if (value.trim() === '') return fail(key, 'must not be empty');
    if (/[\\\u0000-\u001f\u007f]/.test(value) || value.split('/').some((s) => s === '.' || s === '..')) {
      return fail(key, `must be a plain folder path, not ${describe(value)}`);
    }
    return value;
  };
  const nameMap = (key: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [k, v] of section(key)) {
      if (k instanceof Map || Array.isArray(k) || k === null) fail(key, 'has a key that is not a name');
      if (v === null || v === undefined) continue;
      if (v instanceof Map || Array.isArray(v)) fail(key, `maps ${describe(k)} to ${describe(v)}, not a name`);
      out.set(String(k), String(v));
    }
    return out;
  };

  // Site
  const language = (() => {
    const value = fields.get('language');
    const first = Array.isArray(value) ? value.find((v) => v !== null && v !== '') : value;
    // `first` is undefined for a list of nothing but empty entries: passing it would make `text`
    // fall back to get('language'), the list itself, and refuse it.
    const tag = first === undefined ? 'en' : text('language', 'en', first);
    if (tag.trim() === '') return 'en';
    return canonicalLanguageTag(tag) ?? fail('language', `is not a language tag: ${describe(tag)}`);
  })();
  const timezone = (() => {
    const tz = text('timezone', '').trim();
    if (tz === '') return null;
    if (!isValidTimeZone(tz)) return fail('timezone', `is not a time zone this runtime knows: ${describe(tz)} (use an IANA name such as Asia/Shanghai)`);
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  })();

  // URL
  const url = (() => {
    const value = text('url', 'http://example.com');
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(value);
    } catch {
      return fail('url', `is not a URL: ${describe(value)}`);
    }
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') fail('url', `must be an http(s) URL, not ${describe(value)}`);
    return value.replace(/\/+$/, '');
  })();
  const root = (() => {
    const value = fields.get('root');
    // lib/hexo/load_config.ts: without `root`, the path of `url`, ending in `/`.
    const raw = value === undefined || value === null || value === '' ? new URL(url).pathname : text('root', '/');
    if (raw.trim() === '') fail('root', 'must not be empty');
    return raw.replace(/\/*$/, '/');
  })();
  const permalink = (() => {
    const value = text('permalink', DEFAULT_PERMALINK);
    if (value.trim() === '') return fail('permalink', 'must not be empty');
    const token = unsupportedPermalinkToken(value);
    if (token !== null) fail('permalink', `uses :${token}, which this project cannot fill`);
    return value;
  })();

  const perPage = count('per_page', 10);
  section('index_generator');
  section('abbrlink');
  const search = fields.has('search') && fields.get('search') !== null ? section('search') : null;
  const filenameCase = fields.get('filename_case');
  if (filenameCase !== undefined && filenameCase !== null && filenameCase !== 0 && filenameCase !== 1 && filenameCase !== 2) {
    fail('filename_case', `must be 0, 1 or 2, not ${describe(filenameCase)}`);
  }

  return {
    title: text('title', 'Hexo'),
    subtitle: text('subtitle', ''),
    description: text('description', ''),
    author: text('author', 'John Doe'),
    language,
    timezone,
    url,
    root,
    per_page: perPage,
    index_per_page: count('index_generator.per_page', perPage),
    permalink,
    pagination_dir: dir('pagination_dir', 'page'),
    category_dir: dir('category_dir', 'categories'),
    tag_dir: dir('tag_dir', 'tags'),
    archive_dir: dir('archive_dir', 'archives'),
    default_category: text('default_category', 'uncategorized'),
    filename_case: (filenameCase ?? 0) as 0 | 1 | 2,
    category_map: nameMap('category_map'),
    tag_map: nameMap('tag_map'),
    abbrlink: {
      alg: oneOf('abbrlink.alg', ['crc16', 'crc32'] as const, 'crc16'),
      rep: oneOf('abbrlink.rep', ['hex', 'dec'] as const, 'dec'),
    },
    search: search && {
      path: (() => {
        const p = text('search.path', 'search.xml') || 'search.xml';
        // hexo-generator-search index.js: a path without an extension gets `.xml`.
        return /\.[^./]+$/.test(p) ? p : `${p}.xml`;
      })(),
      field: oneOf('search.field', ['post', 'page', 'all'] as const, 'post'),
      format: oneOf('search.format', ['html', 'striptags', 'raw', 'excerpt', 'more'] as const, 'html'),
      limit: get('search.limit') === undefined || get('search.limit') === null ? null : count('search.limit', 0, 1),
      content: (() => {
        const c = get('search.content');
        if (c === undefined || c === null) return true;
        if (typeof c === 'boolean') return c;
        return fail('search.content', `must be true or false, not ${describe(c)}`);
      })(),
    },
  };
}
