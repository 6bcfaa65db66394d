import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type Faults, faultyKv, fetchApp } from '../helpers/app';
import { parse } from '../helpers/html';
import { kvKeys, seed } from '../helpers/seed';

const FIRST = '000_1c07ab0e1a8962a0';

beforeAll(async () => {
  await seed();
});

function withFaults(faults: Faults, extra: Partial<Env> = {}): Partial<Env> {
  return { ARTICLES: faultyKv(env.ARTICLES, faults), KV_TIMEOUT_MS: '50', ...extra } as Partial<Env>;
}

describe('KV failures', () => {
  it('serves the last good copy of an article when KV throws', async () => {
    const good = await fetchApp(`/articles/${FIRST}`);
    const goodBody = await good.text();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetchApp(`/articles/${FIRST}`, {}, withFaults({ fail: true, hang: false }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(goodBody);
    expect(res.headers.get('server-timing')).toContain('cache;desc="stale"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it('serves the last good copy of a list when KV stalls past the timeout', async () => {
    const good = await (await fetchApp('/?page=2')).text();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const started = Date.now();
    const res = await fetchApp('/?page=2', {}, withFaults({ fail: false, hang: true }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(good);
    errors.mockRestore();
  });

  it.each([
    ['an article never served before', `/articles/${encodeURIComponent('never-seen')}`, 'text/html'],
    ['an API page never served before', '/api/articles?page=3', 'application/json'],
  ])('answers %s with 503, Retry-After and no internals', async (_n, path, type) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetchApp(path, {}, withFaults({ fail: true, hang: false }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${type}`));
    const body = await res.text();
    expect(body).not.toMatch(/kv\.internal|Internal Server Error at|stack|\.ts:\d+/);
    errors.mockRestore();
  });

  it('keeps routes that need no KV working during an outage', async () => {
    const res = await fetchApp('/robots.txt', {}, withFaults({ fail: true, hang: false }));
    expect(res.status).toBe(200);
  });
});

describe('corrupt values', () => {
  it('answers a clean 500 for an article whose KV value is not JSON, and logs it', async () => {
    await env.ARTICLES.put(kvKeys.article('corrupt-json'), '{"v":1,"slug":');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetchApp('/articles/corrupt-json');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(parse(text).querySelector('h1')?.textContent).toBe('出错了');
    expect(text).not.toContain('corrupt');
    expect(errors.mock.calls.flat().join(' ')).toContain('corrupt KV value at v1:article:corrupt-json');
    errors.mockRestore();
  });

  it('answers a clean 500 for an article value with missing fields', async () => {
    await env.ARTICLES.put(kvKeys.article('corrupt-shape'), JSON.stringify({ v: 1, slug: 'corrupt-shape', title: 7 }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await fetchApp('/api/articles/corrupt-shape')).status).toBe(500);
    errors.mockRestore();
  });

  it('skips a list entry whose article is gone, and a malformed list entry, without failing the list', async () => {
    await seed({
      'gone-soon.md': "---\ntitle: 'Gone soon'\ndate: 2099-01-01 00:00:00\ncategories: [fault-test]\n---\n<p>x</p>",
      'stays.md': "---\ntitle: 'Stays'\ndate: 2098-01-01 00:00:00\ncategories: [fault-test]\n---\n<p>x</p>",
    });
    await env.ARTICLES.delete(kvKeys.article('gone-soon'));
    const shardKey = kvKeys.category('fault-test', 1);
    const shard = JSON.parse((await env.ARTICLES.get(shardKey))!) as { items: unknown[] };
    shard.items.push({ slug: 42, title: null });
    await env.ARTICLES.put(shardKey, JSON.stringify(shard));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetchApp('/categories/fault-test');
    expect(res.status).toBe(200);
    const titles = [...parse(await res.text()).querySelectorAll('.post-list h2')].map((h) => h.textContent);
    expect(titles).toEqual(['Stays']);
    expect(errors.mock.calls.flat().join(' ')).toContain('index lists gone-soon but its article is missing');
    const article = await fetchApp('/articles/gone-soon');
    expect(article.status).toBe(404);
    errors.mockRestore();
  });
});
