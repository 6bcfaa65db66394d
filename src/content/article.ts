/**
 * An article in the v1 KV layout (src/store): front matter made safe to hold, plus the raw body.
 * Categories are a flat list of names there; `ParsedArticle` is what the parser gives.
 */
export interface Article {
  /** File name without `.md`, any characters (Chinese, spaces). */
  slug: string;
  title: string;
  /** ISO 8601 in UTC, or null when the post has no date. */
  date: string | null;
  author: string | null;
  categories: string[];
  tags: string[];
  /** As written in the post (may still be a proxy URL): unwrapped when rendered. */
  headimg: string | null;
  thumbnail: string | null;
  /** Raw HTML body as in the file; rewritten when rendered, never stored rewritten. */
  body: string;
}

/** A post as `parsePost` reads it, with Hexo's semantics. */
export interface ParsedArticle {
  /** The path under the posts root without `.md`, NFC (`新媒体/ZAKER/channel/标题`). */
  slug: string;
  title: string;
  /** ISO 8601 in UTC, or null when the post has no date. */
  date: string | null;
  /** Hexo's `updated`: ISO 8601 in UTC, or null when the front matter has none. */
  updated: string | null;
  author: string | null;
  /** Category hierarchies, each from the top: `[['新媒体', 'ZAKER', 'channel']]`. */
  categories: string[][];
  tags: string[];
  /** The front-matter `abbrlink` (hexo-abbrlink), or null to compute one. */
  abbrlink: string | null;
  /** The front-matter `lang`/`language` as a canonical BCP 47 tag, or null. */
  lang: string | null;
  /** As written in the post (may still be a proxy URL): unwrapped when rendered. */
  headimg: string | null;
  thumbnail: string | null;
  /** Raw HTML body as in the file (line endings normalised to LF). */
  body: string;
}

/**
 * The v1 KV shape of an article: hierarchies flattened into the names they contain (first
 * occurrence kept, as the v1 parser listed them), Hexo-only fields dropped. An `Article` is
 * returned as it is.
 */
export function toV1Article(article: Article | ParsedArticle): Article {
  const { slug, title, date, author, tags, headimg, thumbnail, body } = article;
  const names = new Set<string>();
  for (const c of article.categories as (string | string[])[]) {
    if (Array.isArray(c)) for (const name of c) names.add(name);
    else names.add(c);
  }
  return { slug, title, date, author, categories: [...names], tags, headimg, thumbnail, body };
}
