import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchApp } from '../helpers/app';
import { fixturePosts, seed } from '../helpers/seed';

const FIRST = '000_1c07ab0e1a8962a0';

beforeAll(async () => {
  await seed();
});

// Every KV-backed kind of response, and the static ones.
const ROUTES: { name: string; path: string; lastModified: boolean }[] = [
  { name: 'article page', path: `/articles/${FIRST}`, lastModified: true },
  { name: 'home page', path: '/', lastModified: true },
  { name: 'home page 2', path: '/?page=2', lastModified: true },
  { name: 'category page', path: `/categories/${encodeURIComponent('煎蛋')}`, lastModified: true },
  { name: 'API list', path: '/api/articles', lastModified: true },
  { name: 'API article', path: `/api/articles/${FIRST}`, lastModified: true },
  { name: 'Atom feed', path: '/atom.xml', lastModified: true },
  { name: 'RSS feed', path: '/rss2.xml', lastModified: true },
  { name: 'sitemap', path: '/sitemap.xml', lastModified: true },
  { name: 'robots.txt', path: '/robots.txt', lastModified: false },
];

describe.each(ROUTES)('conditional requests on the $name', ({ path, lastModified }) => {
  it('sends a strong ETag and Cache-Control', async () => {
    const res = await fetchApp(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    if (lastModified) expect(new Date(res.headers.get('last-modified')!).toUTCString()).toBe(res.headers.get('last-modified'));
  });

  it.each([
    ['the exact tag', (e: string) => e],
    ['a list containing it', (e: string) => `"nope", ${e}, "other"`],
    ['its weak form', (e: string) => `W/${e}`],
    ['*', () => '*'],
  ])('answers If-None-Match with %s by 304 with no body', async (_n, header) => {
    const etag = (await fetchApp(path)).headers.get('etag')!;
    const res = await fetchApp(path, { headers: { 'if-none-match': header(etag) } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('cache-control')).not.toBeNull();
  });

  it('answers a non-matching If-None-Match with 200, even when If-Modified-Since would match', async () => {
    const res = await fetchApp(path, {
      headers: { 'if-none-match': '"stale"', 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
    });
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it.runIf(lastModified)('answers If-Modified-Since at or after Last-Modified with 304, before it with 200', async () => {
    const lm = (await fetchApp(path)).headers.get('last-modified')!;
    expect((await fetchApp(path, { headers: { 'if-modified-since': lm } })).status).toBe(304);
    const earlier = new Date(Date.parse(lm) - 1000).toUTCString();
    expect((await fetchApp(path, { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    expect((await fetchApp(path, { headers: { 'if-modified-since': 'garbage' } })).status).toBe(200);
  });

  it('answers HEAD with the GET status and headers and no body', async () => {
    const got = await fetchApp(path);
    const head = await fetchApp(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const h of ['etag', 'cache-control', 'content-type', 'last-modified']) expect(head.headers.get(h)).toBe(got.headers.get(h));
  });
});

describe('Cache-Control per kind', () => {
  it.each([
    ['article page', `/articles/${FIRST}`],
    ['home page', '/'],
    ['API list', '/api/articles'],
    ['API article', `/api/articles/${FIRST}`],
  ])('gives the %s separate browser and shared lifetimes with stale-while-revalidate and stale-if-error', async (_n, path) => {
    const cc = (await fetchApp(path)).headers.get('cache-control')!;
    expect(cc).toMatch(/\bmax-age=\d+/);
    expect(cc).toMatch(/\bs-maxage=\d+/);
    expect(cc).toMatch(/\bstale-while-revalidate=\d+/);
    expect(cc).toMatch(/\bstale-if-error=\d+/);
  });

  it('caches a 404 briefly', async () => {
    const res = await fetchApp('/articles/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60');
  });

  it('takes lifetimes from configuration', async () => {
    const res = await fetchApp(`/articles/${FIRST}`, {}, { CACHE_ARTICLE: 'public, max-age=5, s-maxage=7' } as Partial<Env>);
    expect(res.headers.get('cache-control')).toBe('public, max-age=5, s-maxage=7');
  });

  it('serves the versioned stylesheet as immutable', async () => {
    const home = await (await fetchApp('/')).text();
    const href = /href="(\/assets\/site\.css\?v=[^"]+)"/.exec(home)![1]!;
    const res = await fetchApp(href);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});

describe('edge render cache and Server-Timing', () => {
  it('renders on the first request and serves the cached render on the repeat', async () => {
    await seed({ 'timing-probe.md': "---\ntitle: 'Probe'\n---\n<p>probe <img src=\"http://a.example.com/x.jpg\"></p>" });
    const first = await fetchApp('/articles/timing-probe');
    const st1 = first.headers.get('server-timing')!;
    expect(st1).toMatch(/kv;dur=\d+(\.\d+)?/);
    expect(st1).toMatch(/render;dur=\d+(\.\d+)?/);
    expect(st1).toContain('cache;desc="miss"');
    const second = await fetchApp('/articles/timing-probe');
    const st2 = second.headers.get('server-timing')!;
    expect(st2).toContain('cache;desc="hit"');
    expect(st2).toMatch(/kv;dur=/);
    expect(st2).not.toMatch(/render;dur=/);
    expect(await second.text()).toBe(await first.text());
  });

  it('serves a re-uploaded article new on the next request, with a new ETag, and changes the lists that show it', async () => {
    const name = '01-zaker-win11-offline-activation.md';
    const slug = '01-zaker-win11-offline-activation';
    const before = await fetchApp(`/articles/${slug}`);
    const beforeBody = await before.text();
    const apiList = await fetchApp('/api/articles?page=1');
    const catBefore = await fetchApp(`/categories/ZAKER`);
    const source = fixturePosts[name]!;
    await seed({ [name]: source.replace(/title: '([^']*)'/, "title: '$1（更新）'").replace('<p>', '<p>新内容。') });
    const after = await fetchApp(`/articles/${slug}`);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.headers.get('server-timing')).toContain('cache;desc="miss"');
    const afterBody = await after.text();
    expect(afterBody).not.toBe(beforeBody);
    expect(afterBody).toContain('新内容。');
    expect(afterBody).toContain('（更新）');
    // The old ETag no longer validates.
    expect((await fetchApp(`/articles/${slug}`, { headers: { 'if-none-match': before.headers.get('etag')! } })).status).toBe(200);
    const catAfter = await fetchApp(`/categories/ZAKER`);
    expect(catAfter.headers.get('etag')).not.toBe(catBefore.headers.get('etag'));
    expect(await catAfter.text()).toContain('（更新）');
    // The API list page that shows it changes only if it is on that page; find the page it is on.
    const pages = (await apiList.clone().json() as { pages: number }).pages;
    let changed = false;
    for (let p = 1; p <= pages; p++) {
      const res = await fetchApp(`/api/articles?page=${p}`);
      const json = (await res.json()) as { articles: { slug: string; title: string }[] };
      const hit = json.articles.find((a) => a.slug === slug);
      if (hit) {
        expect(hit.title).toMatch(/（更新）$/);
        changed = true;
      }
    }
    expect(changed).toBe(true);
    // Restore for the other tests.
    await seed({ [name]: source });
  });
});

describe('isolate memory cache', () => {
  it('answers a repeat request from memory, without touching KV, within HOT_CACHE_MS', async () => {
    const { faultyKv } = await import('../helpers/app');
    const { env } = await import('cloudflare:workers');
    const faults = { fail: false, hang: false };
    const overrides = { HOT_CACHE_MS: '60000', ARTICLES: faultyKv(env.ARTICLES, faults) } as Partial<Env>;
    const path = '/articles/02-jandan-chromeos-typo?hot=1';
    const first = await fetchApp(path, {}, overrides);
    expect(first.headers.get('server-timing')).not.toContain('mem;desc="hit"');
    const body = await first.text();
    faults.fail = true; // KV is now down: only memory can answer 200 with the same headers.
    const second = await fetchApp(path, {}, overrides);
    expect(second.status).toBe(200);
    expect(second.headers.get('server-timing')).toContain('mem;desc="hit"');
    expect(second.headers.get('server-timing')).toContain('cache;desc="hit"');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    expect(await second.text()).toBe(body);
    const conditional = await fetchApp(path, { headers: { 'if-none-match': first.headers.get('etag')! } }, overrides);
    expect(conditional.status).toBe(304);
  });

  it('goes back to KV once HOT_CACHE_MS has passed', async () => {
    const overrides = { HOT_CACHE_MS: '1' } as Partial<Env>;
    const path = '/articles/03-jandan-turing-0day?hot=2';
    await fetchApp(path, {}, overrides);
    await new Promise((r) => setTimeout(r, 5));
    const again = await fetchApp(path, {}, overrides);
    expect(again.headers.get('server-timing')).not.toContain('mem;desc="hit"');
  });
});

describe('isolate memory under load', () => {
  it('answers from the previous copy while one request refreshes an expired entry', async () => {
    const { faultyKv } = await import('../helpers/app');
    const { env } = await import('cloudflare:workers');
    const faults = { fail: false, hang: false };
    const overrides = { HOT_CACHE_MS: '1', KV_TIMEOUT_MS: '300', ARTICLES: faultyKv(env.ARTICLES, faults) } as Partial<Env>;
    const path = '/articles/04-zaker-asahi-linux-m1?collapse=1';
    const filled = await fetchApp(path, {}, overrides);
    const body = await filled.text();
    await new Promise((r) => setTimeout(r, 5)); // the memory copy is now expired
    faults.hang = true; // the refreshing request will wait for KV
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const refreshing = fetchApp(path, {}, overrides);
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const collapsed = await fetchApp(path, {}, overrides);
    expect(Date.now() - started).toBeLessThan(250);
    expect(collapsed.status).toBe(200);
    expect(collapsed.headers.get('server-timing')).toContain('mem;desc="hit"');
    expect(await collapsed.text()).toBe(body);
    // The refreshing request itself ends on the KV timeout with the last good copy.
    const refreshed = await refreshing;
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('server-timing')).toContain('cache;desc="stale"');
    errors.mockRestore();
  });

  it('remembers a 404 briefly, so repeated misses do not reach KV', async () => {
    const { faultyKv } = await import('../helpers/app');
    const { env } = await import('cloudflare:workers');
    const faults = { fail: false, hang: false };
    const overrides = { HOT_CACHE_MS: '60000', ARTICLES: faultyKv(env.ARTICLES, faults) } as Partial<Env>;
    expect((await fetchApp('/articles/missing-in-memory', {}, overrides)).status).toBe(404);
    faults.fail = true;
    const again = await fetchApp('/articles/missing-in-memory', {}, overrides);
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
