import type { Article } from '../content/article.js';
import { contentHash } from './hash.js';
import { LAYOUT_VERSION, type StoredArticle } from './kv-layout.js';

/** The KV value for an article; its hash covers every field, so any edit is a new version. */
export function toStoredArticle(article: Article): StoredArticle {
  const { slug, title, date, author, categories, tags, headimg, thumbnail, body } = article;
  const fields = { slug, title, date, author, categories, tags, headimg, thumbnail, body };
  return { v: LAYOUT_VERSION, ...fields, hash: contentHash(fields) };
}
