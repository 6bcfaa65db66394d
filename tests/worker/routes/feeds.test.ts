import { exports } from 'cloudflare:workers';
import { DOMParser } from 'linkedom/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyImageRoute } from '../../../src/images/image-url';
import { xmlEscape } from '../../../src/views/xml-text';
import { get } from '../helpers/app';
import { clearStore, fixturePosts, seed } from '../helpers/seed';
import { assertWellFormedXml, xmlProblems } from '../helpers/xml-check';

const SITE = 'http://localhost:8787';

interface ArticleJson {
  title: string;
  date: string | null;
  author: string | null;
  categories: string[];
  html: string;
}
const FEED_SIZE = 20;
const ATOM = 'application/atom+xml; charset=utf-8';
const RSS = 'application/rss+xml; charset=utf-8';

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

async function fetchXml(path: string, init?: RequestInit): Promise<{ res: Response; xml: string }> {
  const res = await get(path, init);
  return { res, xml: await res.text() };
}

/** The newest FEED_SIZE article URLs, from the JSON API (the same index shards as the home page). */
async function newestUrls(): Promise<string[]> {
  const page = (await (await get('/api/articles')).json()) as { articles: { url: string }[] };
  return page.articles.slice(0, FEED_SIZE).map((a) => a.url);
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

describe('GET /atom.xml', () => {
  beforeAll(async () => {
    await clearStore();
    await seed();
  });

  it('is a well-formed Atom 1.0 feed with the required feed elements', async () => {
    const { res, xml } = await fetchXml('/atom.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(ATOM);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const feed = parseXml(xml);
    expect(feed.tagName).toBe('feed');
    expect(feed.getAttribute('xmlns')).toBe('http://www.w3.org/2005/Atom');
    expect(childrenNamed(feed, 'id')[0]?.textContent).toBe(`${SITE}/`);
    expect(childrenNamed(feed, 'title')[0]?.textContent).toBe('Edge Content Proxy');
    expect(childrenNamed(feed, 'subtitle')[0]?.textContent).toMatch(/Syndicated articles/);
    expect(childrenNamed(feed, 'updated')[0]?.textContent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const links = childrenNamed(feed, 'link');
    expect(links.find((l) => l.getAttribute('rel') === 'self')?.getAttribute('href')).toBe(`${SITE}/atom.xml`);
    expect(links.find((l) => l.getAttribute('rel') === 'alternate')?.getAttribute('href')).toBe(`${SITE}/`);
    expect(text(childrenNamed(feed, 'author')[0]!, 'name')).toBe('Edge Content Proxy');
    expect(childrenNamed(feed, 'generator')).toHaveLength(1);
  });

  it('has exactly feedSize entries, newest first, each complete', async () => {
    const feed = parseXml((await fetchXml('/atom.xml')).xml);
    const entries = childrenNamed(feed, 'entry');
    expect(entries).toHaveLength(FEED_SIZE);
    const expected = await newestUrls();
    expect(entries.map((e) => e.getElementsByTagName('id')[0]?.textContent)).toEqual(expected);
    const dates = entries.map((e) => text(e, 'updated'));
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const e of entries) {
      const id = text(e, 'id');
      expect(text(e, 'title').length).toBeGreaterThan(0);
      expect(one(e, 'link').getAttribute('href')).toBe(id);
      expect(one(e, 'link').getAttribute('rel')).toBe('alternate');
      expect(text(e, 'published')).toBe(text(e, 'updated'));
      expect(one(e, 'content').getAttribute('type')).toBe('html');
      expect(text(e, 'content')).toMatch(/<p[\s>]/);
      expect(all(e, 'summary')).toHaveLength(1);
    }
  });

  it('carries each article as on its page (API JSON), with absolute signed image URLs', async () => {
    const feed = parseXml((await fetchXml('/atom.xml')).xml);
    let images = 0;
    for (const entry of childrenNamed(feed, 'entry')) {
      const slug = decodeURIComponent(text(entry, 'id').slice(`${SITE}/articles/`.length));
      const json = (await (await get(`/api/articles/${encodeURIComponent(slug)}`)).json()) as ArticleJson;
      expect(text(entry, 'title')).toBe(json.title);
      expect(text(entry, 'published')).toBe(json.date);
      if (json.author) expect(text(one(entry, 'author'), 'name')).toBe(json.author);
      else expect(all(entry, 'author')).toHaveLength(0);
      expect(all(entry, 'category').map((c) => c.getAttribute('term'))).toEqual(json.categories);
      const html = text(entry, 'content');
      // The same rewrite as the page, only with the image routes made absolute.
      expect(html.replaceAll(`${SITE}/img/`, '/img/')).toBe(json.html);
      for (const [, src] of html.matchAll(/<img[^>]*\ssrc="([^"]*)"/g)) {
        images++;
        const m = /^http:\/\/localhost:8787\/img\/([A-Za-z0-9_-]{22})\/([A-Za-z0-9_-]+)$/.exec(src!);
        expect(m, src).not.toBeNull();
        expect(verifyImageRoute(m![1]!, m![2]!, 'test-signing-key')).toMatch(/^https?:\/\//);
      }
    }
    expect(images).toBeGreaterThan(10);
  });

  it('never links through the CORS proxy and never uses a root-relative image', async () => {
    for (const path of ['/atom.xml', '/rss2.xml']) {
      const xml = (await fetchXml(path)).xml;
      expect(xml).not.toContain('cors.zfour.workers.dev');
      // Inside escaped HTML an attribute reads src=&quot;…
      expect(xml).not.toMatch(/src=&quot;\/img\//);
      expect(xml).not.toMatch(/srcset=&quot;\/img\//);
    }
  });

  it('builds every link from SITE_URL, never from the Host header or the request URL', async () => {
    const worker = (exports as unknown as { default: Fetcher }).default;
    const responses = [
      await get('/atom.xml', { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } }),
      await worker.fetch(new Request('https://evil.example/atom.xml', { headers: { host: 'evil.example' } })),
    ];
    for (const res of responses) {
      const xml = await res.text();
      expect(res.status).toBe(200);
      expect(xml).not.toContain('evil.example');
      const feed = parseXml(xml);
      const hrefs = all(feed, 'link').map((l) => l.getAttribute('href')!);
      const ids = all(feed, 'id').map((i) => i.textContent!);
      for (const url of [...hrefs, ...ids]) expect(url.startsWith(`${SITE}/`), url).toBe(true);
    }
  });

  it('has links that resolve on the site', async () => {
    const feed = parseXml((await fetchXml('/atom.xml')).xml);
    const urls = new Set(all(feed, 'link').map((l) => l.getAttribute('href')!));
    for (const url of urls) {
      const res = await get(url.slice(SITE.length));
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
    }
  });
});

describe('GET /rss2.xml', () => {
  beforeAll(async () => {
    await clearStore();
    await seed();
  });

  it('is a well-formed RSS 2.0 feed with the required channel elements', async () => {
    const { res, xml } = await fetchXml('/rss2.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(RSS);
    const rss = parseXml(xml);
    expect(rss.tagName).toBe('rss');
    expect(rss.getAttribute('version')).toBe('2.0');
    expect(rss.getAttribute('xmlns:dc')).toBe('http://purl.org/dc/elements/1.1/');
    expect(rss.getAttribute('xmlns:atom')).toBe('http://www.w3.org/2005/Atom');
    const channel = one(rss, 'channel');
    expect(childrenNamed(channel, 'title')[0]?.textContent).toBe('Edge Content Proxy');
    expect(childrenNamed(channel, 'link')[0]?.textContent).toBe(`${SITE}/`);
    expect(childrenNamed(channel, 'description')[0]?.textContent).toMatch(/Syndicated articles/);
    expect(childrenNamed(channel, 'language')[0]?.textContent).toBe('zh-CN');
    expect(childrenNamed(channel, 'lastBuildDate')[0]?.textContent).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    const self = one(channel, 'atom:link');
    expect(self.getAttribute('rel')).toBe('self');
    expect(self.getAttribute('href')).toBe(`${SITE}/rss2.xml`);
  });

  it('has exactly feedSize items, newest first, each with title/link/guid/pubDate/description', async () => {
    const channel = one(parseXml((await fetchXml('/rss2.xml')).xml), 'channel');
    const items = childrenNamed(channel, 'item');
    expect(items).toHaveLength(FEED_SIZE);
    expect(items.map((i) => text(i, 'link'))).toEqual(await newestUrls());
    const times = items.map((i) => Date.parse(text(i, 'pubDate')));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const item of items) {
      expect(text(item, 'title').length).toBeGreaterThan(0);
      expect(text(item, 'guid')).toBe(text(item, 'link'));
      expect(one(item, 'guid').getAttribute('isPermaLink')).toBe('true');
      expect(text(item, 'pubDate')).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
      expect(text(item, 'description')).toMatch(/<p[\s>]/);
    }
    for (const item of items) {
      const slug = decodeURIComponent(text(item, 'link').slice(`${SITE}/articles/`.length));
      const json = (await (await get(`/api/articles/${encodeURIComponent(slug)}`)).json()) as ArticleJson;
      expect(text(item, 'title')).toBe(json.title);
      expect(text(item, 'pubDate')).toBe(new Date(json.date!).toUTCString());
      if (json.author) expect(text(item, 'dc:creator')).toBe(json.author);
      else expect(all(item, 'dc:creator')).toHaveLength(0);
      expect(all(item, 'category').map((c) => c.textContent)).toEqual(json.categories);
      expect(text(item, 'description').replaceAll(`${SITE}/img/`, '/img/')).toBe(json.html);
    }
    expect(items.some((i) => /<img[^>]*src="http:\/\/localhost:8787\/img\//.test(text(i, 'description')))).toBe(true);
  });

  it('uses SITE_URL even when the Host header says otherwise, and its links resolve', async () => {
    const xml = (await fetchXml('/rss2.xml', { headers: { host: 'evil.example' } })).xml;
    expect(xml).not.toContain('evil.example');
    const channel = one(parseXml(xml), 'channel');
    const urls = new Set([...all(channel, 'link').map((l) => l.textContent!), ...all(channel, 'guid').map((g) => g.textContent!)]);
    for (const url of urls) {
      expect(url.startsWith(`${SITE}/`), url).toBe(true);
      const res = await get(url.slice(SITE.length));
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
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
    const { env } = await import('cloudflare:workers');
    const stored = JSON.parse((await env.ARTICLES.get('v1:article:hostile'))!) as { title: string; body: string };
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
    expect(html).toMatch(/<img[^>]*src="http:\/\/localhost:8787\/img\/[A-Za-z0-9_-]{22}\/[A-Za-z0-9_-]+"/);
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

  it('skips a corrupt or missing article instead of failing the feed', async () => {
    const { env } = await import('cloudflare:workers');
    const feed = parseXml((await fetchXml('/atom.xml')).xml);
    const second = text(childrenNamed(feed, 'entry')[1]!, 'id');
    const secondSlug = decodeURIComponent(second.slice(`${SITE}/articles/`.length));
    await env.ARTICLES.put('v1:article:hostile', '{not json');
    await env.ARTICLES.delete(`v1:article:${secondSlug}`);
    for (const path of ['/atom.xml', '/rss2.xml']) {
      // A fresh cache key: the meta (and so the ETag and cache key) did not change, so bypass the
      // edge cache by asking on another origin (the cache key is per request origin).
      const worker = (exports as unknown as { default: Fetcher }).default;
      const res = await worker.fetch(new Request(`http://other.test${path}`));
      expect(res.status).toBe(200);
      const xml = await res.text();
      expect(xmlProblems(xml)).toEqual([]);
      expect(xml).not.toContain('/articles/hostile<');
      expect(xml).not.toContain(`${second}<`);
      expect(xml.match(path === '/atom.xml' ? /<entry>/g : /<item>/g)).toHaveLength(FEED_SIZE - 2);
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
    await seed();
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s has validators, Cache-Control and Server-Timing', async (path) => {
    const res = await get(path);
    expect(res.headers.get('etag')).toMatch(/^"feed\.(atom|rss2)\.[^"]+"$/);
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    expect(res.headers.get('cache-control')).toBe(
      'public, max-age=300, s-maxage=600, stale-while-revalidate=3600, stale-if-error=86400',
    );
    expect(res.headers.get('server-timing')).toMatch(/kv;dur=[\d.]+/);
    expect(res.headers.get('server-timing')).toMatch(/cache;desc="(hit|miss)"/);
    await res.arrayBuffer();
  });

  it('gives Atom and RSS different ETags', async () => {
    const a = (await get('/atom.xml', { method: 'HEAD' })).headers.get('etag');
    const r = (await get('/rss2.xml', { method: 'HEAD' })).headers.get('etag');
    expect(a).not.toBe(r);
  });

  it('is served from the edge cache on a repeat request, identical', async () => {
    // Ask on a fresh origin so the first request is a miss whatever ran before.
    const worker = (exports as unknown as { default: Fetcher }).default;
    const first = await worker.fetch(new Request('http://cache-test.example/atom.xml'));
    const firstBody = await first.text();
    expect(first.headers.get('server-timing')).toMatch(/render;dur=/);
    expect(first.headers.get('server-timing')).toContain('cache;desc="miss"');
    let second: Response | null = null;
    for (let i = 0; i < 20; i++) {
      // cache.put runs in waitUntil: give it a moment.
      second = await worker.fetch(new Request('http://cache-test.example/atom.xml'));
      if (second.headers.get('server-timing')?.includes('hit')) break;
      await second.arrayBuffer();
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(second!.headers.get('server-timing')).toContain('cache;desc="hit"');
    expect(second!.headers.get('server-timing')).not.toContain('render;');
    expect(await second!.text()).toBe(firstBody);
  });

  it.each(['/atom.xml', '/rss2.xml'])('%s answers If-None-Match and If-Modified-Since with 304', async (path) => {
    const res = await get(path);
    const etag = res.headers.get('etag')!;
    const lastModified = res.headers.get('last-modified')!;
    await res.arrayBuffer();
    const inm = await get(path, { headers: { 'if-none-match': etag } });
    expect(inm.status).toBe(304);
    expect(await inm.text()).toBe('');
    expect(inm.headers.get('etag')).toBe(etag);
    expect(inm.headers.get('server-timing')).not.toContain('render');
    const ims = await get(path, { headers: { 'if-modified-since': lastModified } });
    expect(ims.status).toBe(304);
    const stale = await get(path, { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    const old = await get(path, { headers: { 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' } });
    expect(old.status).toBe(200);
    await old.arrayBuffer();
  });

  it.each([
    ['/atom.xml', ATOM],
    ['/rss2.xml', RSS],
  ])('%s answers HEAD with the GET headers and no body', async (path, type) => {
    const getRes = await get(path);
    await getRes.arrayBuffer();
    const head = await get(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(type);
    expect(head.headers.get('etag')).toBe(getRes.headers.get('etag'));
    expect(await head.text()).toBe('');
  });

  it('changes the ETag and the content after a re-upload with a changed article', async () => {
    const before = await get('/atom.xml');
    const etag = before.headers.get('etag')!;
    await before.arrayBuffer();
    const newest = (await newestUrls())[0]!;
    const name = `${decodeURIComponent(newest.slice(`${SITE}/articles/`.length))}.md`;
    expect(fixturePosts[name]).toBeDefined();
    await seed({ [name]: `${fixturePosts[name]!}\n<p>Correction: edited-marker-8c1f.</p>\n` });
    for (const path of ['/atom.xml', '/rss2.xml']) {
      const after = await get(path, { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect(await after.text()).toContain('edited-marker-8c1f');
    }
  });
});
