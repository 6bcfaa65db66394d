import { env } from 'cloudflare:workers';
import { DOMParser } from 'linkedom/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/store/hash';
import { type IndexMeta, type SitemapShard, LAYOUT_VERSION } from '../../../src/store/kv-layout';
import { get } from '../helpers/app';
import { clearStore, fixturePosts, kvKeys, seed } from '../helpers/seed';
import { assertWellFormedXml } from '../helpers/xml-check';

const SITE = 'http://localhost:8787';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XML = 'application/xml; charset=utf-8';
const FIXTURE_COUNT = Object.keys(fixturePosts).length;

type El = {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): El[];
};

function parseXml(xml: string): El {
  assertWellFormedXml(xml);
  return (new DOMParser().parseFromString(xml, 'text/xml') as unknown as { documentElement: El }).documentElement;
}

interface Url {
  loc: string;
  lastmod: string | null;
}

function urls(root: El): Url[] {
  expect(root.tagName).toBe('urlset');
  expect(root.getAttribute('xmlns')).toBe(NS);
  return [...root.getElementsByTagName('url')].map((u) => ({
    loc: u.getElementsByTagName('loc')[0]!.textContent!,
    lastmod: u.getElementsByTagName('lastmod')[0]?.textContent ?? null,
  }));
}

async function fetchSitemap(path: string, init?: RequestInit) {
  const res = await get(path, init);
  return { res, xml: await res.text() };
}

