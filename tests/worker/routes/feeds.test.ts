/**
 * /atom.xml and /rss2.xml (Hexo's paths): well-formed (a strict checker), complete, each article as
 * on its page with absolute signed image URLs, links on SITE_URL only, hostile text made safe, and
 * cached by the index version.
 */
import { env } from 'cloudflare:workers';
import { DOMParser } from 'linkedom/worker';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { xmlEscape } from '../../../src/views/xml-text';
import { SITE, fetchApp, fetchWithEnv } from '../helpers/app';
import { readImageRoute } from '../helpers/oracle';
import { clearStore, fixturePosts, seed } from '../helpers/seed';
import { assertWellFormedXml, xmlProblems } from '../helpers/xml-check';

const FEED_SIZE = 20;
const ATOM = 'application/atom+xml; charset=utf-8';
const RSS = 'application/rss+xml; charset=utf-8';
const KEY = 'test-signing-key';
/** The upload's clock: the index's and every article's changedAt. */
const UPLOADED = '2025-01-01T00:00:00.000Z';

interface ArticleJson {
  slug: string;
  title: string;
  date: string | null;
  author: string | null;
  categories: string[][];
  html: string;
  url: string;
}

// linkedom's XML documents are loosely typed; these tests only read elements and attributes.
type El = {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): El[];
  children: El[];
};

function parseXml(xml: string): El {
  assertWellFormedXml(xml);
  const doc = new DOMParser().parseFromString(xml, 'text/xml') as unknown as { documentElement: El };
  return doc.documentElement;
}

const all = (el: El, name: string) => [...el.getElementsByTagName(name)];
const one = (el: El, name: string) => {
  const found = all(el, name);
  expect(found.length, `<${name}> in <${el.tagName}>`).toBeGreaterThan(0);
  return found[0]!;
};
const text = (el: El, name: string) => one(el, name).textContent ?? '';
/** Direct children only (an entry's <title> is not the feed's). */
const childrenNamed = (el: El, name: string) => [...el.children].filter((c) => c.tagName === name);

async function fetchXml(path: string, init?: RequestInit, overrides: Partial<Env> = {}): Promise<{ res: Response; xml: string }> {
  const res = await fetchApp(path, init, overrides);
  return { res, xml: await res.text() };
}

/** Every article by URL, newest first, from the JSON API (the same D1 list as the home page). */
async function articlesByUrl(): Promise<{ newest: string[]; byUrl: Map<string, ArticleJson> }> {
  const newest: string[] = [];
  const byUrl = new Map<string, ArticleJson>();
  for (let page = 1; ; page++) {
    const json = (await (await fetchApp(`/api/articles?page=${page}`)).json()) as { articles: { url: string; slug: string }[]; pages: number };
    for (const a of json.articles) {
      newest.push(a.url);
      byUrl.set(a.url, (await (await fetchApp(`/api/articles/${a.slug.split('/').map(encodeURIComponent).join('/')}`)).json()) as ArticleJson);
    }
    if (page >= json.pages) break;
  }
  return { newest, byUrl };
}

describe('strict XML checker (test helper)', () => {
  it.each([
    ['two roots', '<a/><b/>'],
    ['unbalanced tags', '<a><b></a></b>'],
    ['unclosed element', '<a><b></b>'],
    ['bare ampersand', '<a>x & y</a>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['illegal character reference', '<a>&#1;</a>'],
    ['unquoted attribute', '<a b=c/>'],
    ['< in attribute', '<a b="<"/>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    [']]> in text', '<a>]]></a>'],
    ['control character', '<a>\u0001</a>'],
    ['lone surrogate', '<a>\uD800</a>'],
    ['text after root', '<a/>x'],
    ['no root', '<?xml version="1.0"?>'],
  ])('rejects %s', (_name, xml) => {
    expect(xmlProblems(xml)).not.toEqual([]);
  });

  it('accepts a well-formed document', () => {
    expect(
      xmlProblems('<?xml version="1.0" encoding="utf-8"?>\n<a x="1" y=\'&amp;&#x4e2d;\'><!-- c --><b>&lt;&gt;&quot;&apos;</b><![CDATA[<x>]]><c/></a>\n'),
    ).toEqual([]);
  });
});

