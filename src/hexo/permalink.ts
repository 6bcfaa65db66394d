/**
 * Post permalinks as Hexo computes them (lib/plugins/filter/post_permalink.ts with hexo-util's
 * Permalink, lib/permalink.ts): every `:token` of the pattern (`:` followed by word characters,
 * not ending in `_`) is replaced by the post's value. Dates are formatted in the site's zone, as
 * Hexo's moment dates are.
 */
import { zonedParts } from '../content/dates.js';
import { categorySlugs, type CategorySlugOptions } from './site-paths.js';
import { slugize } from './slugize.js';

/** Hexo's default `permalink` (lib/hexo/default_config.ts). */
export const DEFAULT_PERMALINK = ':year/:month/:day/:title/';

/** hexo-util Permalink's parameter pattern. */
const TOKEN = /:(\w*[^_\W])/g;

const DATE_TOKENS = new Set(['year', 'month', 'i_month', 'day', 'i_day', 'hour', 'minute', 'second']);
/** Tokens this module fills in; `:id` and `:hash` (database id, SHA-1 of slug + date) are not. */
export const PERMALINK_TOKENS: ReadonlySet<string> = new Set([...DATE_TOKENS, 'abbrlink', 'title', 'name', 'post_title', 'category']);

export interface PermalinkPost {
  /** The path under `_posts` without `.md` (`新媒体/ZAKER/channel/标题`). */
  slug: string;
  title: string;
  /** ISO 8601 UTC, or null when undated. */
  date: string | null;
  /** The post's assigned abbrlink (`assignAbbrlinks`), needed only for `:abbrlink`. */
  abbrlink?: string | null;
  categories: readonly (readonly string[])[];
}

export interface PermalinkOptions extends CategorySlugOptions {
  /** IANA zone for the date tokens (Hexo's `timezone`). */
  timeZone: string;
  /** `:category` of a post without categories (Hexo's `default_category`, used as is). */
  default_category: string;
}

/** A permalink pattern or post that cannot make a path. */
export class PermalinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermalinkError';
  }
}

/** The `:tokens` of a pattern, in order (with repeats). */
export function permalinkTokens(pattern: string): string[] {
  return [...pattern.matchAll(TOKEN)].map((m) => m[1]!);
}

/** The first token of `pattern` that `permalinkFor` cannot fill, or null. */
export function unsupportedPermalinkToken(pattern: string): string | null {
  return permalinkTokens(pattern).find((t) => !PERMALINK_TOKENS.has(t)) ?? null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The decoded root-relative path of a post: `/p/1a2b.html` for `p/:abbrlink.html`,
 * `/2021/09/12/新媒体/ZAKER/channel/标题/` for the default pattern. `encodePath` it for an href.
 *
 * - `:title` is the slug (the whole path under `_posts`), `:name` its last segment,
 *   `:post_title` the slugized title in lower case (Hexo's `slugize(title, {transform: 1})`).
 * - `:year` `:month` `:day` `:hour` `:minute` `:second` are zero-padded (`YYYY MM DD HH mm ss`),
 *   `:i_month` `:i_day` are not, all in `options.timeZone`.
 * - `:category` is the slugized path of the post's first hierarchy (`新媒体/ZAKER/channel`), or
 *   `default_category` when it has none. Hexo takes `categories.last()` of its database, which
 *   is the same path for a post with one hierarchy (the corpus, and what the feed generator
 *   writes); with several, Hexo's choice depends on the order categories entered its database.
 * - An undated post cannot fill a date token: Hexo would use the file's birth time, which
 *   changes with every checkout, so the URL would not be stable; this throws a `PermalinkError`
 *   instead (pass a date to get a path).
 * - `:abbrlink` needs `post.abbrlink`; `:id`, `:hash` and any other token throw.
 */
export function permalinkFor(pattern: string, post: PermalinkPost, options: PermalinkOptions): string {
  let parts: ReturnType<typeof zonedParts> | null = null;
  const date = () => {
    if (parts) return parts;
    if (post.date === null) throw new PermalinkError(`"${post.slug}" has no date, which the permalink "${pattern}" needs`);
    return (parts = zonedParts(post.date, options.timeZone));
  };
  const path = pattern.replace(TOKEN, (_match, token: string) => {
    switch (token) {
      case 'year':
        return pad(date().year, 4);
      case 'month':
        return pad(date().month);
      case 'i_month':
        return String(date().month);
      case 'day':
        return pad(date().day);
      case 'i_day':
        return String(date().day);
      case 'hour':
        return pad(date().hour);
      case 'minute':
        return pad(date().minute);
      case 'second':
        return pad(date().second);
      case 'title':
        return post.slug;
      case 'name':
        return post.slug.slice(post.slug.lastIndexOf('/') + 1);
      case 'post_title':
        return slugize(post.title, { transform: 1 });
      case 'abbrlink':
        if (!post.abbrlink) throw new PermalinkError(`"${post.slug}" has no abbrlink, which the permalink "${pattern}" needs`);
        return post.abbrlink;
      case 'category': {
        const first = post.categories[0];
        return first && first.length > 0 ? categorySlugs(first, options).join('/') : options.default_category;
      }
      default:
        throw new PermalinkError(`the permalink "${pattern}" uses :${token}, which is not supported`);
    }
  });
  return `/${path.replace(/^\/+/, '')}`;
}
