/** The article as parsed from a Hexo post: front matter (made safe to hold) plus the raw body. */
export interface Article {
  /** File name without `.md`, any characters (Chinese, spaces). */
  slug: string;
  title: string;
  /** ISO 8601 in UTC, or null when the post has no (parseable) date. */
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
