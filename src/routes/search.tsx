/**
 * Search: `/search?q=…&page=N` (HTML), `/api/search?q=…&page=N` (JSON) and `/search.xml`
 * (hexo-generator-search's file, for themes that search in the browser). Queries run in D1's
 * FTS5 index (src/search); results are cached like lists: the version is (normalised query, page,
 * index version, render version), so a 304 or a render-cache hit runs no query.
 */
import { HTTPException } from 'hono/http-exception';
import { type AppConfig } from '../config.js';
import { isNotModified, notModified, httpDate } from '../http/conditional.js';
import { renderCacheKey } from '../http/edge-cache.js';
import { serveVersioned, versionTag } from '../http/versioned-response.js';
import { articleUrl } from '../render/render-article.js';
import { parseSearchQuery, MAX_QUERY_CHARS } from '../search/query.js';
import { SEARCH_XML_HEAD, SEARCH_XML_TAIL, searchXmlEntry } from '../search/search-xml.js';
import { escapeHtml, highlightTitle, makeSnippet } from '../search/snippet.js';
import { type SearchRow, searchPage } from '../search/sql.js';
import type { ListItem, TrailStep } from '../store/d1-layout.js';
import { readHomeTexts, readTotal, versionCheckedDb } from '../store/index-queries.js';
import { SearchPage, type SearchHit } from '../views/search-page.js';
import { type AppContext, parsePageParam } from './app-env.js';
import { latest, loadSite, siteVersion } from './site.js';

export const SEARCH_PAGE_SIZE = 10;
const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const XML = 'application/xml; charset=utf-8';

/** The raw `q` (and `page`), decoded leniently: malformed percent-encoding is not a server error. */
function params(c: AppContext): { q: string; page: string | null } {
  const search = new URL(c.req.url).searchParams;
  return { q: search.get('q') ?? '', page: search.get('page') };
}

function summaryOf(row: SearchRow): ListItem | null {
  if (row.summary === null) return null;
  try {
    return JSON.parse(row.summary) as ListItem;
  } catch {
    return null;
  }
}

interface Found {
  total: number;
  pages: number;
  tookMs: number;
  hits: { row: SearchRow; path: string; categories: TrailStep[][] }[];
}

export function serveSearch(c: AppContext, format: 'html' | 'json'): Promise<Response> {
  return serveVersioned(c, {
    kind: format === 'html' ? 'list' : 'api',
    contentType: format === 'html' ? HTML : JSON_TYPE,
    load: async () => {
      const { q, page: pageText } = params(c);
      const site = await loadSite(c);
      const { record, config } = site;
      const page = parsePageParam(pageText ?? undefined);
      if (page === null) throw new HTTPException(400, { message: config.strings.badPage });
      const parsed = parseSearchQuery(q);
      if ('error' in parsed) throw new HTTPException(400, { message: config.strings.queryTooLong(MAX_QUERY_CHARS) });
      const shown = q.trim();
      return {
        config,
        version: ['search', format, parsed.normalised, page, SEARCH_PAGE_SIZE, ...siteVersion(site)],
        lastModified: latest(record?.changedAt, config.changedAt),
        produce: async (timing) => {
          let found: Found = { total: 0, pages: 0, tookMs: 0, hits: [] };
          let consistent = true;
          if (parsed.match !== null && record !== null) {
            const checked = versionCheckedDb(c.env.DB, record.version);
            const started = performance.now();
            const result = await timing.time('db', () => searchPage(checked.db, parsed, page, SEARCH_PAGE_SIZE));
            consistent = checked.consistent();
            found = {
              total: result.total,
              pages: result.pages,
              tookMs: Math.round(performance.now() - started),
              hits: result.rows.map((row) => {
                const item = summaryOf(row);
                return { row, path: item?.path ?? `/articles/${row.slug}`, categories: item?.categories ?? [] };
              }),
            };
          }
          if (found.pages > 0 && page > found.pages) throw new HTTPException(404);
          const body = format === 'html' ? searchHtml(config, shown, page, found, parsed.terms) : searchJson(config, page, found, parsed.terms);
          return consistent ? body : { body, cacheable: false };
        },
      };
    },
  });
}

function searchHref(query: string, page: number): string {
  const p = new URLSearchParams({ q: query });
  if (page > 1) p.set('page', String(page));
  return `/search?${p}`;
}

