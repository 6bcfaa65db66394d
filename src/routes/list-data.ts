/** Reads one list page (home or a category): the index meta and exactly one shard. */
import { HTTPException } from 'hono/http-exception';
import type { AppConfig } from '../config.js';
import { ServerTiming } from '../http/server-timing.js';
import { renderVersion } from '../render/render-version.js';
import { rewriteOptionsFor } from '../render/rewrite-options.js';
import { rewriteImageUrl } from '../rewrite/rewrite-html.js';
import { getCategoryPage, getIndexMeta, getPage } from '../store/article-store.js';
import type { ArticleSummary, IndexMeta } from '../store/kv-layout.js';
import { strongEtag } from '../http/respond.js';
import { httpDate } from '../http/conditional.js';

export interface ListData {
  meta: IndexMeta;
  page: number;
  pages: number;
  items: (ArticleSummary & { thumbnailSrc: string | null })[];
  etag: string;
  lastModified: string | null;
  timing: ServerTiming;
}

/** Throws 404 for an unknown category or a page past the end. */
export async function loadList(
  kv: KVNamespace,
  config: AppConfig,
  page: number,
  category: string | null,
  etagKind: string,
): Promise<ListData> {
  const timing = new ServerTiming();
  const [meta, shard] = await timing.time('kv', () =>
    Promise.all([getIndexMeta(kv), category === null ? getPage(kv, page) : getCategoryPage(kv, category, page)]),
  );
  const empty: IndexMeta = { v: 1, version: 'empty', total: 0, pageSize: 20, pages: 1, sitemapShards: 1, updated: null, categories: [] };
  const m = meta ?? empty;
  const pages = category === null ? m.pages : (m.categories.find((c) => c.name === category)?.pages ?? 0);
  if (page > pages || (shard === null && !(category === null && page === 1 && meta === null))) {
    throw new HTTPException(404);
  }
  const options = rewriteOptionsFor(config);
  const items = (shard?.items ?? []).map((s) => ({ ...s, thumbnailSrc: rewriteImageUrl(s.thumbnail, options) }));
  const newest = items.find((s) => s.date !== null)?.date ?? null;
  return {
    meta: m,
    page,
    pages,
    items,
    etag: strongEtag(etagKind, shard?.hash ?? 'none', pages, renderVersion(config)),
    lastModified: httpDate(newest),
    timing,
  };
}
