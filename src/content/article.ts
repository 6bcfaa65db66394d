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
