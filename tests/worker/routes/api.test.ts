/**
 * The JSON API: /api/articles (`?page=N`), /api/articles/<slug>, and every list at its Hexo path
 * under /api. Errors are JSON there, never HTML.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SITE, fetchApp } from '../helpers/app';
import { apiArticlePath, expectedPermalink, hrefOf, readImageRoute } from '../helpers/oracle';
import { clearStore, seed } from '../helpers/seed';
import { TREE, slugOf, treeFiles } from '../helpers/tree';

const JSON_TYPE = 'application/json; charset=utf-8';
const KEY = 'test-signing-key';

interface ListJson {
  list: { kind: string; name: string; path: string; count: number };
  articles: Record<string, unknown>[];
  page: number;
  pages: number;
  total: number;
}

beforeAll(async () => {
  await clearStore();
  await seed(treeFiles());
});

describe('GET /api/articles', () => {
  it('returns a page of article summaries with absolute URLs', async () => {
    const res = await fetchApp('/api/articles');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toMatch(/^"api-/);
    const json = (await res.json()) as ListJson;
    expect(json.list).toEqual({ kind: 'home', name: '', path: '/', count: TREE.length });
    expect(json.page).toBe(1);
    expect(json.total).toBe(TREE.length);
    expect(json.pages).toBe(Math.ceil(TREE.length / 10));
    expect(json.articles).toHaveLength(10);
    const permalinks = new Map(TREE.map((p) => [slugOf(p), expectedPermalink(p)]));
    for (const a of json.articles) {
      expect(Object.keys(a).sort()).toEqual(['author', 'categories', 'date', 'slug', 'thumbnail', 'title', 'url']);
      expect(a.url).toBe(`${SITE}${permalinks.get(a.slug as string)}`);
      expect(Array.isArray(a.categories) && (a.categories as unknown[]).every(Array.isArray)).toBe(true);
    }
    const thumbnails = json.articles.map((a) => a.thumbnail).filter((t): t is string => t !== null);
    expect(thumbnails.length).toBeGreaterThan(0);
    for (const t of thumbnails) expect(readImageRoute(t, KEY).signatureOk).toBe(true);
  });

  it('pages with ?page=N, the rest of the list on page 2', async () => {
    const page1 = (await (await fetchApp('/api/articles?page=1')).json()) as ListJson;
    const page2 = (await (await fetchApp('/api/articles?page=2')).json()) as ListJson;
    expect(page2.page).toBe(2);
    expect(page2.articles).toHaveLength(TREE.length - 10);
    const slugs = [...page1.articles, ...page2.articles].map((a) => a.slug);
    expect(new Set(slugs)).toEqual(new Set(TREE.map(slugOf)));
  });

  it('answers a page past the end with a JSON 404', async () => {
    const res = await fetchApp('/api/articles?page=500');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.json()).toMatchObject({ status: 404 });
  });

  it.each(['0', '-1', 'abc', '1.5', '1e3'])('answers ?page=%s with a JSON 400', async (page) => {
    const res = await fetchApp(`/api/articles?page=${page}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.json()).toEqual({ error: '`page` must be a positive integer', status: 400 });
  });

  it('takes an empty ?page= as page 1', async () => {
    const res = await fetchApp('/api/articles?page=');
    expect(res.status).toBe(200);
    expect(((await res.json()) as ListJson).page).toBe(1);
  });
});

describe('GET /api/articles/<slug>', () => {
  it('returns the article with its rewritten body', async () => {
    const post = TREE[0]!;
    const res = await fetchApp(apiArticlePath(post));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    const json = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['abbrlink', 'author', 'categories', 'date', 'headimg', 'html', 'slug', 'tags', 'thumbnail', 'title', 'url']);
    expect(json).toMatchObject({
      slug: slugOf(post),
      title: post.title,
      date: post.date,
      author: 'ZAKER',
      categories: [post.categories],
      tags: post.tags.map((t) => t.name),
      url: `${SITE}${expectedPermalink(post)}`,
    });
    expect(readImageRoute(json.headimg as string, KEY).original).toMatch(/^http:\/\/zkres1\.myzaker\.com\//);
    expect(json.html).toContain('<img');
    expect(JSON.stringify(json)).not.toContain('cors.zfour.workers.dev');
  });

  it('finds slugs whose names hold %, ?, #, quotes, + and emoji', async () => {
    const awkward = TREE.filter((p) => /[%?#"+🐧]/u.test(p.path));
    expect(awkward.length).toBeGreaterThanOrEqual(5);
    for (const post of awkward) {
      const res = await fetchApp(apiArticlePath(post));
      expect(res.status, post.path).toBe(200);
      expect(((await res.json()) as { slug: string }).slug).toBe(slugOf(post));
    }
  });

  it('answers an unknown article with a JSON 404', async () => {
    const res = await fetchApp('/api/articles/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.json()).toEqual({ error: 'no such article', status: 404 });
  });

  it('does not decode a slug twice: a literal %E4%B8%AD in a file name is not 中', async () => {
    const post = TREE.find((p) => p.path.includes('%E4%B8%AD'))!;
    expect(post).toBeDefined();
    const decodedOnce = `/api/articles/${slugOf(post).replace('%E4%B8%AD', '中').split('/').map(encodeURIComponent).join('/')}`;
    expect((await fetchApp(decodedOnce)).status).toBe(404);
    expect((await fetchApp(apiArticlePath(post))).status).toBe(200);
  });
});

describe('lists under /api', () => {
  it.each([
    ['the home list, page 2', '/api/page/2/', { kind: 'home', name: '', path: '/' }],
    ['a category', `/api${hrefOf(['categories', '新媒体', 'IT-之家'])}`, { kind: 'cat', name: 'IT 之家', path: hrefOf(['categories', '新媒体', 'IT-之家']) }],
    ['a tag', `/api${hrefOf(['tags', '新闻'])}`, { kind: 'tag', name: '#新闻', path: hrefOf(['tags', '新闻']) }],
    ['an archive year', '/api/archives/2022/', { kind: 'year', name: '2022', path: '/archives/2022/' }],
    ['an archive month', '/api/archives/2021/07/', { kind: 'month', name: '2021/07', path: '/archives/2021/07/' }],
    ['all archives', '/api/archives/', { kind: 'home', name: '', path: '/archives/' }],
  ])('describes %s', async (_n, path, list) => {
    const res = await fetchApp(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    const json = (await res.json()) as ListJson;
    expect(json.list).toMatchObject(list);
    expect(json.list.count).toBe(json.total);
    expect(json.articles.length).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown API path', '/api/nothing-here'],
    ['an unknown category', '/api/categories/nope/'],
    ['a list page past the end', '/api/page/9/'],
    ['an impossible archive', '/api/archives/2021/13/'],
  ])('answers %s with JSON, not HTML', async (_n, path) => {
    const res = await fetchApp(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.json()).toMatchObject({ status: 404 });
  });

  it('answers HEAD with no body', async () => {
    const res = await fetchApp('/api/categories/', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.text()).toBe('');
  });
});
