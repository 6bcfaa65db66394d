/**
 * Search through the routes (/search, /api/search, /search.xml), on the 61 real posts uploaded
 * with the real planner and search index: queries written from the corpus find their article,
 * edits and deletions are seen, hostile input never errors, and caching needs no query for a 304
 * or a render-cache hit.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HOSTILE_QUERIES } from '../../node/search/hostile-queries';
import { countingDb, fetchApp, queries } from '../helpers/app';
import { attr, findAll, findOne, parseDocument, textOf } from '../helpers/html';
import { assertWellFormedXml } from '../helpers/xml-check';
import { clearStore, fixturePosts, seed } from '../helpers/seed';

interface Api {
  results: { slug: string; title: string; date: string | null; url: string; categories: string[][]; snippet: string }[];
  total: number;
  page: number;
  pages: number;
  took_ms: number;
}

const api = async (q: string, extra = ''): Promise<Api> => {
  const res = await fetchApp(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status, q).toBe(200);
  return (await res.json()) as Api;
};

beforeAll(async () => {
  await clearStore();
  await seed(fixturePosts, { now: '2026-01-01T00:00:00.000Z' });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const slugOf = (n: string) => Object.keys(fixturePosts).find((f) => f.startsWith(`${n}`))!.replace(/\.md$/, '');

describe('queries written from the corpus', () => {
  it.each([
    ['离线激活', '01', 'a title phrase'],
    ['图灵机', '03', 'a title phrase'],
    ['夏休み', '43', 'a Japanese title word'],
    ['网线', '01', 'a two-character word of the body'],
    ['乐谱', '05', 'a two-character word of the body'],
    ['锐龙', '57', 'a two-character word of the body'],
    ['Kubernetes', '15', 'an English word'],
    ['useState', '28', 'a term in a code block'],
    ['combineReducers', '47', 'a term in a code block'],
    ['Linux 5.16', '41', 'a mixed query'],
    ['ＷＩＮ１１ 离线', '01', 'full-width, case folded'],
    ['"Windows Hello"', '52', 'a quoted phrase'],
  ])('%s finds post %s in the top 3 (%s)', async (q, n) => {
    const r = await api(q);
    expect(r.results.slice(0, 3).map((x) => x.slug)).toContain(slugOf(n));
    const hit = r.results.find((x) => x.slug === slugOf(n))!;
    expect(hit.url).toMatch(/^http:\/\/localhost:8787\/p\/[0-9a-f]+\.html$/);
    expect(hit.categories.length).toBeGreaterThan(0);
  });

  it('marks the matches in snippets and titles, escaped', async () => {
    const r = await api('离线激活');
    expect(r.results[0]!.snippet).toMatch(/<mark>[^<]*<\/mark>/);
    const res = await fetchApp(`/search?q=${encodeURIComponent('离线激活')}`);
    const html = await res.text();
    expect(html).toMatch(/<h2><a href="\/p\/[0-9a-f]+\.html">[^<]*<mark>离线激活<\/mark>/);
  });

  it('answers the API shape with totals and pages', async () => {
    const r = await api('微软');
    expect(r.total).toBeGreaterThan(SEARCH_MIN);
    expect(r).toMatchObject({ page: 1, pages: Math.ceil(r.total / 10) });
    expect(r.results).toHaveLength(Math.min(10, r.total));
    expect(typeof r.took_ms).toBe('number');
    for (const x of r.results) expect(Object.keys(x).sort()).toEqual(['categories', 'date', 'slug', 'snippet', 'title', 'url']);
  });
});
const SEARCH_MIN = 1;

describe('the search page', () => {
  it('shows the form filled in, the count, and links to the articles', async () => {
    const res = await fetchApp(`/search?q=${encodeURIComponent('网线')}`);
    expect(res.status).toBe(200);
    const doc = parseDocument(await res.text());
    const inputs = findAll(doc, 'input').filter((el) => attr(el, 'name') === 'q');
    expect(inputs).toHaveLength(1);
    expect(attr(inputs[0]!, 'value')).toBe('网线');
    expect(textOf(findOne(doc, 'h1')!)).toBe('搜索：网线');
    expect(findAll(doc, 'meta').filter((el) => attr(el, 'name') === 'robots' && attr(el, 'content') === 'noindex')).toHaveLength(1);
    const links = findAll(doc, 'ul', 'search-results').flatMap((ul) => findAll(ul, 'a')).map((a) => attr(a, 'href'));
    const json = await api('网线');
    expect(links.filter((h) => h?.startsWith('/p/'))).toEqual(json.results.map((r) => new URL(r.url).pathname));
  });

  it('with an empty query is the search page with no results, and runs no query', async () => {
    const db = countingDb(env.DB);
    const res = await fetchApp('/search?q=', {}, { DB: db.db });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('输入关键词搜索全部文章。');
    expect(queries(db)).toEqual([]);
  });

  it.each([
    ['HTML', '/search', 'text/html'],
    ['JSON', '/api/search', 'application/json'],
  ])('answers a query over 100 characters with 400 and a clear message (%s)', async (_n, path, type) => {
    const res = await fetchApp(`${path}?q=${encodeURIComponent('长'.repeat(101))}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(type);
    expect(await res.text()).toContain('搜索词太长了：最多 100 个字。');
    expect((await fetchApp(`${path}?q=${encodeURIComponent('长'.repeat(100))}`)).status).toBe(200);
  });

  it('answers a page past the last with 404 and a malformed page with 400', async () => {
    expect((await fetchApp(`/api/search?q=${encodeURIComponent('离线激活')}&page=99`)).status).toBe(404);
    expect((await fetchApp(`/search?q=a&page=0`)).status).toBe(400);
  });
});

/** Percent-encodes UTF-16 as (generalised) UTF-8, lone surrogates included, as a client might send them. */
function wtf8(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const cu = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    let cp = cu;
    if (cu >= 0xd800 && cu <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      cp = 0x10000 + ((cu - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    const bytes =
      cp < 0x80 ? [cp] : cp < 0x800 ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)] : cp < 0x10000 ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)] : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

