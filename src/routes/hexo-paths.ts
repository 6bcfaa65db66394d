/**
 * Hexo's list URLs, both ways: which list (and page) a path names, and the path of a list page.
 * Hexo (hexo-generator-index/-category/-tag/-archive) writes them as folders ending in `/`:
 *   /                     /page/2/
 *   /categories/          (our tree of every category, with counts)
 *   /categories/新媒体/ZAKER/           …/page/2/
 *   /tags/   /tags/<t>/   /archives/   /archives/2021/   /archives/2021/11/   (each with page/N/)
 * Directory names are configurable like Hexo's (category_dir, tag_dir, archive_dir,
 * pagination_dir). A path without its trailing slash, `…/index.html` and `…/page/1/` redirect
 * to the canonical form.
 */
import type { HexoDirs } from '../config.js';
import { HOME, listKey } from '../store/d1-layout.js';
import type { ViewHelpers } from '../views/list-page.js';

export type ListView = 'home' | 'category' | 'tag' | 'archive';

export type ListTarget =
  | { kind: 'list'; key: string; view: ListView; page: number }
  | { kind: 'index'; index: 'categories' | 'tags' }
  | { kind: 'redirect'; location: string };

/** Decodes a URL path into NFC segments; null when the percent-encoding is malformed. */
export function pathSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    try {
      segments.push(decodeURIComponent(raw).normalize('NFC'));
    } catch {
      return null;
    }
  }
  return segments;
}

export function encodeSegments(segments: readonly string[]): string {
  return segments.map(encodeURIComponent).join('/');
}

const split = (dir: string) => dir.split('/').filter((s) => s !== '');

function startsWith(segments: string[], prefix: string[]): boolean {
  return prefix.length <= segments.length && prefix.every((p, i) => segments[i] === p);
}

/** The canonical path of page `page` of the list under `base` segments. */
function pagePath(base: readonly string[], page: number, dirs: HexoDirs): string {
  const parts = page > 1 ? [...base, ...split(dirs.pagination), String(page)] : [...base];
  return parts.length === 0 ? '/' : `/${encodeSegments(parts)}/`;
}

/** Segments of a list's page 1 (a category key's slugs, a tag, an archive date). */
export function listBase(key: string, view: ListView, dirs: HexoDirs): string[] {
  if (key === HOME) return view === 'archive' ? split(dirs.archive) : [];
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (kind === 'cat') return [...split(dirs.category), ...rest.split('/')];
  if (kind === 'tag') return [...split(dirs.tag), rest];
  return [...split(dirs.archive), ...rest.split('/')]; // year:2021, month:2021/11
}

/** The href of page `page` of a list (percent-encoded, root-relative). */
export function listHref(key: string, view: ListView, page: number, dirs: HexoDirs): string {
  return pagePath(listBase(key, view, dirs), page, dirs);
}

export function indexHref(index: 'categories' | 'tags', dirs: HexoDirs): string {
  return `/${encodeSegments(split(index === 'categories' ? dirs.category : dirs.tag))}/`;
}

const PAGE_NUMBER = /^[1-9]\d{0,8}$/;

/**
 * What a (decoded) path names among the lists, or null when it is not a list path (it may still
 * be an article's permalink). `pathname` is the raw request path, for the trailing-slash check.
 */
export function matchListPath(pathname: string, dirs: HexoDirs): ListTarget | null {
  let segments = pathSegments(pathname);
  if (segments === null) return null;
  let redirect = false;
  if (segments[segments.length - 1] === 'index.html') {
    segments = segments.slice(0, -1);
    redirect = true;
  } else if (segments.length > 0 && !pathname.endsWith('/')) {
    redirect = true;
  }
  // Trailing `page/N`.
  const pagination = split(dirs.pagination);
  let page = 1;
  const n = segments.length - pagination.length - 1;
  if (n >= 0 && PAGE_NUMBER.test(segments[segments.length - 1]!) && startsWith(segments.slice(n), pagination)) {
    page = Number(segments[segments.length - 1]);
    segments = segments.slice(0, n);
    if (page === 1) redirect = true;
  }
  const target = matchBase(segments, dirs, page);
  if (target === null) return null;
  if (redirect && target.kind === 'list') return { kind: 'redirect', location: listHref(target.key, target.view, page, dirs) };
  if (redirect && target.kind === 'index') {
    if (page > 1) return null;
    return { kind: 'redirect', location: indexHref(target.index, dirs) };
  }
  if (target.kind === 'index' && page > 1) return null;
  return target;
}

function matchBase(segments: string[], dirs: HexoDirs, page: number): ListTarget | null {
  if (segments.length === 0) return { kind: 'list', key: HOME, view: 'home', page };
  const category = split(dirs.category);
  const tag = split(dirs.tag);
  const archive = split(dirs.archive);
  if (startsWith(segments, category)) {
    const rest = segments.slice(category.length);
    if (rest.length === 0) return { kind: 'index', index: 'categories' };
    return { kind: 'list', key: listKey.category(rest), view: 'category', page };
  }
  if (startsWith(segments, tag)) {
    const rest = segments.slice(tag.length);
    if (rest.length === 0) return { kind: 'index', index: 'tags' };
    if (rest.length !== 1) return null;
    return { kind: 'list', key: listKey.tag(rest[0]!), view: 'tag', page };
  }
  if (startsWith(segments, archive)) {
    const rest = segments.slice(archive.length);
    if (rest.length === 0) return { kind: 'list', key: HOME, view: 'archive', page };
    const [year, month] = rest;
    if (!/^\d{4}$/.test(year!)) return null;
    if (rest.length === 1) return { kind: 'list', key: listKey.year(year!), view: 'archive', page };
    if (rest.length === 2 && /^(0[1-9]|1[0-2])$/.test(month!)) return { kind: 'list', key: listKey.month(year!, month!), view: 'archive', page };
    return null;
  }
  return null;
}

/** The view of a list key: archives for years and months, else by its kind. */
export function viewOfKey(key: string): ListView {
  if (key === HOME) return 'home';
  if (key.startsWith('cat:')) return 'category';
  if (key.startsWith('tag:')) return 'tag';
  return 'archive';
}

/** Links every page needs, for one configuration's directories. */
export function viewHelpers(dirs: HexoDirs): ViewHelpers {
  return {
    links: {
      categories: indexHref('categories', dirs),
      tags: indexHref('tags', dirs),
      archives: listHref(HOME, 'archive', 1, dirs),
    },
    listHref: (key: string) => listHref(key, viewOfKey(key), 1, dirs),
  };
}
