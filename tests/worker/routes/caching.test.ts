/**
 * HTTP caching of every kind of response: strong ETags, Last-Modified, conditional requests
 * (RFC 9110 §13), Cache-Control per kind, the edge render cache and Server-Timing — and that a
 * 304 or a render-cache hit is answered without any D1 query.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { countingDb, fetchApp, queries } from '../helpers/app';
import { readListPage } from '../helpers/html';
import { apiArticlePath, expectedPermalink, hrefOf } from '../helpers/oracle';
import { clearStore, seed } from '../helpers/seed';
import { TREE, slugOf, treeFiles, treeSource } from '../helpers/tree';

const POST = TREE[0]!;

beforeAll(async () => {
  await clearStore();
  await seed(treeFiles());
});

type Kind = 'article' | 'list' | 'api' | 'feed';

// Every kind of versioned response.
const ROUTES: { name: string; path: string; kind: Kind; d1: boolean }[] = [
  { name: 'article page', path: expectedPermalink(POST), kind: 'article', d1: false },
  { name: 'home page', path: '/', kind: 'list', d1: true },
  { name: 'home page 2', path: '/page/2/', kind: 'list', d1: true },
  { name: 'category page', path: hrefOf(['categories', '新媒体', 'ZAKER']), kind: 'list', d1: true },
  { name: 'tag page', path: hrefOf(['tags', '安全']), kind: 'list', d1: true },
  { name: 'archive month', path: '/archives/2022/02/', kind: 'list', d1: true },
  { name: 'category tree', path: '/categories/', kind: 'list', d1: true },
  { name: 'tag cloud', path: '/tags/', kind: 'list', d1: true },
  { name: 'API list', path: '/api/articles', kind: 'api', d1: true },
  { name: 'API category', path: `/api${hrefOf(['categories', '图片'])}`, kind: 'api', d1: true },
  { name: 'API category tree', path: '/api/categories/', kind: 'api', d1: true },
  { name: 'API article', path: apiArticlePath(POST), kind: 'api', d1: false },
  { name: 'Atom feed', path: '/atom.xml', kind: 'feed', d1: true },
  { name: 'RSS feed', path: '/rss2.xml', kind: 'feed', d1: true },
  { name: 'sitemap', path: '/sitemap.xml', kind: 'feed', d1: true },
];

describe.each(ROUTES)('conditional requests on the $name', ({ path, kind }) => {
  it('sends a strong ETag of its kind, Last-Modified and Cache-Control', async () => {
    const res = await fetchApp(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(new RegExp(`^"${kind}-[A-Za-z0-9_-]{16}"$`));
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const lm = res.headers.get('last-modified');
    expect(lm).not.toBeNull();
    expect(new Date(lm!).toUTCString()).toBe(lm);
    expect(Date.parse(lm!)).toBeLessThanOrEqual(Date.now());
    await res.arrayBuffer();
  });

  it.each([
    ['the exact tag', (e: string) => e],
    ['a list containing it', (e: string) => `"nope", ${e}, "other"`],
    ['its weak form', (e: string) => `W/${e}`],
    ['*', () => '*'],
  ])('answers If-None-Match with %s by 304 with no body', async (_n, header) => {
    const first = await fetchApp(path);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const res = await fetchApp(path, { headers: { 'if-none-match': header(etag) } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
    expect(res.headers.get('last-modified')).toBe(first.headers.get('last-modified'));
  });

  it('answers a non-matching If-None-Match with 200 even when If-Modified-Since alone would give 304', async () => {
    const first = await fetchApp(path);
    const lm = first.headers.get('last-modified')!;
    await first.arrayBuffer();
    expect((await fetchApp(path, { headers: { 'if-modified-since': lm } })).status).toBe(304);
    const res = await fetchApp(path, { headers: { 'if-none-match': '"stale"', 'if-modified-since': lm } });
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('answers If-Modified-Since at Last-Modified with 304; before it, unparseable or after now with 200', async () => {
    const first = await fetchApp(path);
    const lm = first.headers.get('last-modified')!;
    await first.arrayBuffer();
    expect((await fetchApp(path, { headers: { 'if-modified-since': lm } })).status).toBe(304);
    for (const ims of [new Date(Date.parse(lm) - 1000).toUTCString(), 'garbage', new Date(Date.now() + 86_400_000).toUTCString()]) {
      const res = await fetchApp(path, { headers: { 'if-modified-since': ims } });
      expect(res.status, ims).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('answers HEAD with the GET status and headers and no body', async () => {
    const got = await fetchApp(path);
    await got.arrayBuffer();
    const head = await fetchApp(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const h of ['etag', 'cache-control', 'content-type', 'last-modified']) expect(head.headers.get(h), h).toBe(got.headers.get(h));
  });
});

describe('no D1 query for a 304 or a render-cache hit', () => {
  it.each(ROUTES.filter((r) => r.d1))('$name: If-None-Match, If-Modified-Since and a cached render need no D1 query', async ({ path }) => {
    // Fill the render cache (a D1 read at most once).
    const first = await fetchApp(path);
    const etag = first.headers.get('etag')!;
    const lm = first.headers.get('last-modified')!;
    await first.arrayBuffer();

    const byTag = countingDb();
    const inm = await fetchApp(path, { headers: { 'if-none-match': etag } }, { DB: byTag.db } as Partial<Env>);
    expect(inm.status).toBe(304);
    expect(byTag.calls).toEqual([]);

    const byDate = countingDb();
    const ims = await fetchApp(path, { headers: { 'if-modified-since': lm } }, { DB: byDate.db } as Partial<Env>);
    expect(ims.status).toBe(304);
    expect(byDate.calls).toEqual([]);

    const hit = countingDb();
    const cached = await fetchApp(path, {}, { DB: hit.db } as Partial<Env>);
    expect(cached.status).toBe(200);
    expect(cached.headers.get('server-timing')).toContain('cache;desc="hit"');
    expect(cached.headers.get('server-timing')).not.toMatch(/\bdb;dur=/);
    expect(hit.calls).toEqual([]);
    await cached.arrayBuffer();
  });

  it('queries D1 (once, in one batch) on a render-cache miss: the control for the tests above', async () => {
    const counted = countingDb();
    // A page size no other test uses: a new version, so a render-cache miss.
    const res = await fetchApp('/', {}, { DB: counted.db, PER_PAGE: '7' } as Partial<Env>);
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/\bdb;dur=[\d.]+/);
    expect(res.headers.get('server-timing')).toContain('cache;desc="miss"');
    expect(queries(counted)).toEqual(['session.batch']);
    await res.arrayBuffer();
  });
});

describe('Cache-Control per kind', () => {
  it.each([
    ['article page', expectedPermalink(POST), 'public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400'],
    ['home page', '/', 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400'],
    ['category tree', '/categories/', 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400'],
    ['API list', '/api/articles', 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400'],
    ['API article', apiArticlePath(POST), 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400'],
    ['feed', '/atom.xml', 'public, max-age=300, s-maxage=600, stale-while-revalidate=3600, stale-if-error=86400'],
    ['robots.txt', '/robots.txt', 'public, max-age=86400, s-maxage=86400, stale-while-revalidate=604800'],
  ])('gives the %s its default lifetimes', async (_n, path, cc) => {
    const res = await fetchApp(path);
    expect(res.headers.get('cache-control')).toBe(cc);
    await res.arrayBuffer();
  });

  it.each([
    ['an unknown article', '/p/0.html'],
    ['an unknown category', '/categories/nope/'],
    ['an unknown API article', '/api/articles/nope'],
  ])('caches a 404 for %s briefly', async (_n, path) => {
    const res = await fetchApp(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60');
    await res.arrayBuffer();
  });

  it.each([
    ['CACHE_ARTICLE', expectedPermalink(POST)],
    ['CACHE_LIST', '/'],
    ['CACHE_API', '/api/articles'],
    ['CACHE_FEED', '/rss2.xml'],
  ])('takes lifetimes from %s', async (name, path) => {
    const res = await fetchApp(path, {}, { [name]: 'public, max-age=5, s-maxage=7' } as Partial<Env>);
    expect(res.headers.get('cache-control')).toBe('public, max-age=5, s-maxage=7');
    await res.arrayBuffer();
  });

  it('serves the versioned stylesheet as immutable, the bare one not', async () => {
    const home = await (await fetchApp('/')).text();
    const href = /href="(\/assets\/site\.css\?v=[^"]+)"/.exec(home)?.[1];
    expect(href).toBeDefined();
    const res = await fetchApp(href!);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bare = await fetchApp('/assets/site.css');
    expect(bare.headers.get('cache-control')).not.toContain('immutable');
    expect(await bare.text()).toBe(await res.text());
  });
});

describe('edge render cache and Server-Timing', () => {
  it.each([
    ['an article', () => expectedPermalink(TREE[1]!), false],
    ['a list', () => hrefOf(['categories', '编程']), true],
  ])('renders %s on the first request and serves the cached render on the repeat', async (_n, path, d1) => {
    // A PER_PAGE no other test uses gives lists a new version (a miss); articles are keyed by
    // their own version, so the first request in this file is the miss.
    const overrides = { PER_PAGE: '3' } as Partial<Env>;
    const first = await fetchApp(path(), {}, overrides);
    const st1 = first.headers.get('server-timing')!;
    expect(st1).toMatch(/\bkv;dur=\d+(\.\d+)?/);
    expect(st1).toMatch(/\brender;dur=\d+(\.\d+)?/);
    // Lists read D1 to render; articles only KV.
    expect(/\bdb;dur=\d+(\.\d+)?/.test(st1)).toBe(d1);
    expect(st1).toContain('cache;desc="miss"');
    const second = await fetchApp(path(), {}, overrides);
    const st2 = second.headers.get('server-timing')!;
    expect(st2).toContain('cache;desc="hit"');
    expect(st2).toMatch(/\bkv;dur=/);
    expect(st2).not.toMatch(/\brender;dur=/);
    expect(st2).not.toMatch(/\bdb;dur=/);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await second.text()).toBe(await first.text());
  });

  it('serves a re-uploaded article new on the next request, with a new ETag, and changes the lists that show it', async () => {
    const post = TREE[3]!;
    const path = expectedPermalink(post);
    const category = hrefOf(['categories', ...post.categorySlugs]);
    const before = await fetchApp(path);
    const beforeBody = await before.text();
    const catBefore = await fetchApp(category);
    const catBeforeBody = await catBefore.text();
    const apiBefore = await fetchApp('/api/articles');
    await apiBefore.arrayBuffer();

    const source = treeSource(post);
    const edited = source.replace('<p>', '<p>新内容-7f3a。');
    expect(edited).not.toBe(source);
    await seed({ [post.path]: edited });

    const after = await fetchApp(path);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.headers.get('server-timing')).toContain('cache;desc="miss"');
    const afterBody = await after.text();
    expect(afterBody).not.toBe(beforeBody);
    expect(afterBody).toContain('新内容-7f3a。');
    expect(beforeBody).not.toContain('新内容-7f3a。');
    // The old ETag no longer validates.
    const old = await fetchApp(path, { headers: { 'if-none-match': before.headers.get('etag')! } });
    expect(old.status).toBe(200);
    await old.arrayBuffer();
    // The index changed, so every list has a new version, the one showing it included.
    const catAfter = await fetchApp(category);
    expect(catAfter.headers.get('etag')).not.toBe(catBefore.headers.get('etag'));
    expect(readListPage(await catAfter.text()).items.map((i) => i.href)).toEqual(readListPage(catBeforeBody).items.map((i) => i.href));
    const apiAfter = await fetchApp('/api/articles');
    expect(apiAfter.headers.get('etag')).not.toBe(apiBefore.headers.get('etag'));
    await apiAfter.arrayBuffer();
    // The article JSON follows too.
    const json = (await (await fetchApp(apiArticlePath(post))).json()) as { slug: string; html: string };
    expect(json.slug).toBe(slugOf(post));
    expect(json.html).toContain('新内容-7f3a。');
  });
});
