/**
 * Every list a reader can page through — home, categories, tags, archives — as HTML (at Hexo's
 * paths) and as JSON (the same paths under /api). Thin: the version comes from the KV index record
 * (so a 304 or a render-cache hit needs no D1 query); a miss reads one page of D1 rows and renders.
 */
import { HTTPException } from 'hono/http-exception';
import { type AppConfig, MAX_PER_PAGE } from '../config.js';
import { serveVersioned } from '../http/versioned-response.js';
import { articleUrl } from '../render/render-article.js';
import { rewriteImageUrl } from '../rewrite/rewrite-html.js';
import { HOME, type ListItem, type ListRow } from '../store/d1-layout.js';
import { type ListPageData, readListPage, readLists } from '../store/index-queries.js';
import { ListIndexPage } from '../views/list-index.js';
import { ListPage, type ListView as ListViewModel } from '../views/list-page.js';
import type { AppContext } from './app-env.js';
import { type ListView, indexHref, listHref } from './hexo-paths.js';
import { latest, loadSite, siteVersion } from './site.js';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

export type Format = 'html' | 'json';

export const pageSize = (config: AppConfig) => (config.perPage > 0 ? config.perPage : MAX_PER_PAGE);

function heading(config: AppConfig, list: ListRow, view: ListView): string {
  const t = config.strings;
  if (view === 'home') return config.siteTitle;
  if (list.kind === 'home') return t.archives;
  if (list.kind === 'year') return t.archiveYear(list.name);
  if (list.kind === 'month') {
    const [year = '', month = ''] = list.name.split('/');
    return t.archiveMonth(year, month);
  }
  return list.name;
}

function withThumbnails(config: AppConfig, items: ListItem[]) {
  return items.map((item) => ({ ...item, thumbnailSrc: rewriteImageUrl(item.thumbnail, config.rewriteOptions) }));
}

function renderListHtml(config: AppConfig, data: ListPageData, view: ListView): string {
  const list = data.list;
  const model: ListViewModel = {
    heading: heading(config, list, view),
    subheading: view === 'home' ? null : config.strings.articles(list.count),
    trail: list.trail,
    groupByMonth: view === 'archive',
    page: data.page,
    pages: data.pages,
    path: listHref(list.key, view, data.page, config.dirs),
    pageHref: (page) => listHref(list.key, view, page, config.dirs),
    items: withThumbnails(config, data.items),
  };
  return `<!doctype html>${String(ListPage({ config, helpers: config.helpers, view: model }))}`;
}

export function listItemJson(config: AppConfig, item: ListItem & { thumbnailSrc?: string | null }) {
  return {
    slug: item.slug,
    title: item.title,
    date: item.date,
    author: item.author,
    categories: item.categories.map((trail) => trail.map(([name]) => name)),
    thumbnail: item.thumbnailSrc ?? rewriteImageUrl(item.thumbnail, config.rewriteOptions),
    url: articleUrl(config, item.path),
  };
}

function renderListJson(config: AppConfig, data: ListPageData, view: ListView): string {
  const list = data.list;
  return JSON.stringify({
    list: { kind: list.kind, name: list.kind === 'home' ? '' : list.name, path: listHref(list.key, view, 1, config.dirs), count: list.count },
    articles: data.items.map((item) => listItemJson(config, item)),
    page: data.page,
    pages: data.pages,
    total: list.count,
  });
}

/** Page `page` of list `key` (404 past the last page or for a list that does not exist). */
export function serveList(c: AppContext, target: { key: string; view: ListView; page: number }, format: Format): Promise<Response> {
  return serveVersioned(c, {
    kind: format === 'html' ? 'list' : 'api',
    contentType: format === 'html' ? HTML : JSON_TYPE,
    load: async () => {
      const site = await loadSite(c);
      const { record, config } = site;
      // Before the first upload there is no index: the home page is an empty page 1, all else 404.
      if (record === null && !(target.key === HOME && target.page === 1)) throw new HTTPException(404);
      const size = pageSize(config);
      return {
        config,
        version: ['list', format, target.key, target.view, target.page, size, ...siteVersion(site)],
        lastModified: latest(record?.changedAt, config.changedAt),
        produce: async (timing) => {
          let data: ListPageData | null;
          let consistent = true;
          if (record === null) {
            data = { list: { key: HOME, kind: 'home', name: '', parent: null, trail: [], count: 0, first: 1 }, items: [], page: 1, pages: 1 };
          } else {
            const read = await timing.time('db', () => readListPage(c.env.DB, target.key, target.page, size, record.version));
            data = read.value;
            consistent = read.consistent;
          }
          if (data === null) throw new HTTPException(404);
          const body = format === 'html' ? renderListHtml(config, data, target.view) : renderListJson(config, data, target.view);
          return consistent ? body : { body, cacheable: false };
        },
      };
    },
  });
}

/** /categories/ (the tree with counts) and /tags/. */
export function serveListIndex(c: AppContext, index: 'categories' | 'tags', format: Format): Promise<Response> {
  return serveVersioned(c, {
    kind: format === 'html' ? 'list' : 'api',
    contentType: format === 'html' ? HTML : JSON_TYPE,
    load: async () => {
      const site = await loadSite(c);
      const { record, config } = site;
      return {
        config,
        version: ['index', format, index, ...siteVersion(site)],
        lastModified: latest(record?.changedAt, config.changedAt),
        produce: async (timing) => {
          let rows: ListRow[] = [];
          let consistent = true;
          if (record !== null) {
            const read = await timing.time('db', () => readLists(c.env.DB, [index === 'categories' ? 'cat' : 'tag'], record.version));
            rows = read.value;
            consistent = read.consistent;
          }
          const path = indexHref(index, config.dirs);
          const body =
            format === 'html'
              ? `<!doctype html>${String(ListIndexPage({ config, helpers: config.helpers, index, rows, path }))}`
              : JSON.stringify({
                  [index]: rows.map((r) => ({
                    name: r.name,
                    path: config.helpers.listHref(r.key),
                    count: r.count,
                    ...(index === 'categories' ? { parent: r.parent ? config.helpers.listHref(r.parent) : null } : {}),
                  })),
                });
          return consistent ? body : { body, cacheable: false };
        },
      };
    },
  });
}