describe('GET /sitemap.xml (one shard)', () => {
  const CHINESE = '中文 标题';

  beforeAll(async () => {
    await clearStore();
    await seed({ ...fixturePosts, [`${CHINESE}.md`]: "---\ntitle: '中文'\ndate: 2021-01-01 08:00:00\n---\n<p>内容</p>" });
  });

  it('is a urlset listing every article and the home page, with lastmod', async () => {
    const { res, xml } = await fetchSitemap('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XML);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const list = urls(parseXml(xml));
    expect(list).toHaveLength(FIXTURE_COUNT + 1 + 1); // fixtures + the Chinese post + home
    expect(list[0]!.loc).toBe(`${SITE}/`);
    expect(list[0]!.lastmod).toMatch(/^\d{4}-\d\d-\d\dT/);
    const locs = new Set(list.map((u) => u.loc));
    expect(locs.size).toBe(list.length);
    for (const name of Object.keys(fixturePosts)) {
      expect(locs.has(`${SITE}/articles/${encodeURIComponent(name.replace(/\.md$/, ''))}`), name).toBe(true);
    }
    for (const u of list.slice(1)) {
      expect(u.loc.startsWith(`${SITE}/articles/`)).toBe(true);
      expect(u.lastmod, u.loc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    // Newest first, like the index.
    const dates = list.slice(1).map((u) => u.lastmod!);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('percent-encodes slugs with Chinese characters and spaces', async () => {
    const { xml } = await fetchSitemap('/sitemap.xml');
    const encoded = `${SITE}/articles/%E4%B8%AD%E6%96%87%20%E6%A0%87%E9%A2%98`;
    expect(xml).toContain(`<loc>${encoded}</loc><lastmod>2021-01-01T08:00:00.000Z</lastmod>`);
    expect(xml).not.toContain(CHINESE);
  });

  it('uses SITE_URL, not the Host header, and every URL resolves', async () => {
    const { xml } = await fetchSitemap('/sitemap.xml', { headers: { host: 'evil.example' } });
    expect(xml).not.toContain('evil.example');
    for (const u of urls(parseXml(xml))) {
      expect(u.loc.startsWith(`${SITE}/`)).toBe(true);
      const res = await get(u.loc.slice(SITE.length));
      expect(res.status, u.loc).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('serves the single shard as /sitemap-1.xml too, and 404 past the end', async () => {
    const one = await fetchSitemap('/sitemap-1.xml');
    expect(one.res.status).toBe(200);
    expect(urls(parseXml(one.xml))).toEqual(urls(parseXml((await fetchSitemap('/sitemap.xml')).xml)));
    for (const path of ['/sitemap-2.xml', '/sitemap-0.xml', '/sitemap-01.xml', '/sitemap-x.xml']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('has validators and answers If-None-Match / If-Modified-Since with 304, HEAD with no body', async () => {
    const res = await get('/sitemap.xml');
    const etag = res.headers.get('etag')!;
    const lastModified = res.headers.get('last-modified')!;
    expect(etag).toMatch(/^"feed\.sitemap\.[^"]+"$/);
    expect(lastModified).toMatch(/GMT$/);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=300, s-maxage=600/);
    expect(res.headers.get('server-timing')).toMatch(/kv;dur=.*cache;desc="(hit|miss)"/);
    await res.arrayBuffer();
    const inm = await get('/sitemap.xml', { headers: { 'if-none-match': etag } });
    expect(inm.status).toBe(304);
    expect(await inm.text()).toBe('');
    expect((await get('/sitemap.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const head = await get('/sitemap.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-type')).toBe(XML);
    expect(await head.text()).toBe('');
  });

  it('changes its ETag after a re-upload that changes an article', async () => {
    const before = (await get('/sitemap.xml', { method: 'HEAD' })).headers.get('etag');
    await seed({ 'late.md': "---\ntitle: 'late'\ndate: 2031-01-01 00:00:00\n---\n<p>x</p>" });
    const after = await get('/sitemap.xml', { headers: { 'if-none-match': before! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
    expect(await after.text()).toContain(`<loc>${SITE}/articles/late</loc><lastmod>2031-01-01T00:00:00.000Z</lastmod>`);
  });
});

describe('sitemap index (more than one shard)', () => {
  const shard = (n: number, items: SitemapShard['items']): SitemapShard => ({
    v: LAYOUT_VERSION,
    shard: n,
    hash: contentHash(items),
    items,
  });
  const shard0 = shard(0, [
    { slug: 'newest', lastmod: '2022-03-01T00:00:00.000Z' },
    { slug: 'a b', lastmod: null },
  ]);
  const shard1 = shard(1, [{ slug: 'oldest', lastmod: '2020-01-01T00:00:00.000Z' }]);

  async function writeMeta(sitemapShards: number) {
    const meta: IndexMeta = {
      v: LAYOUT_VERSION,
      version: `hand-written-${sitemapShards}`,
      total: 3,
      pageSize: 20,
      pages: 1,
      sitemapShards,
      updated: '2022-03-01T00:00:00.000Z',
      categories: [],
    };
    await env.ARTICLES.put(kvKeys.meta, JSON.stringify(meta));
  }

  beforeAll(async () => {
    await clearStore();
    await env.ARTICLES.put(kvKeys.sitemap(0), JSON.stringify(shard0));
    await env.ARTICLES.put(kvKeys.sitemap(1), JSON.stringify(shard1));
    await writeMeta(2);
  });

  it('makes /sitemap.xml a sitemapindex linking /sitemap-1.xml and /sitemap-2.xml', async () => {
    const { res, xml } = await fetchSitemap('/sitemap.xml', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XML);
    expect(res.headers.get('etag')).toMatch(/^"feed\.sitemap-index\./);
    const root = parseXml(xml);
    expect(root.tagName).toBe('sitemapindex');
    expect(root.getAttribute('xmlns')).toBe(NS);
    const locs = [...root.getElementsByTagName('sitemap')].map((s) => s.getElementsByTagName('loc')[0]!.textContent);
    expect(locs).toEqual([`${SITE}/sitemap-1.xml`, `${SITE}/sitemap-2.xml`]);
    for (const loc of locs) {
      const shardRes = await get(loc!.slice(SITE.length));
      expect(shardRes.status).toBe(200);
      await shardRes.arrayBuffer();
    }
  });

  it('serves shard n-1 as /sitemap-n.xml, the home page in the first only', async () => {
    const first = urls(parseXml((await fetchSitemap('/sitemap-1.xml')).xml));
    expect(first).toEqual([
      { loc: `${SITE}/`, lastmod: '2022-03-01T00:00:00.000Z' },
      { loc: `${SITE}/articles/newest`, lastmod: '2022-03-01T00:00:00.000Z' },
      { loc: `${SITE}/articles/a%20b`, lastmod: null },
    ]);
    const second = await fetchSitemap('/sitemap-2.xml');
    expect(second.res.headers.get('content-type')).toBe(XML);
    expect(second.res.headers.get('etag')).toMatch(/^"feed\.sitemap-2\./);
    expect(urls(parseXml(second.xml))).toEqual([{ loc: `${SITE}/articles/oldest`, lastmod: '2020-01-01T00:00:00.000Z' }]);
  });

  it('answers a shard past the end with 404', async () => {
    for (const path of ['/sitemap-3.xml', '/sitemap-999999999.xml']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('answers 304 to a conditional request for a shard', async () => {
    const res = await get('/sitemap-2.xml');
    const etag = res.headers.get('etag')!;
    await res.arrayBuffer();
    expect((await get('/sitemap-2.xml', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('answers 503 (retry later), not an empty sitemap, when an announced shard is missing', async () => {
    await writeMeta(3);
    const res = await get('/sitemap-3.xml');
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    await res.arrayBuffer();
    const index = await fetchSitemap('/sitemap.xml');
    expect(index.xml).toContain(`<loc>${SITE}/sitemap-3.xml</loc>`);
  });
});

describe('empty site', () => {
  beforeAll(async () => {
    await clearStore();
  });

  it('serves a urlset with only the home page', async () => {
    const { res, xml } = await fetchSitemap('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(urls(parseXml(xml))).toEqual([{ loc: `${SITE}/`, lastmod: null }]);
  });
});
