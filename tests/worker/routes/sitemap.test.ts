/**
 * /sitemap.xml (sitemaps.org 0.9): every article at its permalink plus the home page, oldest first
 * (so adding articles never moves one to another file), percent-encoded, on SITE_URL; past 50,000
 * URLs a <sitemapindex> of /sitemap-N.xml ranges.
 */
import { env } from 'cloudflare:workers';
import { DOMParser } from 'linkedom/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { SITE, fetchApp } from '../helpers/app';
import { crc16Arc, decodedSegments, hrefOf } from '../helpers/oracle';
import { clearStore, fixturePosts, seed, testVars } from '../helpers/seed';
import { TREE, slugOf, treeFiles } from '../helpers/tree';
import { assertWellFormedXml } from '../helpers/xml-check';

const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XML = 'application/xml; charset=utf-8';
const UPLOADED = '2025-01-01T00:00:00.000Z';

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
  const res = await fetchApp(path, init);
  return { res, xml: await res.text() };
}

/** Every fixture's title and date (as ISO), from its front matter. */
const fixtures = Object.values(fixturePosts).map((source) => {
  const title = /^title: '(.*)'$/m.exec(source)![1]!.replaceAll("''", "'");
  const raw = /^date: (.*)$/m.exec(source)![1]!.trim();
  // RFC 2822 dates carry GMT; YAML timestamps are read in UTC (the test upload's zone).
  const date = new Date(/GMT$/.test(raw) ? raw : `${raw.replace(' ', 'T')}Z`).toISOString();
  return { title, date, permalink: `/p/${crc16Arc(title).toString(16)}.html` };
});

