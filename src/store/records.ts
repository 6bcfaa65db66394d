import { type Article, type ParsedArticle, toV1Article } from '../content/article.js';
import { contentHash } from './hash.js';
import { LAYOUT_VERSION, type StoredArticle } from './kv-layout.js';

/** The KV value for an article; its hash covers every field, so any edit is a new version. */
export function toStoredArticle(article: Article | ParsedArticle): StoredArticle {
  const { slug, title, date, author, categories, tags, headimg, thumbnail, body } = toV1Article(article);
  const fields = { slug, title, date, author, categories, tags, headimg, thumbnail, body };
  return { v: LAYOUT_VERSION, ...fields, hash: contentHash(fields) };
}
