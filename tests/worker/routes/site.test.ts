/**
 * The site a reader sees, on the 61 real posts: article pages at their permalinks, the home page
 * and its pages, category pages with breadcrumbs, archives grouped by month, error pages, robots.
 * Pages are read with parse5 (helpers/html.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SITE, fetchApp } from '../helpers/app';
import { type Element, allAttributes, attr, childElements, elements, findAll, findOne, hasClass, parseDocument, readListPage, textOf } from '../helpers/html';
import { crc16Arc, decodedSegments, hrefOf } from '../helpers/oracle';
import { clearStore, fixturePosts, seed } from '../helpers/seed';

const FIRST_TITLE = '习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话';
const FIXTURE_COUNT = Object.keys(fixturePosts).length;

/** Every fixture's title as its front matter writes it (all are single-quoted). */
const fixtureTitles = Object.values(fixturePosts).map((source) => /^title: '(.*)'$/m.exec(source)![1]!.replaceAll("''", "'"));
/** The permalink of a fixture title (no two fixture titles share a CRC: checked below). */
const permalinkOf = (title: string) => `/p/${crc16Arc(title).toString(16)}.html`;
const FIRST = permalinkOf(FIRST_TITLE);

const canonicalOf = (doc: ReturnType<typeof parseDocument>) => {
  const link = elements(doc).find((el) => el.tagName === 'link' && attr(el, 'rel') === 'canonical');
  return link ? attr(link, 'href') : null;
};
const meta = (doc: ReturnType<typeof parseDocument>, property: string) => {
  const el = elements(doc).find((e) => e.tagName === 'meta' && (attr(e, 'property') === property || attr(e, 'name') === property));
  return el ? attr(el, 'content') : null;
};
const byRel = (doc: ReturnType<typeof parseDocument>, rel: string) => elements(doc).find((el) => el.tagName === 'a' && attr(el, 'rel') === rel) ?? null;

beforeAll(async () => {
  await clearStore();
  await seed();
});

describe('the corpus', () => {
  it('gives 61 posts 61 distinct CRC-16 abbrlinks (so no bumps below)', () => {
    expect(fixtureTitles).toHaveLength(61);
    expect(fixtureTitles).toContain(FIRST_TITLE);
    expect(new Set(fixtureTitles.map(crc16Arc)).size).toBe(61);
  });

  it('serves every post at /p/<crc16 hex>.html with its title', async () => {
    for (const title of fixtureTitles) {
      const res = await fetchApp(permalinkOf(title));
      expect(res.status, title).toBe(200);
      const h1 = findOne(parseDocument(await res.text()), 'h1');
      expect(h1, title).not.toBeNull();
      expect(textOf(h1!)).toBe(title);
    }
  });
});

