/**
 * The per-isolate memory cache (HOT_CACHE_MS > 0): repeats answered with no KV read, concurrent
 * misses for one URL collapsed into one load, least-recently-used entries evicted first, a
 * remembered 404 the same as the first, and nothing degraded ever kept.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotCache, type HotEntry, pageHotCache } from '../../../src/http/hot-cache';
import { countingDb, countingKv, fetchWithEnv, queries } from '../helpers/app';
import { apiArticlePath, expectedPermalink, hrefOf } from '../helpers/oracle';
import { bindingStore, clearStore, seed } from '../helpers/seed';
import { TREE, treeFiles } from '../helpers/tree';

/** One env object for a series of requests, as an isolate has, with the memory cache on. */
function isolate(extra: Partial<Env> = {}) {
  const counted = countingKv();
  const db = countingDb();
  const bindings = { ...env, HOT_CACHE_MS: '60000', ARTICLES: counted.kv, DB: db.db, ...extra } as Env;
  return { bindings, kvReads: counted.keys, db, fetch: (path: string, init: RequestInit = {}) => fetchWithEnv(bindings, path, init) };
}

let unique = 0;
/** A URL no other test has put in memory (the query string is part of the memory key). */
const fresh = (path: string) => `${path}?m=${++unique}`;

beforeAll(async () => {
  await clearStore();
  await seed(treeFiles());
});

beforeEach(() => {
  pageHotCache.clear();
});