describe('feeds of the real posts', () => {
  let newest: string[];
  let byUrl: Map<string, ArticleJson>;

  beforeAll(async () => {
    await clearStore();
    await seed(fixturePosts, { now: UPLOADED });
    ({ newest, byUrl } = await articlesByUrl());
    expect(newest).toHaveLength(Object.keys(fixturePosts).length);
  });

  it('/atom.xml is a well-formed Atom 1.0 feed with the required feed elements', async () => {
    const { res, xml } = await fetchXml('/atom.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(ATOM);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const feed = parseXml(xml);
    expect(feed.tagName).toBe('feed');
    expect(feed.getAttribute('xmlns')).toBe('http://www.w3.org/2005/Atom');
    expect(feed.getAttribute('xml:lang')).toBe('zh-CN');
    expect(childrenNamed(feed, 'id')[0]?.textContent).toBe(`${SITE}/`);
    expect(childrenNamed(feed, 'title')[0]?.textContent).toBe('新闻聚合');
    expect(childrenNamed(feed, 'subtitle')).toEqual([]); // no SITE_DESCRIPTION
    expect(childrenNamed(feed, 'updated')[0]?.textContent).toBe(UPLOADED);
    const links = childrenNamed(feed, 'link');
    expect(links.find((l) => l.getAttribute('rel') === 'self')?.getAttribute('href')).toBe(`${SITE}/atom.xml`);
    expect(links.find((l) => l.getAttribute('rel') === 'alternate')?.getAttribute('href')).toBe(`${SITE}/`);
    expect(text(childrenNamed(feed, 'author')[0]!, 'name')).toBe('新闻聚合');
    expect(childrenNamed(feed, 'generator')).toHaveLength(1);
  });

  it('takes the title and subtitle from SITE_TITLE and SITE_DESCRIPTION', async () => {
    const overrides = { SITE_TITLE: 'Edge Content Proxy', SITE_DESCRIPTION: 'Syndicated articles & more' } as Partial<Env>;
    const feed = parseXml((await fetchXml('/atom.xml', {}, overrides)).xml);
    expect(childrenNamed(feed, 'title')[0]?.textContent).toBe('Edge Content Proxy');
    expect(childrenNamed(feed, 'subtitle')[0]?.textContent).toBe('Syndicated articles & more');
    const channel = one(parseXml((await fetchXml('/rss2.xml', {}, overrides)).xml), 'channel');
    expect(childrenNamed(channel, 'description')[0]?.textContent).toBe('Syndicated articles & more');
  });

  it('/atom.xml has exactly FEED_SIZE entries, newest first, each as on its page', async () => {
    const feed = parseXml((await fetchXml('/atom.xml')).xml);
    const entries = childrenNamed(feed, 'entry');
    expect(entries).toHaveLength(FEED_SIZE);
    expect(entries.map((e) => text(e, 'id'))).toEqual(newest.slice(0, FEED_SIZE));
    let images = 0;
    for (const entry of entries) {
      const id = text(entry, 'id');
      const json = byUrl.get(id)!;
      expect(json, id).toBeDefined();
      expect(one(entry, 'link').getAttribute('href')).toBe(id);
      expect(one(entry, 'link').getAttribute('rel')).toBe('alternate');
      expect(text(entry, 'title')).toBe(json.title);
      expect(text(entry, 'published')).toBe(json.date);
      // Updated: when the upload last changed it.
      expect(text(entry, 'updated')).toBe(UPLOADED);
      expect(json.author).not.toBeNull();
      expect(text(one(entry, 'author'), 'name')).toBe(json.author);
      expect(all(entry, 'category').map((c) => c.getAttribute('term'))).toEqual([...new Set(json.categories.flat())]);
      expect(one(entry, 'content').getAttribute('type')).toBe('html');
      expect(all(entry, 'summary')).toHaveLength(1);
      const html = text(entry, 'content');
      // The same rewrite as the page, only with the image routes made absolute.
      expect(html.replaceAll(`${SITE}/img/`, '/img/')).toBe(json.html);
      for (const [, src] of html.matchAll(/<img[^>]*\ssrc="([^"]*)"/g)) {
        images++;
        expect(src!.startsWith(`${SITE}/img/`), src).toBe(true);
        expect(readImageRoute(src!, KEY).signatureOk, src).toBe(true);
      }
    }
    expect(images).toBeGreaterThan(10);
  });

  it('/rss2.xml is a well-formed RSS 2.0 feed with the required channel elements', async () => {
    const { res, xml } = await fetchXml('/rss2.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(RSS);
    const rss = parseXml(xml);
    expect(rss.tagName).toBe('rss');
    expect(rss.getAttribute('version')).toBe('2.0');
    expect(rss.getAttribute('xmlns:dc')).toBe('http://purl.org/dc/elements/1.1/');
    expect(rss.getAttribute('xmlns:atom')).toBe('http://www.w3.org/2005/Atom');
    const channel = one(rss, 'channel');
    expect(childrenNamed(channel, 'title')[0]?.textContent).toBe('新闻聚合');
    expect(childrenNamed(channel, 'link')[0]?.textContent).toBe(`${SITE}/`);
    // Required: the title stands in for a missing description.
    expect(childrenNamed(channel, 'description')[0]?.textContent).toBe('新闻聚合');
    expect(childrenNamed(channel, 'language')[0]?.textContent).toBe('zh-CN');
    expect(childrenNamed(channel, 'lastBuildDate')[0]?.textContent).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
    const self = one(channel, 'atom:link');
    expect(self.getAttribute('rel')).toBe('self');
    expect(self.getAttribute('href')).toBe(`${SITE}/rss2.xml`);
  });

  it('/rss2.xml has exactly FEED_SIZE items, newest first, each as on its page', async () => {
    const channel = one(parseXml((await fetchXml('/rss2.xml')).xml), 'channel');
    const items = childrenNamed(channel, 'item');
    expect(items).toHaveLength(FEED_SIZE);
    expect(items.map((i) => text(i, 'link'))).toEqual(newest.slice(0, FEED_SIZE));
    for (const item of items) {
      const json = byUrl.get(text(item, 'link'))!;
      expect(text(item, 'guid')).toBe(text(item, 'link'));
      expect(one(item, 'guid').getAttribute('isPermaLink')).toBe('true');
      expect(text(item, 'title')).toBe(json.title);
      expect(text(item, 'pubDate')).toBe(new Date(json.date!).toUTCString());
      expect(text(item, 'dc:creator')).toBe(json.author);
      expect(all(item, 'category').map((c) => c.textContent)).toEqual([...new Set(json.categories.flat())]);
      expect(text(item, 'description').replaceAll(`${SITE}/img/`, '/img/')).toBe(json.html);
    }
    expect(items.some((i) => /<img[^>]*src="http:\/\/localhost:8787\/img\//.test(text(i, 'description')))).toBe(true);
  });

  it('takes its length from FEED_SIZE', async () => {
    const feed = parseXml((await fetchXml('/atom.xml', {}, { FEED_SIZE: '3' } as Partial<Env>)).xml);
    expect(childrenNamed(feed, 'entry').map((e) => text(e, 'id'))).toEqual(newest.slice(0, 3));
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s never links through the CORS proxy nor uses a root-relative image', async (path) => {
    const xml = (await fetchXml(path)).xml;
    expect(xml).not.toContain('cors.zfour.workers.dev');
    // Inside escaped HTML an attribute reads src=&quot;…
    expect(xml).not.toMatch(/src=&quot;\/img\//);
    expect(xml).not.toMatch(/srcset=&quot;\/img\//);
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s builds every link from SITE_URL, never from the Host header, and they resolve', async (path) => {
    const responses = [
      await fetchApp(path, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } }),
      // Requested on another origin altogether.
      await fetchWithEnv({ ...env } as Env, path, { headers: { host: 'evil.example' } }, 'https://evil.example'),
    ];
    for (const res of responses) {
      const xml = await res.text();
      expect(res.status).toBe(200);
      expect(xml).not.toContain('evil.example');
      const root = parseXml(xml);
      const urls = new Set([
        ...all(root, 'link').map((l) => l.getAttribute('href') ?? l.textContent ?? ''),
        ...all(root, 'id').map((i) => i.textContent ?? ''),
        ...all(root, 'guid').map((g) => g.textContent ?? ''),
      ]);
      urls.delete('');
      expect(urls.size).toBeGreaterThan(FEED_SIZE);
      for (const url of urls) {
        expect(url.startsWith(`${SITE}/`), url).toBe(true);
        const page = await fetchApp(url.slice(SITE.length));
        expect(page.status, url).toBe(200);
        await page.arrayBuffer();
      }
    }
  });
});

describe('hostile content', () => {
  const HOSTILE =
    '---\n' +
    'title: "Bad \\x01title ]]> <b>&amp; \\uD800 \\uFFFF end"\n' +
    'date: 2030-01-01T00:00:00Z\n' +
    'author: "A & B <c>"\n' +
    'categories: ["x & y", "<z>"]\n' +
    '---\n' +
    '<p>a &lt; b and ]]> and a raw \u0001\u0008\u000B\u000C\u001F\uFFFE control, &amp;copy; &nbsp; "q" \'s\'</p>\n' +
    '<pre>]]&gt; &#1; &#x0; </pre>\n' +
    '<img src="https://cors.zfour.workers.dev/?https://example.com/a.jpg" alt="x ]]> &quot;y&quot;">\n';

  beforeAll(async () => {
    await clearStore();
    await seed({ ...fixturePosts, 'hostile.md': HOSTILE });
  });

  it('really stores the forbidden characters (so the feeds have to remove them)', async () => {
    const stored = JSON.parse((await env.ARTICLES.get('v2:article:hostile'))!) as { title: string; body: string };
    expect(stored.title).toContain('\u0001');
    expect(stored.title).toContain('\uD800');
    expect(stored.body).toContain('\u000B');
    expect(stored.body).toContain(']]>');
  });

  it('xmlEscape strips what XML 1.0 forbids, keeps surrogate pairs, and escapes the five specials', () => {
    const input = `a\u0000\u0008\t\n\r\u000B\u000C\u000E\u001F\u007F\uFFFE\uFFFF\uD800x\uDC00y😀<>&"'`;
    expect(xmlEscape(input)).toBe('a\t\n\r\u007Fxy😀&lt;&gt;&amp;&quot;&apos;');
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s stays well-formed and keeps the text', async (path) => {
    const { res, xml } = await fetchXml(path);
    expect(res.status).toBe(200);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml).not.toContain('cors.zfour.workers.dev');
    const root = parseXml(xml);
    const entries = path === '/atom.xml' ? childrenNamed(root, 'entry') : childrenNamed(one(root, 'channel'), 'item');
    expect(entries).toHaveLength(FEED_SIZE);
    const hostile = entries[0]!; // dated 2030: the newest
    expect(text(hostile, 'title')).toBe('Bad title ]]> <b>&amp;   end');
    const html = text(hostile, path === '/atom.xml' ? 'content' : 'description');
    expect(html).toContain('a &lt; b and ]]&gt; and a raw');
    expect(html).toContain('&amp;copy;');
    const src = /<img[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    expect(readImageRoute(src!, KEY)).toEqual({ original: 'https://example.com/a.jpg', signatureOk: true });
    expect(src!.startsWith(`${SITE}/img/`)).toBe(true);
    if (path === '/atom.xml') {
      expect(text(one(hostile, 'author'), 'name')).toBe('A & B <c>');
      // linkedom's XML mode leaves entities in attribute values undecoded: check the raw markup.
      expect(all(hostile, 'category').map((c) => c.getAttribute('term'))).toEqual(['x &amp; y', '&lt;z&gt;']);
      expect(xml).toContain('<category term="x &amp; y"/>');
    } else {
      expect(text(hostile, 'dc:creator')).toBe('A & B <c>');
      expect(all(hostile, 'category').map((c) => c.textContent)).toEqual(['x & y', '<z>']);
    }
  });

  it('skips a corrupt article instead of failing the feed, and does not cache that feed', async () => {
    const first = text(childrenNamed(parseXml((await fetchXml('/atom.xml')).xml), 'entry')[0]!, 'id');
    await env.ARTICLES.put('v2:article:hostile', '{not json');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const path of ['/atom.xml', '/rss2.xml']) {
        // A feed size of its own: a render-cache miss for this index version.
        const { res, xml } = await fetchXml(path, {}, { FEED_SIZE: '10' } as Partial<Env>);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(xmlProblems(xml)).toEqual([]);
        expect(xml).not.toContain(`${first}<`);
        expect(xml.match(path === '/atom.xml' ? /<entry>/g : /<item>/g)).toHaveLength(9);
      }
      expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toContain('feed: article "hostile" skipped: CorruptValueError');
    } finally {
      errors.mockRestore();
    }
  });
});

describe('empty site', () => {
  beforeAll(async () => {
    await clearStore();
  });

  it.each([
    ['/atom.xml', ATOM, 'feed'],
    ['/rss2.xml', RSS, 'rss'],
  ])('%s is a valid feed with no entries', async (path, type, root) => {
    const { res, xml } = await fetchXml(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(parseXml(xml).tagName).toBe(root);
    expect(xml).not.toMatch(/<entry>|<item>/);
    expect(xml).toMatch(/1970-01-01T00:00:00.000Z|Thu, 01 Jan 1970 00:00:00 GMT/);
  });
});

describe('feed caching', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(fixturePosts, { now: UPLOADED });
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s has validators, Cache-Control and Server-Timing', async (path) => {
    const res = await fetchApp(path);
    expect(res.headers.get('etag')).toMatch(/^"feed-[A-Za-z0-9_-]{16}"$/);
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, s-maxage=600, stale-while-revalidate=3600, stale-if-error=86400');
    expect(res.headers.get('server-timing')).toMatch(/kv;dur=[\d.]+/);
    expect(res.headers.get('server-timing')).toMatch(/cache;desc="(hit|miss)"/);
    await res.arrayBuffer();
  });

  it('gives Atom and RSS different ETags', async () => {
    const a = (await fetchApp('/atom.xml', { method: 'HEAD' })).headers.get('etag');
    const r = (await fetchApp('/rss2.xml', { method: 'HEAD' })).headers.get('etag');
    expect(a).not.toBe(r);
  });

  it('is served from the edge cache on a repeat request, identical', async () => {
    const overrides = { FEED_SIZE: '7' } as Partial<Env>; // a render no other test made
    const first = await fetchApp('/atom.xml', {}, overrides);
    const firstBody = await first.text();
    expect(first.headers.get('server-timing')).toMatch(/render;dur=/);
    expect(first.headers.get('server-timing')).toContain('cache;desc="miss"');
    const second = await fetchApp('/atom.xml', {}, overrides);
    expect(second.headers.get('server-timing')).toContain('cache;desc="hit"');
    expect(second.headers.get('server-timing')).not.toContain('render;');
    expect(await second.text()).toBe(firstBody);
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s answers If-None-Match and If-Modified-Since with 304', async (path) => {
    const res = await fetchApp(path);
    const etag = res.headers.get('etag')!;
    const lastModified = res.headers.get('last-modified')!;
    await res.arrayBuffer();
    const inm = await fetchApp(path, { headers: { 'if-none-match': etag } });
    expect(inm.status).toBe(304);
    expect(await inm.text()).toBe('');
    expect(inm.headers.get('etag')).toBe(etag);
    expect(inm.headers.get('server-timing')).not.toContain('render');
    expect((await fetchApp(path, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const stale = await fetchApp(path, { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    const old = await fetchApp(path, { headers: { 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' } });
    expect(old.status).toBe(200);
    await old.arrayBuffer();
  });

  it.each([
    ['/atom.xml', ATOM],
    ['/rss2.xml', RSS],
  ])('%s answers HEAD with the GET headers and no body', async (path, type) => {
    const got = await fetchApp(path);
    await got.arrayBuffer();
    const head = await fetchApp(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(type);
    expect(head.headers.get('etag')).toBe(got.headers.get('etag'));
    expect(await head.text()).toBe('');
  });

  it('changes the ETag and the content after a re-upload with a changed article', async () => {
    const before = await fetchApp('/atom.xml');
    const etag = before.headers.get('etag')!;
    const newestId = text(childrenNamed(parseXml(await before.text()), 'entry')[0]!, 'id');
    const list = (await (await fetchApp('/api/articles')).json()) as { articles: { url: string; slug: string }[] };
    const slug = list.articles.find((a) => a.url === newestId)?.slug;
    expect(slug).toBeDefined();
    const name = `${slug}.md`;
    expect(fixturePosts[name]).toBeDefined();
    await seed({ [name]: `${fixturePosts[name]!}\n<p>Correction: edited-marker-8c1f.</p>\n` });
    for (const path of ['/atom.xml', '/rss2.xml']) {
      const after = await fetchApp(path, { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect(await after.text()).toContain('edited-marker-8c1f');
    }
  });
});
