/**
 * The search rows an upload writes with each article (src/search): its readable text and tokens,
 * in the same D1 batch as the article's `articles` row, after it. Only when the post itself
 * changed: a new neighbour changes the article's KV value, not what search knows of it.
 */
import { htmlToSearchText } from '../search/html-text.js';
import { searchDeleteBySlug, searchUpsertBySlug } from '../search/sql.js';
import type { UploadOptions } from './upload.js';

export function searchIndexer(): NonNullable<UploadOptions['search']> {
  return {
    upsert: (slug, fields) => searchUpsertBySlug(slug, { title: fields.title, date: fields.date, text: htmlToSearchText(fields.body) }),
    remove: (slug) => searchDeleteBySlug(slug),
  };
}
