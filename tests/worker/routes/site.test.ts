import { beforeAll, describe, expect, it } from 'vitest';
import { get } from '../helpers/app';
import { allAttributes, parse } from '../helpers/html';
import { seed } from '../helpers/seed';

const FIRST = '000_1c07ab0e1a8962a0';
const FIRST_TITLE = '习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话';

beforeAll(async () => {
  await seed();
});

describe('GET /articles/:slug', () => {
  it('serves the first article with its Chinese title, date, author, categories and og:image', async () => {
    const res = await get(`/articles/${FIRST}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const doc = parse(await res.text());
    expect(doc.querySelector('h1')?.textContent).toBe(FIRST_TITLE);
    expect(doc.querySelector('title')?.textContent).toContain(FIRST_TITLE);
    expect(doc.querySelector('time')?.getAttribute('datetime')).toBe('2021-11-13T06:08:05.000Z');
    expect(doc.querySelector('.author')?.textContent).toBe('ZAKER');
    expect([...doc.querySelectorAll('.tags a')].map((a) => a.textContent)).toEqual(['新媒体', 'ZAKER', 'source']);
    const ogImage = doc.querySelector('meta[property="og:image"]')?.getAttribute('content');
    expect(ogImage).toMatch(/^http:\/\/localhost:8787\/img\/[A-Za-z0-9_-]{22}\/[A-Za-z0-9_-]+$/);
    expect(doc.documentElement.getAttribute('lang')).toBe('zh-CN');
  });

  it('leaves no CORS-proxy URL in any attribute and routes every image through /img/', async () => {
    const html = await (await get(`/articles/${FIRST}`)).text();
    const attrs = allAttributes(html);
    expect(attrs.filter((a) => a.value.includes('cors.zfour.workers.dev'))).toEqual([]);
    const imgs = attrs.filter((a) => a.tag === 'img' && a.name === 'src');
    expect(imgs.length).toBe(2); // the two body images; the header image is the first of them
    for (const img of imgs) expect(img.value).toMatch(/^\/img\//);
  });

  it('shows the header image once when the body starts with the same image', async () => {
    const doc = parse(await (await get(`/articles/${FIRST}`)).text());
    expect(doc.querySelector('img.headimg')).toBeNull();
    const og = doc.querySelector('meta[property="og:image"]')!.getAttribute('content')!;
    expect(doc.querySelector('.article-body img')!.getAttribute('src')).toBe(og.replace('http://localhost:8787', ''));
  });

  it('shows a header image that the body does not contain', async () => {
    await seed({ 'with-header.md': "---\ntitle: H\nheadimg: 'https://cors.zfour.workers.dev/?http://img.example.com/head.jpg'\n---\n<p>text only</p>" });
    const doc = parse(await (await get('/articles/with-header')).text());
    expect(doc.querySelector('img.headimg')?.getAttribute('src')).toMatch(/^\/img\//);
  });

  it('turns the lazy-load markup into plain sized lazy images', async () => {
    const doc = parse(await (await get(`/articles/${FIRST}`)).text());
    const body = doc.querySelector('.article-body')!;
    const img = body.querySelector('img')!;
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('decoding')).toBe('async');
    expect(img.getAttribute('width')).toBe('600');
    expect(img.getAttribute('height')).toBe('423');
    expect(img.hasAttribute('data-original')).toBe(false);
    expect(body.innerHTML).not.toMatch(/onclick/i);
  });

  it('sends validators, caching and a CSP that forbids scripts', async () => {
    const res = await get(`/articles/${FIRST}`);
    expect(res.headers.get('etag')).toMatch(/^"a\.[^"]+"$/);
    expect(res.headers.get('last-modified')).toBe('Sat, 13 Nov 2021 06:08:05 GMT');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+, s-maxage=\d+/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const etag = (await get(`/articles/${FIRST}`)).headers.get('etag')!;
    const res = await get(`/articles/${FIRST}`, { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const res = await get(`/articles/${FIRST}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"a\./);
    expect(await res.text()).toBe('');
  });

  it('shows a hostile-looking title as text', async () => {
    await seed({ 'hostile.md': "---\ntitle: '<script>alert(1)</script>'\nheadimg: 'javascript:alert(1)'\n---\n<p>x</p>" });
    const html = await (await get('/articles/hostile')).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(parse(html).querySelectorAll('script:not([type="application/ld+json"])')).toHaveLength(0);
    expect(html).not.toContain('javascript:');
  });

  it('serves slugs with Chinese characters and spaces', async () => {
    await seed({ '中文 标题.md': "---\ntitle: '中文'\n---\n<p>内容</p>" });
    const res = await get(`/articles/${encodeURIComponent('中文 标题')}`);
    expect(res.status).toBe(200);
    expect(parse(await res.text()).querySelector('h1')?.textContent).toBe('中文');
  });

  it('answers an unknown article with a helpful 404 page', async () => {
    const res = await get('/articles/no-such-article');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const doc = parse(await res.text());
    expect(doc.querySelector('h1')?.textContent).toBe('页面不存在');
    expect(doc.querySelector('a[href="/"]')).not.toBeNull();
  });

  it.each([
    ['thousands of characters', `/articles/${'a'.repeat(5000)}`],
    ['an encoded slash', '/articles/a%2Fb'],
    ['an encoded dot-dot traversal', '/articles/..%2F..%2Findex%3Ameta'],
    ['a control character', '/articles/a%00b'],
    ['broken percent-encoding', '/articles/%E4%ZZ'],
    ['an index key name', `/articles/${encodeURIComponent('../index:meta')}`],
  ])('answers a slug with %s with 400 or 404, never 500', async (_name, path) => {
    const res = await get(path);
    expect([400, 404]).toContain(res.status);
    expect(await res.text()).not.toMatch(/Error:|at .*\.ts/);
  });
});

describe('GET /', () => {
  it('lists articles newest first with title, date, thumbnail and link', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    const doc = parse(await res.text());
    const items = [...doc.querySelectorAll('.post-list > li')];
    expect(items).toHaveLength(20);
    const dates = items.map((li) => li.querySelector('time')!.getAttribute('datetime')!);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const li of items) {
      expect(li.querySelector('h2 a')?.getAttribute('href')).toMatch(/^\/articles\//);
      const thumb = li.querySelector('img.thumb');
      if (thumb) expect(thumb.getAttribute('src')).toMatch(/^\/img\//);
    }
    expect(doc.querySelector('a[rel="next"]')?.getAttribute('href')).toBe('/?page=2');
  });

  it('paginates with ?page=N and answers a page past the end with 404', async () => {
    const page2 = parse(await (await get('/?page=2')).text());
    expect(page2.querySelectorAll('.post-list > li')).toHaveLength(20);
    expect(page2.querySelector('a[rel="prev"]')?.getAttribute('href')).toBe('/');
    expect((await get('/?page=999')).status).toBe(404);
  });

  it.each(['0', '-1', 'abc', '1.5', '1e3'])('answers ?page=%s with 400', async (page) => {
    expect((await get(`/?page=${page}`)).status).toBe(400);
  });

  it('has an ETag and answers If-None-Match with 304', async () => {
    const etag = (await get('/')).headers.get('etag')!;
    expect(etag).toMatch(/^"home\./);
    expect((await get('/', { headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
  });
});

describe('GET /categories/:name', () => {
  it('lists the articles of a category', async () => {
    const res = await get(`/categories/${encodeURIComponent('煎蛋')}`);
    expect(res.status).toBe(200);
    const doc = parse(await res.text());
    expect(doc.querySelector('h1')?.textContent).toBe('煎蛋');
    expect(doc.querySelectorAll('.post-list > li').length).toBeGreaterThan(3);
  });

  it('answers an unknown category with 404', async () => {
    expect((await get('/categories/nope')).status).toBe(404);
  });
});

describe('GET /robots.txt', () => {
  it('allows crawling and points at the sitemap on the configured site URL', async () => {
    const res = await get('/robots.txt', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toContain('Sitemap: http://localhost:8787/sitemap.xml');
  });
});