describe('repeats', () => {
  it('answers a repeat request from memory, with no KV read, the same headers and body, and 304s', async () => {
    const app = isolate();
    const path = fresh(expectedPermalink(TREE[1]!));
    const first = await app.fetch(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('server-timing')).not.toContain('mem;desc="hit"');
    const body = await first.text();
    const readsAfterFirst = app.kvReads.length;
    expect(readsAfterFirst).toBeGreaterThan(0);

    const second = await app.fetch(path);
    expect(second.status).toBe(200);
    expect(second.headers.get('server-timing')).toContain('mem;desc="hit"');
    for (const h of ['etag', 'last-modified', 'cache-control', 'content-type', 'content-security-policy']) {
      expect(second.headers.get(h), h).toBe(first.headers.get(h));
    }
    expect(await second.text()).toBe(body);
    const conditional = await app.fetch(path, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(conditional.status).toBe(304);
    expect(await conditional.text()).toBe('');
    const head = await app.fetch(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(app.kvReads).toHaveLength(readsAfterFirst);
  });

  it('keeps nothing with HOT_CACHE_MS=0', async () => {
    const app = isolate({ HOT_CACHE_MS: '0' });
    const path = fresh('/');
    await (await app.fetch(path)).arrayBuffer();
    const reads = app.kvReads.length;
    const again = await app.fetch(path);
    expect(again.headers.get('server-timing')).not.toContain('mem;desc="hit"');
    expect(app.kvReads.length).toBeGreaterThan(reads);
    expect(pageHotCache.size).toBe(0);
    await again.arrayBuffer();
  });

  it('goes back to KV once HOT_CACHE_MS has passed', async () => {
    const app = isolate({ HOT_CACHE_MS: '1' });
    const path = fresh(expectedPermalink(TREE[2]!));
    await (await app.fetch(path)).arrayBuffer();
    const reads = app.kvReads.length;
    // Only waits past the 1 ms lifetime; nothing here measures time.
    await new Promise((r) => setTimeout(r, 20));
    const again = await app.fetch(path);
    expect(again.headers.get('server-timing')).not.toContain('mem;desc="hit"');
    expect(app.kvReads.length).toBeGreaterThan(reads);
    await again.arrayBuffer();
  });
});

describe('concurrent misses', () => {
  it.each([
    ['an article page', () => expectedPermalink(TREE[5]!)],
    ['a category page', () => hrefOf(['categories', '新媒体', 'ZAKER'])],
    ['the API article', () => apiArticlePath(TREE[6]!)],
  ])('collapses 8 concurrent misses for %s into one load', async (_n, path) => {
    const single = isolate();
    const once = await single.fetch(fresh(path()));
    expect(once.status).toBe(200);
    await once.arrayBuffer();
    const readsForOne = single.kvReads.length;
    expect(readsForOne).toBeGreaterThan(0);

    pageHotCache.clear();
    const app = isolate();
    const url = fresh(path());
    const responses = await Promise.all(Array.from({ length: 8 }, () => app.fetch(url)));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(bodies).size).toBe(1);
    expect(new Set(responses.map((r) => r.headers.get('etag'))).size).toBe(1);
    // One request loaded; seven waited for it.
    expect(app.kvReads).toHaveLength(readsForOne);
    expect(responses.filter((r) => !r.headers.get('server-timing')!.includes('mem;desc="hit"'))).toHaveLength(1);
    expect(queries(app.db).length).toBeLessThanOrEqual(1);
  });

  it('gives every waiter the same 404 as the request that loaded', async () => {
    const single = isolate();
    expect((await single.fetch(fresh('/p/0.html'))).status).toBe(404);
    const readsForOne = single.kvReads.length;
    expect(readsForOne).toBeGreaterThan(0);
    pageHotCache.clear();
    const app = isolate();
    const url = fresh('/p/0.html');
    const responses = await Promise.all(Array.from({ length: 5 }, () => app.fetch(url)));
    expect(responses.map((r) => r.status)).toEqual(Array(5).fill(404));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    // The index record and the link keys (the path and its other spelling), read once.
    expect(app.kvReads).toHaveLength(readsForOne);
  });
});

describe('remembered 404s', () => {
  it.each([
    ['an unknown permalink (HTML)', '/p/0.html', 'text/html; charset=utf-8'],
    ['an unknown API article (JSON, with a message)', '/api/articles/no-such-article', 'application/json; charset=utf-8'],
    ['a page past the end of a list (HTML)', '/page/99/', 'text/html; charset=utf-8'],
    ['an unknown category (JSON)', '/api/categories/no-such-category/', 'application/json; charset=utf-8'],
  ])('answers %s again from memory with the same status, headers and body', async (_n, path, type) => {
    const app = isolate();
    const url = fresh(path);
    const first = await app.fetch(url);
    expect(first.status).toBe(404);
    expect(first.headers.get('content-type')).toBe(type);
    const body = await first.text();
    const reads = app.kvReads.length;
    const dbCalls = queries(app.db).length;
    const second = await app.fetch(url);
    expect(second.status).toBe(404);
    expect(await second.text()).toBe(body);
    expect([...second.headers].sort()).toEqual([...first.headers].sort());
    expect(app.kvReads).toHaveLength(reads);
    expect(queries(app.db)).toHaveLength(dbCalls);
  });
});

describe('least recently used first', () => {
  const entry = (bytes: number): HotEntry => ({ status: 200, headers: [], body: new ArrayBuffer(bytes), etag: null, lastModified: null });

  it('evicts the least recently used entry, not the oldest', () => {
    const cache = new HotCache(3600, 2000);
    cache.set('a', entry(1000), 60_000);
    cache.set('b', entry(1000), 60_000);
    cache.set('c', entry(1000), 60_000);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).not.toBeNull(); // a is now the most recently used
    cache.set('d', entry(1000), 60_000);
    expect(cache.get('b')).toBeNull();
    for (const key of ['a', 'c', 'd']) expect(cache.get(key), key).not.toBeNull();
    expect(cache.totalBytes).toBeLessThanOrEqual(3600);
  });

  it('keeps no entry over the per-entry bound, nor one with no lifetime', () => {
    const cache = new HotCache(100_000, 2000);
    cache.set('big', entry(2500), 60_000);
    cache.set('none', entry(10), 0);
    expect(cache.get('big')).toBeNull();
    expect(cache.get('none')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('evicts a page the app keeps in memory only after everything used less recently', async () => {
    const app = isolate();
    const url = fresh('/');
    const fill = (from: number, to: number) => {
      for (let i = from; i < to; i++) pageHotCache.set(`filler-${unique}-${i}`, entry(1_000_000), 60_000);
    };
    await (await app.fetch(url)).arrayBuffer();
    const reads = app.kvReads.length;
    fill(0, 6);
    // Used again: now more recent than the six fillers.
    expect((await app.fetch(url)).headers.get('server-timing')).toContain('mem;desc="hit"');
    fill(6, 8); // over the 8 MiB budget: the oldest fillers go, not the page
    expect((await app.fetch(url)).headers.get('server-timing')).toContain('mem;desc="hit"');
    expect(app.kvReads).toHaveLength(reads);
    expect(pageHotCache.totalBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    fill(8, 20); // now the page is the least recently used
    const evicted = await app.fetch(url);
    expect(evicted.status).toBe(200);
    expect(evicted.headers.get('server-timing')).not.toContain('mem;desc="hit"');
    expect(app.kvReads.length).toBeGreaterThan(reads);
    await evicted.arrayBuffer();
  });
});

describe('degraded responses', () => {
  beforeAll(async () => {
    // An upload that stopped before its last write: D1 is ahead of the KV index record.
    const store = bindingStore();
    const putMany = store.kv.putMany.bind(store.kv);
    store.kv.putMany = (entries) => putMany(entries.filter((e) => e.key !== 'v2:index'));
    await seed({ '新媒体/ZAKER/channel/未完成.md': "---\ntitle: '未完成'\ndate: 2023-01-01 00:00:00\ncategories: [新媒体, ZAKER, channel]\n---\n<p>x</p>\n" }, { store });
  });

  it('are never kept in memory', async () => {
    const app = isolate();
    const url = fresh(hrefOf(['categories', '新媒体']));
    for (let i = 0; i < 2; i++) {
      const res = await app.fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('server-timing')).not.toContain('mem;desc="hit"');
      await res.arrayBuffer();
    }
    expect(pageHotCache.size).toBe(0);
  });
});