function searchHtml(config: AppConfig, query: string, page: number, found: Found, terms: string[]): string {
  const hits: SearchHit[] = found.hits.map(({ row, path, categories }) => ({
    path,
    titleHtml: highlightTitle(row.title, terms),
    date: row.date,
    categories,
    snippetHtml: makeSnippet(row.text, terms),
  }));
  const view = { query, total: found.total, page, pages: found.pages, hits, pageHref: (n: number) => searchHref(query, n), path: query ? searchHref(query, page) : '/search' };
  return `<!doctype html>${String(SearchPage({ config, helpers: config.helpers, view }))}`;
}

function searchJson(config: AppConfig, page: number, found: Found, terms: string[]): string {
  return JSON.stringify({
    results: found.hits.map(({ row, path, categories }) => ({
      slug: row.slug,
      title: row.title,
      date: row.date,
      url: articleUrl(config, path),
      categories: categories.map((trail) => trail.map(([name]) => name)),
      snippet: makeSnippet(row.text, terms),
    })),
    total: found.total,
    page,
    pages: found.pages,
    took_ms: found.tookMs,
  });
}

/** Entries per part of /search.xml: each part is built, cached and sent whole, one at a time. */
export const SEARCH_XML_PART = 500;

/**
 * /search.xml. At the real site's 10,000 entries the file is tens of megabytes, more than a
 * Worker should hold at once, so it is written in parts of SEARCH_XML_PART entries: each part is
 * read from D1 (one range of the home list), sent, and stored in the edge cache under the index
 * version only once complete; a repeat request streams the stored parts. Validators as for feeds.
 */
export async function serveSearchXml(c: AppContext): Promise<Response> {
  const site = await loadSite(c);
  const { record, config } = site;
  const limit = config.searchXmlLimit;
  const { etag, cacheKey } = versionTag('search-xml', ['search.xml', limit, ...siteVersion(site)]);
  const lastModified = httpDate(latest(record?.changedAt, config.changedAt));
  const headers = new Headers({ 'content-type': XML, 'cache-control': config.cache.feed, etag, 'x-content-type-options': 'nosniff' });
  if (lastModified) headers.set('last-modified', lastModified);
  if (isNotModified(c.req.raw.headers, { etag, lastModified })) return notModified(headers);
  if (c.req.method === 'HEAD') return new Response(null, { headers });

  const home = record === null ? 0 : (await readTotal(c.env.DB, record.version)).value;
  const total = Math.min(limit, home);
  const parts = Math.ceil(total / SEARCH_XML_PART);
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default ?? null;
  const keyOf = (i: number) => renderCacheKey(c.req.url, [...cacheKey, `part-${i}`]);
  const encoder = new TextEncoder();
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(SEARCH_XML_HEAD));
    },
    async pull(controller) {
      if (i >= parts) {
        controller.enqueue(encoder.encode(SEARCH_XML_TAIL));
        controller.close();
        return;
      }
      const n = i++;
      const cached = cache ? await cache.match(keyOf(n)).catch(() => undefined) : undefined;
      if (cached) {
        controller.enqueue(new Uint8Array(await cached.arrayBuffer()));
        return;
      }
      // Part n holds the n-th 500 newest articles: home positions counted down from the newest.
      const hi = home - n * SEARCH_XML_PART;
      const lo = Math.max(home - total + 1, hi - SEARCH_XML_PART + 1);
      const read = await readHomeTexts(c.env.DB, lo, hi, record!.version);
      const text = read.value
        .map(({ item, text, tags }) =>
          searchXmlEntry({
            title: item.title,
            url: articleUrl(config, item.path),
            content: escapeHtml(text),
            date: item.date,
            categories: [...new Set(item.categories.flat().map(([name]) => name))],
            tags,
          }),
        )
        .join('');
      const bytes = encoder.encode(text);
      // Stored only when complete and consistent with the version it is keyed by.
      if (cache && read.consistent) c.executionCtx.waitUntil(cache.put(keyOf(n), new Response(bytes, { headers: { 'cache-control': 'public, max-age=604800' } })).catch(() => {}));
      controller.enqueue(bytes);
    },
  });
  return new Response(stream, { headers });
}
