/**
 * Hexo's list URLs both ways (src/routes/hexo-paths.ts), pure, in Node: every path and href is
 * written out per case, for Hexo's default directories and for custom multi-segment ones, plus a
 * round-trip property. tests/worker/routes/hexo-tree.test.ts serves the same paths through the app.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HexoDirs } from '../../../src/config';
import { type ListTarget, type ListView, encodeSegments, indexHref, listBase, listHref, matchListPath, pathSegments, viewHelpers, viewOfKey } from '../../../src/routes/hexo-paths';

const HEXO: HexoDirs = { category: 'categories', tag: 'tags', archive: 'archives', pagination: 'page' };
const CUSTOM: HexoDirs = { category: 'blog/cats', tag: 't', archive: 'arch', pagination: 'p/n' };

const list = (key: string, view: ListView, page = 1): ListTarget => ({ kind: 'list', key, view, page });
const redirect = (location: string): ListTarget => ({ kind: 'redirect', location });

describe('pathSegments', () => {
  it.each<[string, string[] | null]>([
    ['/', []],
    ['', []],
    ['/a/b/', ['a', 'b']],
    ['/a//b', ['a', 'b']],
    ['/a%20b/%E6%96%B0/', ['a b', '新']],
    ['/a%2Fb/', ['a/b']],
    ['/e%CC%81/', ['\u00e9']], // decomposed é, normalised to NFC
    ['/%E0%A4%A/', null],
    ['/ok/%zz/', null],
  ])('%j → %j', (pathname, expected) => {
    expect(pathSegments(pathname)).toEqual(expected);
  });
});

describe('encodeSegments', () => {
  it.each<[string[], string]>([
    [[], ''],
    [['a'], 'a'],
    [['a b', '新', 'a/b', '?#'], 'a%20b/%E6%96%B0/a%2Fb/%3F%23'],
  ])('%j → %j', (segments, expected) => {
    expect(encodeSegments(segments)).toBe(expected);
  });
});

describe('matchListPath with Hexo\'s directories', () => {
  it.each<[string, ListTarget | null]>([
    // home
    ['/', list('home', 'home')],
    ['/page/2/', list('home', 'home', 2)],
    ['/page/999999999/', list('home', 'home', 999_999_999)],
    ['/page/1/', redirect('/')],
    ['/page/2', redirect('/page/2/')],
    ['/index.html', redirect('/')],
    ['/page/2/index.html', redirect('/page/2/')],
    ['/page/0/', null],
    ['/page/02/', null],
    ['/page/1000000000/', null],
    ['/page/-1/', null],
    ['/page/x/', null],
    ['/page/', null],
    // categories
    ['/categories/', { kind: 'index', index: 'categories' }],
    ['/categories', redirect('/categories/')],
    ['/categories/index.html', redirect('/categories/')],
    ['/categories/page/1/', redirect('/categories/')],
    ['/categories/page/2/', null],
    ['/categories/page/2', null],
    ['/categories/a/', list('cat:a', 'category')],
    ['/categories/a/b/', list('cat:a/b', 'category')],
    ['/categories/a/b', redirect('/categories/a/b/')],
    ['/categories/a/page/3/', list('cat:a', 'category', 3)],
    ['/categories/a/page/1/', redirect('/categories/a/')],
    ['/categories/a/page/3', redirect('/categories/a/page/3/')],
    ['/categories/a/page/3/index.html', redirect('/categories/a/page/3/')],
    ['/categories/%E6%96%B0%E5%AA%92%E4%BD%93/ZAKER/', list('cat:新媒体/ZAKER', 'category')],
    // tags
    ['/tags/', { kind: 'index', index: 'tags' }],
    ['/tags', redirect('/tags/')],
    ['/tags/page/2/', null],
    ['/tags/x/', list('tag:x', 'tag')],
    ['/tags/x/page/2/', list('tag:x', 'tag', 2)],
    ['/tags/x', redirect('/tags/x/')],
    ['/tags/a%2Fb/', list('tag:a/b', 'tag')],
    ['/tags/e%CC%81/', list('tag:\u00e9', 'tag')],
    ['/tags/x/y/', null],
    // archives
    ['/archives/', list('home', 'archive')],
    ['/archives/page/2/', list('home', 'archive', 2)],
    ['/archives', redirect('/archives/')],
    ['/archives/2021/', list('year:2021', 'archive')],
    ['/archives/2021/page/2/', list('year:2021', 'archive', 2)],
    ['/archives/2021/11/', list('month:2021/11', 'archive')],
    ['/archives/2021/01/', list('month:2021/01', 'archive')],
    ['/archives/2021/12/page/3/', list('month:2021/12', 'archive', 3)],
    ['/archives/2021/11', redirect('/archives/2021/11/')],
    ['/archives/2021/13/', null],
    ['/archives/2021/00/', null],
    ['/archives/2021/1/', null],
    ['/archives/2021/011/', null],
    ['/archives/2021/11/05/', null],
    ['/archives/21/', null],
    ['/archives/20211/', null],
    ['/archives/x2021/', null],
    ['/archives/abcd/', null],
    // not lists
    ['/about/', null],
    ['/p/123.html', null],
    ['/%E0%A4%A/', null],
    ['/categories/%E0%A4%A/', null],
  ])('%s → %j', (pathname, expected) => {
    expect(matchListPath(pathname, HEXO)).toEqual(expected);
  });
});

describe('matchListPath with custom multi-segment directories', () => {
  it.each<[string, ListTarget | null]>([
    ['/', list('home', 'home')],
    ['/p/n/3/', list('home', 'home', 3)],
    ['/p/n/1/', redirect('/')],
    ['/n/3/', null],
    ['/page/2/', null],
    ['/blog/cats/', { kind: 'index', index: 'categories' }],
    ['/blog/cats', redirect('/blog/cats/')],
    ['/blog/', null],
    ['/blog/cats/a/p/n/2/', list('cat:a', 'category', 2)],
    ['/blog/cats/a/n/2/', list('cat:a/n/2', 'category')],
    ['/blog/cats/p/n/2/', null],
    ['/t/', { kind: 'index', index: 'tags' }],
    ['/t/x/', list('tag:x', 'tag')],
    ['/tags/x/', null],
    ['/arch/', list('home', 'archive')],
    ['/arch/2021/p/n/2/', list('year:2021', 'archive', 2)],
    ['/archives/2021/', null],
  ])('%s → %j', (pathname, expected) => {
    expect(matchListPath(pathname, CUSTOM)).toEqual(expected);
  });
});

describe('listBase and listHref', () => {
  it.each<[string, ListView, number, HexoDirs, string[], string]>([
    ['home', 'home', 1, HEXO, [], '/'],
    ['home', 'home', 2, HEXO, [], '/page/2/'],
    ['home', 'archive', 1, HEXO, ['archives'], '/archives/'],
    ['home', 'archive', 3, HEXO, ['archives'], '/archives/page/3/'],
    ['cat:新媒体/ZAKER', 'category', 1, HEXO, ['categories', '新媒体', 'ZAKER'], '/categories/%E6%96%B0%E5%AA%92%E4%BD%93/ZAKER/'],
    ['cat:a', 'category', 2, HEXO, ['categories', 'a'], '/categories/a/page/2/'],
    ['tag:a/b', 'tag', 1, HEXO, ['tags', 'a/b'], '/tags/a%2Fb/'],
    ['tag:x:y', 'tag', 1, HEXO, ['tags', 'x:y'], '/tags/x%3Ay/'],
    ['year:2021', 'archive', 1, HEXO, ['archives', '2021'], '/archives/2021/'],
    ['month:2021/11', 'archive', 2, HEXO, ['archives', '2021', '11'], '/archives/2021/11/page/2/'],
    ['home', 'home', 3, CUSTOM, [], '/p/n/3/'],
    ['home', 'archive', 1, CUSTOM, ['arch'], '/arch/'],
    ['cat:a', 'category', 2, CUSTOM, ['blog', 'cats', 'a'], '/blog/cats/a/p/n/2/'],
    ['tag:x', 'tag', 1, CUSTOM, ['t', 'x'], '/t/x/'],
    ['month:2021/11', 'archive', 1, CUSTOM, ['arch', '2021', '11'], '/arch/2021/11/'],
  ])('%s (%s) page %i', (key, view, page, dirs, base, href) => {
    expect(listBase(key, view, dirs)).toEqual(base);
    expect(listHref(key, view, page, dirs)).toBe(href);
  });
});

describe('indexHref', () => {
  it.each<['categories' | 'tags', HexoDirs, string]>([
    ['categories', HEXO, '/categories/'],
    ['tags', HEXO, '/tags/'],
    ['categories', CUSTOM, '/blog/cats/'],
    ['tags', CUSTOM, '/t/'],
  ])('%s → %s', (index, dirs, expected) => {
    expect(indexHref(index, dirs)).toBe(expected);
  });
});

describe('viewOfKey', () => {
  it.each<[string, ListView]>([
    ['home', 'home'],
    ['cat:a/b', 'category'],
    ['tag:x', 'tag'],
    ['year:2021', 'archive'],
    ['month:2021/11', 'archive'],
    ['category:x', 'archive'], // only `cat:` names a category
    ['tags:x', 'archive'],
  ])('%s → %s', (key, expected) => {
    expect(viewOfKey(key)).toBe(expected);
  });
});

describe('viewHelpers', () => {
  it('gives the index links and page-1 hrefs for one configuration', () => {
    const h = viewHelpers(CUSTOM);
    expect(h.links).toEqual({ categories: '/blog/cats/', tags: '/t/', archives: '/arch/' });
    expect(['home', 'cat:a/b', 'tag:x', 'year:2021', 'month:2021/11'].map(h.listHref)).toEqual(['/', '/blog/cats/a/b/', '/t/x/', '/arch/2021/', '/arch/2021/11/']);
    expect(viewHelpers(HEXO).links).toEqual({ categories: '/categories/', tags: '/tags/', archives: '/archives/' });
  });
});

describe('round trip', () => {
  // Names a list key may hold, avoiding those Hexo's own URLs make ambiguous: a name equal to
  // the pagination directory or `index.html`, and dot segments (`.`, `..`: URL syntax, and never
  // a slug, as slugize turns dots into dashes).
  const name = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'Z', '0', '9', ' ', '/', '%', '?', '新', 'é', '_', '-') })
    .map((s) => s.normalize('NFC'))
    .filter((s) => s !== 'page' && s !== 'p' && s !== 'index.html' && !/^[1-9]\d*$/.test(s));

  it('matchListPath(listHref(key)) gives back the key, view and page (property)', () => {
    const target = fc.oneof(
      fc.array(name.filter((s) => !s.includes('/')), { minLength: 1, maxLength: 3 }).map((segs) => [`cat:${segs.join('/')}`, 'category'] as const),
      name.map((t) => [`tag:${t}`, 'tag'] as const),
      fc.integer({ min: 1000, max: 9999 }).map((y) => [`year:${y}`, 'archive'] as const),
      fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => [`month:${y}/${String(m).padStart(2, '0')}`, 'archive'] as const),
      fc.constantFrom(['home', 'home'] as const, ['home', 'archive'] as const),
    );
    fc.assert(
      fc.property(target, fc.integer({ min: 1, max: 50 }), fc.constantFrom(HEXO, CUSTOM), ([key, view], page, dirs) => {
        const href = listHref(key, view, page, dirs);
        expect(new URL(href, 'https://example.com').pathname).toBe(href); // already canonical
        expect(matchListPath(href, dirs)).toEqual(list(key, view, page));
      }),
      { numRuns: 500 },
    );
  });
});
