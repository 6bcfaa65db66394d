/** Reads one list page (home or a category): the index meta and exactly one shard. */
import { HTTPException } from 'hono/http-exception';
import type { AppConfig } from '../config.js';
import { httpDate } from '../http/conditional.js';
import { strongEtag } from '../http/respond.js';
import { renderVersion } from '../render/render-version.js';
import { rewriteOptionsFor } from '../render/rewrite-options.js';
import { rewriteImageUrl } from '../rewrite/rewrite-html.js';
import { existingSlugs, getCategoryPage, getIndexMeta, getPage } from '../store/article-store.js';
import { type ArticleSummary, type IndexMeta, LAYOUT_VERSION, PAGE_SIZE } from '../store/kv-layout.js';

export interface ListData {
  meta: IndexMeta;
  page: number;
  pages: number;
  items: (ArticleSummary & { thumbnailSrc: string | null })[];
  /** Everything the list shows depends on: shard hash, page count, renderer version. */
  version: string;
  etag: string;
  lastModified: string | null;
  /** The items whose article still exists: call when rendering (a render-cache miss). */
  presentItems: () => Promise<ListData['items']>;
}

const EMPTY_META: IndexMeta = {
  v: LAYOUT_VERSION,
  version: 'empty',
  total: 0,
  pageSize: PAGE_SIZE,
  pages: 1,
  sitemapShards: 1,
  updated: null,
  categories: [],
};

/** Throws 404 for an unknown category or a page past the end. */
export async function loadList(
  kv: KVNamespace,
  config: AppConfig,
  page: number,
  category: string | null,
  etagKind: string,
): Promise<ListData> {
  const [meta, shard] = await Promise.all([
    getIndexMeta(kv),
    category === null ? getPage(kv, page) : getCategoryPage(kv, category, page),
  ]);
  const m = meta ?? EMPTY_META;
  const pages = category === null ? m.pages : (m.categories.find((c) => c.name === category)?.pages ?? 0);
  // Before the first upload there is no index at all: the home page is an empty page 1.
  const emptySite = meta === null && category === null && page === 1;
  if (page > pages || (shard === null && !emptySite)) throw new HTTPException(404);
  const options = rewriteOptionsFor(config);
  const items = (shard?.items ?? []).map((s) => ({ ...s, thumbnailSrc: rewriteImageUrl(s.thumbnail, options) }));
  const version = `${shard?.hash ?? 'none'}.${pages}.${renderVersion(config)}`;
  return {
    meta: m,
    page,
    pages,
    items,
    version,
    etag: strongEtag(etagKind, version),
    lastModified: httpDate(items.find((s) => s.date !== null)?.date),
    presentItems: async () => {
      const present = await existingSlugs(kv, items.map((i) => i.slug));
      return items.filter((i) => present.has(i.slug));
    },
  };
}