describe('GET /sitemap.xml (one file)', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(fixturePosts, { now: UPLOADED });
  });

  it('is a urlset of the home page and every article at its permalink, oldest first, with lastmod', async () => {
    const { res, xml } = await fetchSitemap('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XML);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const list = urls(parseXml(xml));
    expect(list[0]).toEqual({ loc: `${SITE}/`, lastmod: UPLOADED });
    const expected = [...fixtures].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    // No two real posts share a date, so date order is the list order.
    expect(new Set(fixtures.map((f) => f.date)).size).toBe(fixtures.length);
    expect(list.slice(1)).toEqual(expected.map((f) => ({ loc: `${SITE}${f.permalink}`, lastmod: f.date })));
  });

  it('uses SITE_URL, not the Host header, and every URL resolves', async () => {
    const { xml } = await fetchSitemap('/sitemap.xml', { headers: { host: 'evil.example' } });
    expect(xml).not.toContain('evil.example');
    for (const u of urls(parseXml(xml))) {
      expect(u.loc.startsWith(`${SITE}/`)).toBe(true);
      const res = await fetchApp(u.loc.slice(SITE.length));
      expect(res.status, u.loc).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('serves the single file as /sitemap-1.xml too, and 404 past the end', async () => {
    const one = await fetchSitemap('/sitemap-1.xml');
    expect(one.res.status).toBe(200);
    expect(urls(parseXml(one.xml))).toEqual(urls(parseXml((await fetchSitemap('/sitemap.xml')).xml)));
    for (const path of ['/sitemap-2.xml', '/sitemap-0.xml', '/sitemap-01.xml', '/sitemap-x.xml']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('has validators and answers If-None-Match / If-Modified-Since with 304, HEAD with no body', async () => {
    const res = await fetchApp('/sitemap.xml');
    const etag = res.headers.get('etag')!;
    const lastModified = res.headers.get('last-modified')!;
    expect(etag).toMatch(/^"feed-[A-Za-z0-9_-]{16}"$/);
    expect(lastModified).toMatch(/GMT$/);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=300, s-maxage=600/);
    expect(res.headers.get('server-timing')).toMatch(/kv;dur=.*cache;desc="(hit|miss)"/);
    await res.arrayBuffer();
    expect((await fetchApp('/sitemap-1.xml', { method: 'HEAD' })).headers.get('etag')).not.toBe(etag);
    const inm = await fetchApp('/sitemap.xml', { headers: { 'if-none-match': etag } });
    expect(inm.status).toBe(304);
    expect(await inm.text()).toBe('');
    expect((await fetchApp('/sitemap.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const head = await fetchApp('/sitemap.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-type')).toBe(XML);
    expect(await head.text()).toBe('');
  });

  it('changes its ETag after a re-upload, the new article last', async () => {
    const before = (await fetchApp('/sitemap.xml', { method: 'HEAD' })).headers.get('etag')!;
    await seed({ 'late.md': "---\ntitle: 'late'\ndate: 2031-01-01 00:00:00\n---\n<p>x</p>" });
    const after = await fetchApp('/sitemap.xml', { headers: { 'if-none-match': before } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
    expect(urls(parseXml(await after.text())).at(-1)).toEqual({ loc: `${SITE}/p/${crc16Arc('late').toString(16)}.html`, lastmod: '2031-01-01T00:00:00.000Z' });
  });
});

describe('percent-encoded locations (PERMALINK :title/)', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles(), { vars: testVars({ PERMALINK: ':title/' }) });
  });

  it('percent-encodes every path segment (Chinese, spaces, %, ?, #, emoji) and each location resolves', async () => {
    const { xml } = await fetchSitemap('/sitemap.xml');
    const locs = urls(parseXml(xml)).slice(1).map((u) => u.loc);
    expect(locs).toHaveLength(TREE.length);
    for (const loc of locs) expect(loc).toMatch(/^http:\/\/localhost:8787\/[\x21-\x7e]*$/);
    expect(new Set(locs.map((loc) => JSON.stringify(decodedSegments(loc))))).toEqual(new Set(TREE.map((p) => JSON.stringify(slugOf(p).split('/')))));
    for (const post of TREE) {
      const res = await fetchApp(hrefOf(slugOf(post).split('/')));
      expect(res.status, post.path).toBe(200);
      await res.arrayBuffer();
    }
  });
});

describe('sitemap index (more than 50,000 articles)', () => {
  // A hand-written index: the home list claims 50,001 articles and holds three of them, at
  // positions 1, 2 (the first file) and 50,001 (the second).
  const item = (slug: string, path: string, date: string | null) =>
    JSON.stringify({ slug, path, title: slug, date, author: null, categories: [], thumbnail: null });

  beforeAll(async () => {
    await clearStore();
    const set = 'INSERT INTO meta (key, value) VALUES (?, ?)';
    await env.DB.batch([
      env.DB.prepare(set).bind('version', 'hand-written-1'),
      env.DB.prepare(set).bind('changed_at', '2022-03-01T00:00:00.000Z'),
      env.DB.prepare("INSERT INTO lists (key, kind, name, parent, trail, count, first) VALUES ('home', 'home', '', NULL, '[]', 50001, 1)"),
      env.DB.prepare('INSERT INTO entries (list, pos, slug, summary) VALUES (?, ?, ?, ?)').bind('home', 1, 'oldest', item('oldest', '/p/1.html', '2020-01-01T00:00:00.000Z')),
      env.DB.prepare('INSERT INTO entries (list, pos, slug, summary) VALUES (?, ?, ?, ?)').bind('home', 2, 'a b', item('a b', '/a b/?#/', null)),
      env.DB.prepare('INSERT INTO entries (list, pos, slug, summary) VALUES (?, ?, ?, ?)').bind('home', 50001, 'newest', item('newest', '/p/newest.html', '2022-03-01T00:00:00.000Z')),
    ]);
    await env.ARTICLES.put('v2:index', JSON.stringify({ v: 2, version: 'hand-written-1', changedAt: '2022-03-01T00:00:00.000Z', site: {}, siteChangedAt: null }));
  });

  it('makes /sitemap.xml a sitemapindex linking /sitemap-1.xml and /sitemap-2.xml', async () => {
    const { res, xml } = await fetchSitemap('/sitemap.xml', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XML);
    const root = parseXml(xml);
    expect(root.tagName).toBe('sitemapindex');
    expect(root.getAttribute('xmlns')).toBe(NS);
    const locs = [...root.getElementsByTagName('sitemap')].map((s) => s.getElementsByTagName('loc')[0]!.textContent);
    expect(locs).toEqual([`${SITE}/sitemap-1.xml`, `${SITE}/sitemap-2.xml`]);
  });

  it('serves the n-th 50,000 articles from the oldest as /sitemap-n.xml, the home page in the first only', async () => {
    expect(urls(parseXml((await fetchSitemap('/sitemap-1.xml')).xml))).toEqual([
      { loc: `${SITE}/`, lastmod: '2022-03-01T00:00:00.000Z' },
      { loc: `${SITE}/p/1.html`, lastmod: '2020-01-01T00:00:00.000Z' },
      { loc: `${SITE}/a%20b/%3F%23/`, lastmod: null },
    ]);
    const second = await fetchSitemap('/sitemap-2.xml');
    expect(second.res.headers.get('content-type')).toBe(XML);
    expect(urls(parseXml(second.xml))).toEqual([{ loc: `${SITE}/p/newest.html`, lastmod: '2022-03-01T00:00:00.000Z' }]);
  });

  it('answers a file past the end with 404', async () => {
    for (const path of ['/sitemap-3.xml', '/sitemap-999999999.xml']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('gives each file its own ETag and answers 304 to a conditional request for one', async () => {
    const etags = await Promise.all(['/sitemap.xml', '/sitemap-1.xml', '/sitemap-2.xml'].map(async (p) => (await fetchApp(p, { method: 'HEAD' })).headers.get('etag')));
    expect(new Set(etags).size).toBe(3);
    expect((await fetchApp('/sitemap-2.xml', { headers: { 'if-none-match': etags[2]! } })).status).toBe(304);
  });
});

describe('empty site', () => {
  beforeAll(async () => {
    await clearStore();
  });

  it('serves a urlset with only the home page, and no /sitemap-1.xml', async () => {
    const { res, xml } = await fetchSitemap('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(urls(parseXml(xml))).toEqual([{ loc: `${SITE}/`, lastmod: null }]);
    expect((await fetchApp('/sitemap-1.xml')).status).toBe(404);
  });
});
