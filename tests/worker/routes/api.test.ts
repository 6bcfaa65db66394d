import { beforeAll, describe, expect, it } from 'vitest';
import { get } from '../helpers/app';
import { seed } from '../helpers/seed';

beforeAll(async () => {
  await seed();
});

describe('GET /api/articles', () => {
  it('returns a page of article summaries with absolute URLs', async () => {
    const res = await get('/api/articles');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('etag')).toMatch(/^"api\./);
    const json = (await res.json()) as { articles: Record<string, unknown>[]; page: number; pages: number };
    expect(json.page).toBe(1);
    expect(json.pages).toBeGreaterThanOrEqual(4);
    expect(json.articles).toHaveLength(20);
    for (const a of json.articles) {
      expect(Object.keys(a).sort()).toEqual(['author', 'categories', 'date', 'slug', 'thumbnail', 'title', 'url']);
      expect(a.url).toBe(`http://localhost:8787/articles/${encodeURIComponent(a.slug as string)}`);
      if (a.thumbnail !== null) expect(a.thumbnail).toMatch(/^\/img\//);
    }
  });

  it('answers a page past the end with a JSON 404', async () => {
    const res = await get('/api/articles?page=500');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404 });
  });
});

describe('GET /api/articles/:slug', () => {
  it('returns the article with its rewritten body', async () => {
    const res = await get('/api/articles/000_1c07ab0e1a8962a0');
    expect(res.status).toBe(200);
    const json = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(
      ['author', 'categories', 'date', 'headimg', 'html', 'slug', 'thumbnail', 'title', 'url'].sort(),
    );
    expect(json.date).toBe('2021-11-13T06:08:05.000Z');
    expect(json.headimg).toMatch(/^\/img\//);
    expect(json.html).toContain('<img');
    expect(JSON.stringify(json)).not.toContain('cors.zfour.workers.dev');
  });

  it('answers an unknown article with a JSON 404', async () => {
    const res = await get('/api/articles/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'no such article', status: 404 });
  });

  it('answers unknown API paths with JSON, not HTML', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