describe('an article page', () => {
  it('shows the first article with its title, date, author, category trail and og:image', async () => {
    const res = await fetchApp(FIRST);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const doc = parseDocument(await res.text());
    expect(textOf(findOne(doc, 'h1')!)).toBe(FIRST_TITLE);
    expect(textOf(findOne(doc, 'title')!)).toContain(FIRST_TITLE);
    const time = findOne(findOne(doc, 'article')!, 'time');
    expect(time).not.toBeNull();
    expect(attr(time!, 'datetime')).toBe('2021-11-13T06:08:05.000Z');
    expect(textOf(findOne(doc, 'span', 'author')!)).toBe('ZAKER');
    const trail = findAll(findOne(doc, 'article')!, 'a').filter((a) => (attr(a, 'href') ?? '').startsWith('/categories/'));
    expect(trail.map((a) => textOf(a))).toEqual(['新媒体', 'ZAKER', 'source']);
    expect(trail.map((a) => decodedSegments(attr(a, 'href')!))).toEqual([
      ['categories', '新媒体'],
      ['categories', '新媒体', 'ZAKER'],
      ['categories', '新媒体', 'ZAKER', 'source'],
    ]);
    expect(canonicalOf(doc)).toBe(`${SITE}${FIRST}`);
    expect(meta(doc, 'og:url')).toBe(`${SITE}${FIRST}`);
    expect(meta(doc, 'og:type')).toBe('article');
    expect(meta(doc, 'og:image')).toMatch(/^http:\/\/localhost:8787\/img\/[A-Za-z0-9_-]{22}\/[A-Za-z0-9_-]+$/);
    const html = elements(doc).find((el) => el.tagName === 'html')!;
    expect(attr(html, 'lang')).toBe('zh-CN');
  });

  it('links its newer and older neighbours, which link back to it', async () => {
    const doc = parseDocument(await (await fetchApp(FIRST)).text());
    const dateOf = (d: ReturnType<typeof parseDocument>) => attr(findOne(findOne(d, 'article')!, 'time')!, 'datetime')!;
    const newer = byRel(doc, 'prev');
    const older = byRel(doc, 'next');
    expect(newer).not.toBeNull();
    expect(older).not.toBeNull();
    const newerDoc = parseDocument(await (await fetchApp(attr(newer!, 'href')!)).text());
    const olderDoc = parseDocument(await (await fetchApp(attr(older!, 'href')!)).text());
    expect(dateOf(newerDoc) >= dateOf(doc)).toBe(true);
    expect(dateOf(olderDoc) <= dateOf(doc)).toBe(true);
    expect(attr(byRel(newerDoc, 'next')!, 'href')).toBe(FIRST);
    expect(attr(byRel(olderDoc, 'prev')!, 'href')).toBe(FIRST);
  });

  it('leaves no CORS-proxy URL in any attribute and routes every image through /img/', async () => {
    const html = await (await fetchApp(FIRST)).text();
    const attrs = allAttributes(html);
    expect(attrs.filter((a) => a.value.includes('cors.zfour.workers.dev'))).toEqual([]);
    const imgs = findAll(parseDocument(html), 'img');
    expect(imgs.length).toBeGreaterThan(0);
    for (const img of imgs) expect(attr(img, 'src')).toMatch(/^\/img\//);
  });

  it('shows the header image once when the body starts with the same image', async () => {
    const doc = parseDocument(await (await fetchApp(FIRST)).text());
    expect(findOne(doc, 'img', 'headimg')).toBeNull();
    const og = meta(doc, 'og:image')!;
    const bodyImg = findOne(findOne(doc, 'div', 'article-body')!, 'img');
    expect(bodyImg).not.toBeNull();
    expect(attr(bodyImg!, 'src')).toBe(og.replace(SITE, ''));
  });

  it('turns the lazy-load markup into plain sized lazy images', async () => {
    const body = findOne(parseDocument(await (await fetchApp(FIRST)).text()), 'div', 'article-body')!;
    const img = findOne(body, 'img')!;
    expect(attr(img, 'loading')).toBe('lazy');
    expect(attr(img, 'decoding')).toBe('async');
    expect(attr(img, 'width')).toBe('600');
    expect(attr(img, 'height')).toBe('423');
    expect(attr(img, 'data-original')).toBeNull();
    expect(elements(body).flatMap((el) => el.attrs.map((a) => a.name)).filter((n) => n.startsWith('on'))).toEqual([]);
  });

  it('sends validators, caching and a CSP that forbids scripts', async () => {
    const res = await fetchApp(FIRST);
    expect(res.headers.get('etag')).toMatch(/^"article-[A-Za-z0-9_-]{16}"$/);
    const lm = res.headers.get('last-modified');
    expect(lm).not.toBeNull();
    // When an upload last changed it, not the post's own date.
    expect(lm).not.toBe('Sat, 13 Nov 2021 06:08:05 GMT');
    expect(Date.parse(lm!)).toBeLessThanOrEqual(Date.now());
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+, s-maxage=\d+/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    await res.arrayBuffer();
  });

  it('shows a header image that the body does not contain', async () => {
    await seed({ 'with-header.md': "---\ntitle: 'With header'\ndate: 2020-01-01 00:00:00\nheadimg: 'https://cors.zfour.workers.dev/?http://img.example.com/head.jpg'\n---\n<p>text only</p>" });
    const doc = parseDocument(await (await fetchApp(permalinkOf('With header'))).text());
    const head = findOne(doc, 'img', 'headimg');
    expect(head).not.toBeNull();
    expect(attr(head!, 'src')).toMatch(/^\/img\//);
  });

  it('shows a hostile-looking title as text and drops a javascript: header image', async () => {
    const title = '<script>alert(1)</script>';
    await seed({ 'hostile.md': `---\ntitle: '${title}'\ndate: 2020-01-02 00:00:00\nheadimg: 'javascript:alert(1)'\n---\n<p>x</p>` });
    const html = await (await fetchApp(permalinkOf(title))).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const doc = parseDocument(html);
    expect(textOf(findOne(doc, 'h1')!)).toBe(title);
    expect(findAll(doc, 'script').filter((s) => attr(s, 'type') !== 'application/ld+json')).toEqual([]);
    expect(html).not.toContain('javascript:');
  });

  it('serves a post whose file name has Chinese characters and spaces', async () => {
    await seed({ '中文 标题.md': "---\ntitle: '中文'\ndate: 2020-01-03 00:00:00\n---\n<p>内容</p>" });
    const res = await fetchApp(permalinkOf('中文'));
    expect(res.status).toBe(200);
    expect(textOf(findOne(parseDocument(await res.text()), 'h1')!)).toBe('中文');
    const api = await fetchApp(`/api/articles/${encodeURIComponent('中文 标题')}`);
    expect(((await api.json()) as { url: string }).url).toBe(`${SITE}${permalinkOf('中文')}`);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const res = await fetchApp(FIRST, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"article-/);
    expect(await res.text()).toBe('');
  });
});

describe('not found', () => {
  it.each([
    ['an unknown permalink', '/p/no-such.html'],
    ['an unknown path', '/no/such/page'],
    ['an unknown category', '/categories/nope/'],
  ])('answers %s with a helpful 404 page without a canonical link', async (_n, path) => {
    const res = await fetchApp(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const doc = parseDocument(await res.text());
    expect(textOf(findOne(doc, 'h1')!)).toBe('页面不存在');
    expect(findAll(doc, 'a').some((a) => attr(a, 'href') === '/')).toBe(true);
    expect(canonicalOf(doc)).toBeNull();
    expect(meta(doc, 'og:url')).toBeNull();
    expect(meta(doc, 'robots')).toBe('noindex');
  });

  it('speaks English with SITE_LANG=en', async () => {
    const res = await fetchApp('/p/no-such.html', {}, { SITE_LANG: 'en' } as Partial<Env>);
    expect(res.status).toBe(404);
    const doc = parseDocument(await res.text());
    expect(textOf(findOne(doc, 'h1')!)).toBe('Page not found');
    expect(attr(elements(doc).find((el) => el.tagName === 'html')!, 'lang')).toBe('en');
  });

  it.each([
    ['thousands of characters', `/articles/${'a'.repeat(5000)}`],
    ['an encoded slash', '/articles/a%2Fb'],
    ['an encoded dot-dot traversal', '/articles/..%2F..%2Fv2%3Aindex'],
    ['a control character', '/articles/a%00b'],
    ['broken percent-encoding', '/articles/%E4%ZZ'],
    ['an index key name', `/articles/${encodeURIComponent('../v2:index')}`],
    ['a permalink with broken percent-encoding', '/p/%E4%ZZ.html'],
    ['a permalink with a lone surrogate', '/p/%ED%A0%80.html'],
  ])('answers a slug with %s with 400 or 404, never 500', async (_name, path) => {
    const res = await fetchApp(path);
    expect([400, 404]).toContain(res.status);
    expect(await res.text()).not.toMatch(/Error:|at .*\.ts/);
  });
});

describe('the home page', () => {
  const PER_PAGE = 10;
  const TOTAL = FIXTURE_COUNT + 3; // the three posts seeded above

  it('lists the newest articles with title, date, thumbnail and link, and links page 2', async () => {
    const res = await fetchApp('/');
    expect(res.status).toBe(200);
    const doc = parseDocument(await res.text());
    const items = childElements(findOne(doc, 'ul', 'post-list')!, 'li');
    expect(items).toHaveLength(PER_PAGE);
    const dates = items.map((li) => attr(findOne(li, 'time')!, 'datetime')!);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const li of items) {
      expect(attr(findOne(findOne(li, 'h2')!, 'a')!, 'href')).toMatch(/^\/p\/[0-9a-f]{1,4}\.html$/);
      for (const thumb of findAll(li, 'img', 'thumb')) expect(attr(thumb, 'src')).toMatch(/^\/img\//);
    }
    expect(items.some((li) => findOne(li, 'img', 'thumb') !== null)).toBe(true);
    expect(attr(byRel(doc, 'next')!, 'href')).toBe('/page/2/');
    expect(byRel(doc, 'prev')).toBeNull();
    expect(canonicalOf(doc)).toBe(`${SITE}/`);
  });

  it('pages through every article exactly once, and answers past the end with 404', async () => {
    const pages = Math.ceil(TOTAL / PER_PAGE);
    const seen: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const path = page === 1 ? '/' : `/page/${page}/`;
      const view = readListPage(await (await fetchApp(path)).text());
      expect(view.canonical).toBe(`${SITE}${path}`);
      expect(view.prev).toBe(page === 1 ? null : page === 2 ? '/' : `/page/${page - 1}/`);
      expect(view.next).toBe(page === pages ? null : `/page/${page + 1}/`);
      seen.push(...view.items.map((i) => i.href));
    }
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen).size).toBe(TOTAL);
    for (const title of fixtureTitles) expect(seen).toContain(permalinkOf(title));
    expect((await fetchApp(`/page/${pages + 1}/`)).status).toBe(404);
  });

  it('has an ETag and answers If-None-Match with 304', async () => {
    const etag = (await fetchApp('/')).headers.get('etag')!;
    expect(etag).toMatch(/^"list-/);
    expect((await fetchApp('/', { headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
  });
});

describe('category and archive pages', () => {
  it('shows a category with its breadcrumb, name and count', async () => {
    const res = await fetchApp(hrefOf(['categories', '图片', '煎蛋', '首页']));
    expect(res.status).toBe(200);
    const html = await res.text();
    const doc = parseDocument(html);
    expect(textOf(findOne(doc, 'h1')!)).toBe('首页');
    const crumbs = findAll(findOne(doc, 'nav', 'breadcrumb')!, 'a');
    expect(crumbs.map((a) => [textOf(a), decodedSegments(attr(a, 'href')!)])).toEqual([
      ['图片', ['categories', '图片']],
      ['煎蛋', ['categories', '图片', '煎蛋']],
    ]);
    const jandan = Object.values(fixturePosts).filter((s) => s.includes('\n - 煎蛋\n')).length;
    expect(jandan).toBe(9);
    expect(readListPage(html).count).toBe(`${jandan} 篇文章`);
  });

  it('groups a year under month headings, newest month first', async () => {
    const doc = parseDocument(await (await fetchApp('/archives/2021/', {}, { PER_PAGE: '100' } as Partial<Env>)).text());
    expect(textOf(findOne(doc, 'h1')!)).toBe('2021 年');
    const headings = findAll(doc, 'h2', 'archive-month').map((h) => textOf(h));
    expect(headings[0]).toBe('2021 年 12 月');
    expect(headings.at(-1)).toBe('2021 年 3 月');
    // Every item sits under the heading of its own month.
    for (const section of findAll(doc, 'section')) {
      const heading = textOf(findOne(section, 'h2')!);
      for (const time of findAll(section, 'time')) {
        const month = Number(attr(time, 'datetime')!.slice(5, 7));
        expect(heading, attr(time, 'datetime')!).toBe(`2021 年 ${month} 月`);
      }
    }
  });

  it('speaks English on an English site', async () => {
    const overrides = { SITE_LANG: 'en' } as Partial<Env>;
    const month = parseDocument(await (await fetchApp('/archives/2021/11/', {}, overrides)).text());
    expect(textOf(findOne(month, 'h1')!)).toBe('November 2021');
    expect(textOf(findOne(month, 'p', 'list-count')!)).toMatch(/^\d+ articles?$/);
    const cats = parseDocument(await (await fetchApp('/categories/', {}, overrides)).text());
    expect(textOf(findOne(cats, 'h1')!)).toBe('Categories');
  });

  it('links the category tree, tags and archives from every page', async () => {
    const doc = parseDocument(await (await fetchApp(FIRST)).text());
    const nav = findOne(doc, 'nav', 'site-nav')!;
    expect(findAll(nav, 'a').map((a) => attr(a, 'href'))).toEqual(['/', '/categories/', '/tags/', '/archives/', '/atom.xml']);
  });
});

describe('an empty site', () => {
  beforeAll(async () => {
    await clearStore();
  });

  it('serves an empty home page (and archive), and 404 for everything that would list something', async () => {
    for (const path of ['/', '/archives/']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(200);
      const doc = parseDocument(await res.text());
      expect(findAll(doc, 'p').some((p) => hasClass(p, 'empty') && textOf(p) === '还没有文章。'), path).toBe(true);
      expect(findAll(doc, 'ul', 'post-list'), path).toEqual([]);
    }
    for (const path of ['/page/2/', '/categories/x/', '/tags/x/', '/archives/2021/', '/p/0.html']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    const api = (await (await fetchApp('/api/articles')).json()) as { total: number; articles: unknown[] };
    expect(api).toMatchObject({ total: 0, articles: [] });
  });

  it('serves the category tree empty', async () => {
    const res = await fetchApp('/categories/');
    expect(res.status).toBe(200);
    const doc = parseDocument(await res.text());
    expect(findAll(doc, 'ul', 'category-tree')).toEqual([] as Element[]);
  });
});

describe('GET /robots.txt', () => {
  it('allows crawling but not the API, and points at the sitemap on SITE_URL', async () => {
    const res = await fetchApp('/robots.txt', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const lines = (await res.text()).split('\n');
    expect(lines).toContain('Sitemap: http://localhost:8787/sitemap.xml');
    expect(lines).toContain('Disallow: /api/');
    expect(lines).toContain('Allow: /');
  });
});