describe('hostile input', () => {
  it.each(HOSTILE_QUERIES.map((h) => [h.name, h.raw] as const))('%s never errors', async (_name, raw) => {
    const res = await fetchApp(`/api/search?q=${wtf8(raw)}`);
    expect(res.status, raw).toBe(200);
    const html = await fetchApp(`/search?q=${wtf8(raw)}`);
    expect(html.status, raw).toBe(200);
  });

  it('means the literal words: OR is a word, not an operator', async () => {
    const both = await api('离线激活 OR 图灵机');
    expect(both.total).toBe(0);
  });

  it('never answers 5xx, whatever the query (fast-check)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constantFrom('/search', '/api/search'), async (q, path) => {
        const res = await fetchApp(`${path}?q=${encodeURIComponent(q)}`);
        expect(res.status, q).toBeLessThan(500);
        await res.arrayBuffer();
      }),
      { numRuns: 150 },
    );
    // Raw bytes that are not UTF-8 in the query string.
    for (const raw of ['%ED%A0%80', '%FF', '%E4%B8', '%00', '%ZZ']) expect((await fetchApp(`/api/search?q=${raw}`)).status).toBeLessThan(500);
  });
});

describe('caching', () => {
  it('answers a matching If-None-Match with 304 before any query, and a repeat from the render cache without one', async () => {
    const first = await fetchApp(`/search?q=${encodeURIComponent('乐谱')}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"list-[\w-]+"$/);
    expect(first.headers.get('server-timing')).toMatch(/db;dur=/);
    await first.text();
    const db = countingDb(env.DB);
    const cond = await fetchApp(`/search?q=${encodeURIComponent('乐谱')}`, { headers: { 'if-none-match': etag } }, { DB: db.db });
    expect(cond.status).toBe(304);
    const again = await fetchApp(`/search?q=${encodeURIComponent('乐谱')}`, {}, { DB: db.db });
    expect(again.status).toBe(200);
    expect(again.headers.get('server-timing')).toContain('cache;desc="hit"');
    expect(queries(db)).toEqual([]);
  });

  it('keys by the normalised query: spacing and width do not make a new entry', async () => {
    const a = await fetchApp(`/api/search?q=${encodeURIComponent('Linux 5.16')}`);
    const b = await fetchApp(`/api/search?q=${encodeURIComponent('  ｌｉｎｕｘ   5.16 ')}`);
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
  });
});

describe('an upload updates search', () => {
  it('finds an edited article by its new words and no longer by its old ones; a deleted one not at all', async () => {
    const name = Object.keys(fixturePosts).find((f) => f.startsWith('05'))!;
    const edited = fixturePosts[name]!.replace(/<div>/, '<div><p>赛博朋克风格的新版本</p>').replace('乐谱', '曲谱');
    await seed({ ...fixturePosts, [name]: edited }, { now: '2026-01-02T00:00:00.000Z' });
    expect((await api('赛博朋克')).results.map((r) => r.slug)).toEqual([name.replace(/\.md$/, '')]);
    expect((await api('乐谱')).results.map((r) => r.slug)).not.toContain(name.replace(/\.md$/, ''));
    const rest = { ...fixturePosts };
    delete rest[name];
    await seed(rest, { now: '2026-01-03T00:00:00.000Z', prune: true });
    expect((await api('赛博朋克')).total).toBe(0);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM search_text').first<{ n: number }>();
    expect(rows?.n).toBe(60);
  });
});

describe('/search.xml', () => {
  it("is hexo-generator-search's document, newest first, well-formed, with every article", async () => {
    const res = await fetchApp('/search.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await res.text();
    assertWellFormedXml(xml);
    const entries = xml.match(/<entry>/g) ?? [];
    const count = await env.DB.prepare("SELECT count FROM lists WHERE key = 'home'").first<{ count: number }>();
    expect(entries.length).toBe(count!.count);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<search>\n {2}<entry>\n {4}<title>/);
    expect(xml).toMatch(/<link href="http:\/\/localhost:8787\/p\/[0-9a-f]+\.html"\/>/);
    expect(xml).toMatch(/<content type="html"><!\[CDATA\[/);
  });

  it('stops at SEARCH_XML_LIMIT and answers its ETag with 304', async () => {
    const res = await fetchApp('/search.xml', {}, { SEARCH_XML_LIMIT: '5' });
    expect((await res.text()).match(/<entry>/g)).toHaveLength(5);
    const etag = res.headers.get('etag')!;
    const db = countingDb(env.DB);
    const cond = await fetchApp('/search.xml', { headers: { 'if-none-match': etag } }, { SEARCH_XML_LIMIT: '5', DB: db.db });
    expect(cond.status).toBe(304);
    expect(queries(db)).toEqual([]);
  });
});
