/**
 * Caching that tells the truth (issue 12): Last-Modified is when an upload last changed what a
 * response shows, never in the future; validators change whenever the content does (an old-dated
 * article too) and only then (not with the signing key); a list rendered while D1 and the KV index
 * disagree is served uncached.
 *
 * The deployment is pinned (CF_VERSION_METADATA, timestamp 2020) and uploads get explicit clocks,
 * so every Last-Modified below is known to the second.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchApp, fetchWithEnv } from '../helpers/app';
import { allAttributes, readListPage } from '../helpers/html';
import { apiArticlePath, expectedPermalink, hrefOf, readImageRoute } from '../helpers/oracle';
import { bindingStore, clearStore, seed } from '../helpers/seed';
import { TREE, treeFiles, treeSource } from '../helpers/tree';

const DEPLOYMENT = { id: 'deployment-issue-12', tag: '', timestamp: '2020-01-01T00:00:00.000Z' };
const DEPLOY = { CF_VERSION_METADATA: DEPLOYMENT } as unknown as Partial<Env>;
const T1 = '2025-01-01T00:00:00.000Z';
const T1_HTTP = 'Wed, 01 Jan 2025 00:00:00 GMT';
const T2 = '2025-06-01T12:30:00.000Z';
const T2_HTTP = 'Sun, 01 Jun 2025 12:30:00 GMT';

const get = (path: string, init: RequestInit = {}, extra: Partial<Env> = {}) => fetchApp(path, init, { ...DEPLOY, ...extra });

describe('Last-Modified follows uploads', () => {
  const edited = TREE[4]!;
  const untouched = TREE[0]!;

  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles(), { now: T1 });
  });

  it('is the upload time for articles and lists alike', async () => {
    for (const path of [expectedPermalink(edited), expectedPermalink(untouched), '/', hrefOf(['categories', '图片']), '/api/articles', '/atom.xml']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('last-modified'), path).toBe(T1_HTTP);
      await res.arrayBuffer();
    }
  });

  it('answers an edited, re-uploaded article with 200 (not 304) to If-Modified-Since: <old Last-Modified>, with a new Last-Modified', async () => {
    const path = expectedPermalink(edited);
    const before = await get(path, { headers: { 'if-modified-since': T1_HTTP } });
    expect(before.status).toBe(304);

    await seed({ [edited.path]: treeSource(edited).replace('<p>', '<p>更正-91c2：') }, { now: T2 });

    const after = await get(path, { headers: { 'if-modified-since': T1_HTTP } });
    expect(after.status).toBe(200);
    expect(after.headers.get('last-modified')).toBe(T2_HTTP);
    expect(await after.text()).toContain('更正-91c2：');
    expect((await get(path, { headers: { 'if-modified-since': T2_HTTP } })).status).toBe(304);
  });

  it('keeps the Last-Modified of an article the upload did not change', async () => {
    const res = await get(expectedPermalink(untouched), { headers: { 'if-modified-since': T1_HTTP } });
    expect(res.status).toBe(304);
    expect(res.headers.get('last-modified')).toBe(T1_HTTP);
  });

  it('moves the Last-Modified of the lists, feeds and sitemap to the upload that changed the index', async () => {
    for (const path of ['/', hrefOf(['categories', '新媒体']), '/categories/', '/api/articles', '/atom.xml', '/sitemap.xml']) {
      const res = await get(path, { headers: { 'if-modified-since': T1_HTTP } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('last-modified'), path).toBe(T2_HTTP);
      await res.arrayBuffer();
    }
  });

  it('ignores an If-Modified-Since later than now, and honours one between Last-Modified and now', async () => {
    for (const path of [expectedPermalink(untouched), '/', '/rss2.xml']) {
      const future = await get(path, { headers: { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() } });
      expect(future.status, path).toBe(200);
      await future.arrayBuffer();
      const recent = await get(path, { headers: { 'if-modified-since': new Date(Date.now() - 86_400_000).toUTCString() } });
      expect(recent.status, path).toBe(304);
    }
  });
});

describe('Last-Modified is never in the future', () => {
  const future = {
    path: '未来/2099 年的文章.md',
    source: "---\ntitle: '来自未来的文章'\ndate: 2099-12-31 23:59:59\ncategories: [未来]\n---\n<p>future</p>\n",
  };

  beforeAll(async () => {
    await clearStore();
    await seed({ ...treeFiles(), [future.path]: future.source }, { now: T1 });
  });

  it('gives a post dated 2099 the upload time, not its date', async () => {
    const api = (await (await get(`/api/articles/${future.path.replace(/\.md$/, '').split('/').map(encodeURIComponent).join('/')}`)).json()) as { date: string; url: string };
    expect(api.date).toBe('2099-12-31T23:59:59.000Z');
    const res = await get(new URL(api.url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('last-modified')).toBe(T1_HTTP);
    // The home page lists it first, and is not "modified" in 2099 either.
    const home = await get('/');
    expect(readListPage(await home.text()).items[0]?.title).toBe('来自未来的文章');
    expect(home.headers.get('last-modified')).toBe(T1_HTTP);
  });

  it('caps Last-Modified at now when the uploading machine’s clock is ahead', async () => {
    await seed({ [future.path]: future.source.replace('<p>future</p>', '<p>future, edited</p>') }, { now: '2099-06-01T00:00:00.000Z' });
    const api = (await (await get('/api/articles?page=1')).json()) as { articles: { url: string; title: string }[] };
    const url = api.articles.find((a) => a.title === '来自未来的文章')?.url;
    expect(url).toBeDefined();
    for (const path of [new URL(url!).pathname, '/', '/atom.xml']) {
      const before = Date.now();
      const res = await get(path);
      const after = Date.now();
      const lm = Date.parse(res.headers.get('last-modified') ?? '');
      expect(lm, path).toBeLessThanOrEqual(after);
      // Capped at the server's now (HTTP dates have whole seconds).
      expect(lm, path).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
      await res.arrayBuffer();
    }
  });
});

describe('validators change with the content, and only with it', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles(), { now: T1 });
  });

  it('changes /api/articles total AND its ETag when one old-dated article is added (off page 1)', async () => {
    const before = await get('/api/articles');
    const etag = before.headers.get('etag')!;
    const json = (await before.json()) as { total: number; articles: { url: string }[] };
    expect(json.total).toBe(TREE.length);

    await seed({ '旧闻/2000 年.md': "---\ntitle: '两千年的旧闻'\ndate: 2000-01-01 00:00:00\n---\n<p>old</p>\n" }, { now: T2 });

    const after = await get('/api/articles', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const afterJson = (await after.json()) as { total: number; pages: number; articles: { url: string }[] };
    expect(afterJson.total).toBe(TREE.length + 1);
    // Page 1 shows the same articles: only the total (and the page count) changed.
    expect(afterJson.articles.map((a) => a.url)).toEqual(json.articles.map((a) => a.url));
    const last = (await (await get(`/api/articles?page=${afterJson.pages}`)).json()) as { articles: { title: string }[] };
    expect(last.articles.at(-1)?.title).toBe('两千年的旧闻');
  });

  it.each([
    ['an article page', () => expectedPermalink(TREE[0]!)],
    ['a list page with thumbnails', () => hrefOf(['categories', '新媒体'])],
    ['the API article', () => apiArticlePath(TREE[0]!)],
  ])('does not change the ETag of %s with IMAGE_SIGNING_KEY, while its image URLs do', async (_n, path) => {
    const keyA = env.IMAGE_SIGNING_KEY!;
    const keyB = 'another-signing-key-for-the-same-deployment';
    // Separate origins: separate render caches, so each body is rendered with its own key.
    const a = await fetchWithEnv({ ...env, ...DEPLOY } as Env, path(), {}, 'http://key-a.test');
    const b = await fetchWithEnv({ ...env, ...DEPLOY, IMAGE_SIGNING_KEY: keyB } as Env, path(), {}, 'http://key-b.test');
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.headers.get('server-timing')).toContain('cache;desc="miss"');
    expect(b.headers.get('server-timing')).toContain('cache;desc="miss"');
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    const [bodyA, bodyB] = [await a.text(), await b.text()];
    expect(bodyB).not.toBe(bodyA);
    const images = (body: string) =>
      a.headers.get('content-type')!.startsWith('application/json')
        ? [...body.matchAll(/\/img\/[A-Za-z0-9_-]{22}\/[A-Za-z0-9_-]+/g)].map((m) => m[0])
        : allAttributes(body).filter((x) => x.tag === 'img' && x.name === 'src').map((x) => x.value);
    const [srcA, srcB] = [images(bodyA), images(bodyB)];
    expect(srcA.length).toBeGreaterThan(0);
    expect(srcB).toHaveLength(srcA.length);
    srcA.forEach((src, i) => {
      const ra = readImageRoute(src, keyA);
      const rb = readImageRoute(srcB[i]!, keyB);
      expect(ra.signatureOk).toBe(true);
      expect(rb.signatureOk).toBe(true);
      expect(rb.original).toBe(ra.original);
      expect(readImageRoute(srcB[i]!, keyA).signatureOk).toBe(false);
    });
    // Nothing else differs.
    expect(bodyB.replace(/\/img\/[A-Za-z0-9_-]{22}\//g, '/img/SIG/')).toBe(bodyA.replace(/\/img\/[A-Za-z0-9_-]{22}\//g, '/img/SIG/'));
  });
});

describe('a list rendered while D1 and the KV index disagree', () => {
  const added = {
    path: '新媒体/ZAKER/channel/半途的上传.md',
    source: "---\ntitle: '半途的上传'\ndate: 2023-03-03 03:03:03\ncategories: [新媒体, ZAKER, channel]\n---\n<p>half</p>\n",
  };
  /** The bindings as an upload store that dies before its last write (the KV index record). */
  const interrupted = () => {
    const store = bindingStore();
    const putMany = store.kv.putMany.bind(store.kv);
    store.kv.putMany = (entries) => putMany(entries.filter((e) => e.key !== 'v2:index'));
    return store;
  };

  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles(), { now: T1 });
    const index = await env.ARTICLES.get('v2:index');
    expect(index).not.toBeNull();
    await seed({ [added.path]: added.source }, { now: T2, store: interrupted() });
    // D1 has the new version, KV still names the old one.
    expect(await env.ARTICLES.get('v2:index')).toBe(index);
  });

  // This index version was rendered (and cached, rightly) by the tests above: a page size of its
  // own gives this block its own render version.
  const get = (path: string) => fetchApp(path, {}, { ...DEPLOY, PER_PAGE: '9' } as Partial<Env>);
  const PATHS = ['/', hrefOf(['categories', '新媒体', 'ZAKER']), '/categories/', '/api/articles', `/api${hrefOf(['categories', '新媒体'])}`, '/atom.xml', '/sitemap.xml'];

  it.each(PATHS)('%s is served no-store, and rendered again on the next request', async (path) => {
    for (let i = 0; i < 2; i++) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('server-timing')).toContain('cache;desc="miss"');
      await res.arrayBuffer();
    }
  });

  it('shows what D1 has meanwhile (the half-uploaded article), uncached', async () => {
    const home = await get('/');
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(readListPage(await home.text()).items.map((i) => i.title)).toContain('半途的上传');
  });

  describe('once the upload has finished', () => {
    beforeAll(async () => {
      await seed({ [added.path]: added.source }, { now: T2 });
    });

    it.each(PATHS)('%s is cached again', async (path) => {
      const first = await get(path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toMatch(/^public, /);
      expect(first.headers.get('server-timing')).toContain('cache;desc="miss"');
      const body = await first.text();
      const second = await get(path);
      expect(second.headers.get('server-timing')).toContain('cache;desc="hit"');
      expect(await second.text()).toBe(body);
    });
  });
});
