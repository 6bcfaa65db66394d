/**
 * Store faults: KV or D1 throwing or stalling (the URL's last good rendering, else 503 with
 * Retry-After), and corrupt values (a clean 500, logged; a bad list entry or a missing article
 * skipped, the document then served uncached). Nothing internal ever reaches a reader.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Faults, countingDb, faultyKv, fetchApp } from '../helpers/app';
import { findOne, parseDocument, readListPage, textOf } from '../helpers/html';
import { expectedPermalink, hrefOf } from '../helpers/oracle';
import { clearStore, seed } from '../helpers/seed';
import { TREE, treeFiles } from '../helpers/tree';

const INTERNALS = /kv\.internal|d1\.internal|Internal Server Error at|D1_ERROR|CorruptValueError|corrupt KV|\.ts:\d+|\bat \w+ \(/;

function withKvFaults(faults: Faults, extra: Partial<Env> = {}): Partial<Env> {
  return { ARTICLES: faultyKv(env.ARTICLES, faults), KV_TIMEOUT_MS: '50', ...extra } as Partial<Env>;
}

function withDbFaults(faults: { fail?: boolean; hang?: boolean }, extra: Partial<Env> = {}): Partial<Env> {
  return { DB: countingDb(env.DB, faults).db, KV_TIMEOUT_MS: '50', ...extra } as Partial<Env>;
}

/** Collects console.error lines (and keeps them off the test output). */
function captureErrors() {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  return () => spy.mock.calls.map((args) => args.map(String).join(' '));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('KV failures', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles());
  });

  it('serves the last good copy of an article when KV throws', async () => {
    const path = expectedPermalink(TREE[0]!);
    const good = await fetchApp(path);
    const goodBody = await good.text();
    const logs = captureErrors();
    const res = await fetchApp(path, {}, withKvFaults({ fail: true, hang: false }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(goodBody);
    expect(res.headers.get('server-timing')).toContain('cache;desc="stale"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBe(good.headers.get('etag'));
    expect(logs().join('\n')).toContain(`${path}: store unavailable`);
  });

  it('serves the last good copy of a list when KV stalls past KV_TIMEOUT_MS', async () => {
    const path = hrefOf(['categories', '新媒体']);
    const good = await (await fetchApp(path)).text();
    const logs = captureErrors();
    const res = await fetchApp(path, {}, withKvFaults({ fail: false, hang: true }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(good);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(logs().join('\n')).toMatch(/KV did not answer within 50 ms/);
  });

  it.each([
    ['an article never served before', '/p/ffff.html', 'text/html; charset=utf-8'],
    ['a list page never served before', hrefOf(['tags', 'Linux']), 'text/html; charset=utf-8'],
    ['an API page never served before', '/api/articles?page=2', 'application/json; charset=utf-8'],
    ['a feed never served before', '/rss2.xml', 'text/html; charset=utf-8'],
  ])('answers %s with 503, Retry-After and no internals', async (_n, path, type) => {
    captureErrors();
    const res = await fetchApp(path, {}, withKvFaults({ fail: true, hang: false }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe(type);
    expect(await res.text()).not.toMatch(INTERNALS);
  });

  it.each(['/robots.txt', '/assets/site.css'])('keeps %s working during an outage', async (path) => {
    captureErrors();
    const res = await fetchApp(path, {}, withKvFaults({ fail: true, hang: false }));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

describe('D1 failures', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles());
  });

  it('serves a list’s last good copy when D1 fails after an upload changed the index', async () => {
    const path = hrefOf(['categories', '图片']);
    const good = await (await fetchApp(path)).text();
    // A new index version: the render cache has nothing for it yet.
    await seed({ '图片/煎蛋/首页/新的一篇.md': "---\ntitle: '新的一篇'\ndate: 2023-05-05 05:05:05\ncategories: [图片, 煎蛋, 首页]\n---\n<p>x</p>\n" });
    for (const faults of [{ fail: true }, { hang: true }]) {
      const logs = captureErrors();
      const res = await fetchApp(path, {}, withDbFaults(faults));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(good);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('server-timing')).toContain('cache;desc="stale"');
      // Logged with the (decoded) path for the operator.
      expect(logs().join('\n')).toContain(`${decodeURIComponent(path)}: store unavailable`);
      vi.restoreAllMocks();
    }
    // With D1 back, the new version.
    const fresh = await fetchApp(path);
    expect(readListPage(await fresh.text()).items.map((i) => i.title)).toContain('新的一篇');
  });

  it.each([
    ['a list never served before', hrefOf(['tags', '安全']), 'text/html; charset=utf-8'],
    ['the category tree', '/categories/', 'text/html; charset=utf-8'],
    ['an API list', `/api${hrefOf(['tags', 'Windows'])}`, 'application/json; charset=utf-8'],
    ['the sitemap', '/sitemap.xml', 'text/html; charset=utf-8'],
  ])('answers %s with 503 when D1 fails', async (_n, path, type) => {
    captureErrors();
    const res = await fetchApp(path, {}, withDbFaults({ fail: true }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.headers.get('content-type')).toBe(type);
    expect(await res.text()).not.toMatch(INTERNALS);
  });

  it('serves articles without D1', async () => {
    const counted = countingDb(env.DB, { fail: true });
    const res = await fetchApp(expectedPermalink(TREE[7]!), {}, { DB: counted.db } as Partial<Env>);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, /);
    expect(counted.calls).toEqual([]);
    await res.arrayBuffer();
  });
});

describe('corrupt and missing values', () => {
  const extra = (slug: string, date: string, categories = '[故障]') =>
    [`${slug}.md`, `---\ntitle: '${slug}'\ndate: ${date}\ncategories: ${categories}\n---\n<p>${slug}</p>\n`] as const;

  beforeAll(async () => {
    await clearStore();
    await seed({
      ...treeFiles(),
      ...Object.fromEntries([
        extra('corrupt-json', '2021-01-01 00:00:00'),
        extra('corrupt-shape', '2021-01-02 00:00:00'),
        // The newest: in the feeds.
        extra('gone-from-kv', '2030-01-01 00:00:00'),
      ]),
    });
  });

  const permalinkOf = async (slug: string) =>
    new URL(((await (await fetchApp(`/api/articles/${slug}`)).json()) as { url: string }).url).pathname;

  it('answers a clean 500 for an article whose KV value is not JSON, and logs the key', async () => {
    const path = await permalinkOf('corrupt-json');
    await env.ARTICLES.put('v2:article:corrupt-json', '{"v":2,"slug":');
    const logs = captureErrors();
    const res = await fetchApp(path);
    expect(res.status).toBe(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(textOf(findOne(parseDocument(body), 'h1')!)).toBe('出错了');
    expect(body).not.toMatch(INTERNALS);
    expect(logs().join('\n')).toContain('corrupt KV value at v2:article:corrupt-json: not JSON');
  });

  it('answers a clean JSON 500 for an article value with missing fields', async () => {
    await env.ARTICLES.put('v2:article:corrupt-shape', JSON.stringify({ v: 2, slug: 'corrupt-shape', title: 7 }));
    const logs = captureErrors();
    const res = await fetchApp('/api/articles/corrupt-shape');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: '出错了', status: 500 });
    expect(logs().join('\n')).toContain('corrupt KV value at v2:article:corrupt-shape: missing or mistyped fields');
  });

  it('answers a clean 500 everywhere when the index record is corrupt, and recovers when it is rewritten', async () => {
    const record = (await env.ARTICLES.get('v2:index'))!;
    await env.ARTICLES.put('v2:index', '{"v":2,"version":');
    try {
      const logs = captureErrors();
      for (const path of ['/', '/categories/', '/api/articles', '/atom.xml', expectedPermalink(TREE[0]!)]) {
        const res = await fetchApp(path);
        expect(res.status, path).toBe(500);
        expect(await res.text(), path).not.toMatch(INTERNALS);
      }
      expect(logs().join('\n')).toContain('corrupt KV value at v2:index');
    } finally {
      await env.ARTICLES.put('v2:index', record);
    }
    expect((await fetchApp('/')).status).toBe(200);
  });

  it('skips a malformed list entry without failing the list', async () => {
    const overrides = { PER_PAGE: '50' } as Partial<Env>; // a render no other test made
    const before = readListPage(await (await fetchApp('/', {}, overrides)).text()).items;
    // Position 3 of the home list (the third oldest) gets a summary that is not JSON.
    await env.DB.prepare("UPDATE entries SET summary = '{not json' WHERE list = 'home' AND pos = 3").run();
    const res = await fetchApp('/', {}, { PER_PAGE: '49' } as Partial<Env>);
    expect(res.status).toBe(200);
    const after = readListPage(await res.text()).items;
    expect(after).toHaveLength(before.length - 1);
    expect(after).toEqual(before.filter((_item, i) => i !== before.length - 3));
  });

  it('serves a feed whose newest article is missing from KV without it, uncached, and logs it', async () => {
    const path = await permalinkOf('gone-from-kv');
    await env.ARTICLES.delete('v2:article:gone-from-kv');
    const logs = captureErrors();
    for (const feed of ['/atom.xml', '/rss2.xml']) {
      const res = await fetchApp(feed, {}, { FEED_SIZE: '5' } as Partial<Env>);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const xml = await res.text();
      expect(xml).not.toContain(path);
      expect(xml.match(feed === '/atom.xml' ? /<entry>/g : /<item>/g)).toHaveLength(4);
    }
    expect(logs().join('\n')).toContain('feed: article "gone-from-kv" is missing; skipped');
    // The list still shows it (D1 has it); its own page is a 404.
    expect(readListPage(await (await fetchApp('/')).text()).items[0]?.href).toBe(path);
    expect((await fetchApp(path)).status).toBe(404);
    // An edit to the post restores it in the feeds.
    await seed({ [`gone-from-kv.md`]: extra('gone-from-kv', '2030-01-01 00:00:00')[1].replace('<p>', '<p>back ') });
    const back = await fetchApp('/atom.xml', {}, { FEED_SIZE: '5' } as Partial<Env>);
    expect(back.headers.get('cache-control')).toMatch(/^public, /);
    expect(await back.text()).toContain(path);
  });
});
