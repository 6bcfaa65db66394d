/**
 * The pages the browser e2e validates, found on the running site itself (so they are the real
 * URLs the Worker links, not guesses): every article (from /api/articles), the home pages
 * (followed through the pager by the runner), the category tree and a top-level and a nested
 * category, the tag index and a tag, the archive and a month, a search with results and the
 * empty search, and the error pages (404, and 400 through an over-long search).
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export type PageKind = 'home' | 'list' | 'index' | 'search' | 'error' | 'article';

export interface SitePage {
  /** Root-relative path with query, as requested. */
  path: string;
  kind: PageKind;
  /** The status the page must answer with. */
  status: 200 | 400 | 404;
  /** For articles: the post's slug (file name without .md). */
  slug?: string;
}

export interface Fetched {
  status: number;
  text: string;
}

/** GET `path` (root-relative) on the site under test. */
export type FetchText = (path: string) => Promise<Fetched>;

/** The search that must find something in the e2e content (corpus posts 04 and 24 name Linux). */
export const SEARCH_WITH_RESULTS = '/search?q=Linux';
/** A query of 101 characters: over the limit of 100, a 400 page. */
export const SEARCH_TOO_LONG = `/search?q=${'a'.repeat(101)}`;
export const NOT_FOUND = '/no-such-page.html';

interface ApiList {
  articles: { slug: string; url: string; date: string | null }[];
  page: number;
  pages: number;
}

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const hasClass = (el: Element, name: string) => (attr(el, 'class') ?? '').split(/\s+/).includes(name);

/** Links inside elements with class `listClass` on a page, with their nesting depth in such lists. */
function listLinks(html: string, listClass: string): { href: string; depth: number }[] {
  const out: { href: string; depth: number }[] = [];
  const walk = (node: Node, depth: number) => {
    let d = depth;
    if ('tagName' in node) {
      if (hasClass(node, listClass)) d++;
      const href = node.tagName === 'a' ? attr(node, 'href') : undefined;
      if (href && d > 0) out.push({ href, depth: d });
    }
    for (const child of 'childNodes' in node ? node.childNodes : []) walk(child, d);
  };
  walk(parse(html), 0);
  return out;
}

async function mustGet(fetchText: FetchText, path: string): Promise<string> {
  const r = await fetchText(path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}, wanted 200 (page discovery)`);
  return r.text;
}

/** Every article, in the API's order (newest first): slug and root-relative permalink. */
export async function discoverArticles(fetchText: FetchText): Promise<{ slug: string; path: string; date: string | null }[]> {
  const articles: { slug: string; path: string; date: string | null }[] = [];
  for (let page = 1, pages = 1; page <= pages; page++) {
    const list = JSON.parse(await mustGet(fetchText, `/api/articles?page=${page}`)) as ApiList;
    pages = list.pages;
    for (const a of list.articles) articles.push({ slug: a.slug, path: new URL(a.url).pathname, date: a.date });
  }
  return articles;
}

/**
 * A month archive that certainly exists: the UTC month of an article dated between the 2nd and
 * the 27th (no time zone moves it to another month), as Hexo's /archives/YYYY/MM/.
 */
export function monthArchivePath(dates: readonly (string | null)[], archiveDir = 'archives'): string | null {
  for (const iso of dates) {
    if (!iso) continue;
    const d = new Date(iso);
    if (d.getUTCDate() < 2 || d.getUTCDate() > 27) continue;
    return `/${archiveDir}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/`;
  }
  return null;
}

/** The list, index, search and error pages to validate (not the home pages or the articles). */
export async function discoverOtherPages(fetchText: FetchText, articleDates: readonly (string | null)[]): Promise<SitePage[]> {
  const pages: SitePage[] = [{ path: '/categories/', kind: 'index', status: 200 }];
  const categories = listLinks(await mustGet(fetchText, '/categories/'), 'category-tree');
  if (categories.length === 0) throw new Error('/categories/ lists no category');
  const top = categories.find((c) => c.depth === 1)!;
  const deepest = categories.reduce((a, b) => (b.depth > a.depth ? b : a));
  pages.push({ path: top.href, kind: 'list', status: 200 });
  if (deepest.href !== top.href) pages.push({ path: deepest.href, kind: 'list', status: 200 });

  pages.push({ path: '/tags/', kind: 'index', status: 200 });
  const tag = listLinks(await mustGet(fetchText, '/tags/'), 'tag-cloud')[0];
  if (tag) pages.push({ path: tag.href, kind: 'list', status: 200 });

  pages.push({ path: '/archives/', kind: 'list', status: 200 });
  const month = monthArchivePath(articleDates);
  if (month) pages.push({ path: month, kind: 'list', status: 200 });

  pages.push(
    { path: SEARCH_WITH_RESULTS, kind: 'search', status: 200 },
    { path: '/search', kind: 'search', status: 200 },
    { path: NOT_FOUND, kind: 'error', status: 404 },
    { path: SEARCH_TOO_LONG, kind: 'error', status: 400 },
  );
  return pages;
}
