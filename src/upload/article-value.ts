/** What an article's KV value holds of its post, and the hash that versions it. Pure. */
import type { ParsedArticle } from '../content/article.js';
import { guessLanguage } from '../content/language.js';
import { contentHash } from '../store/hash.js';
import { LAYOUT_VERSION, type StoredArticle } from '../store/kv-layout.js';
import type { ArticleWrite } from './plan.js';

/** The stored fields of a post: what its content hash covers. */
export interface ContentFields {
  slug: string;
  title: string;
  date: string | null;
  author: string | null;
  categories: string[][];
  tags: string[];
  headimg: string | null;
  thumbnail: string | null;
  lang: string | null;
  body: string;
}

const TAG = /<[^>]*>/g;

export function contentFields(article: ParsedArticle): ContentFields {
  const { slug, title, date, author, categories, tags, headimg, thumbnail, body } = article;
  // The post's language when the front matter does not say: a script-based guess on its text.
  const lang = article.lang ?? guessLanguage(`${title} ${body.slice(0, 4000).replace(TAG, ' ')}`);
  return { slug, title, date, author, categories, tags, headimg, thumbnail, lang, body };
}

export const hashContent = (fields: ContentFields) => contentHash(fields);


/** The KV value of an article: its post, where it lives, what it links to, and its version. */
export function storedArticle(fields: ContentFields, write: ArticleWrite): StoredArticle {
  return {
    v: LAYOUT_VERSION,
    ...fields,
    path: write.row.path,
    abbrlink: write.row.abbrlink,
    nav: write.nav,
    links: write.links,
    hash: write.row.valueHash,
    changedAt: write.row.changedAt,
  };
}
