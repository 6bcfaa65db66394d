/** The search rows an upload writes with each article (filled in by the search index). */
import type { UploadOptions } from './upload.js';

export function searchIndexer(): UploadOptions['search'] {
  return undefined;
}
