import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchApp } from '../helpers/app';
import { parse } from '../helpers/html';
import { seed } from '../helpers/seed';

beforeAll(async () => {
  await seed();
});

const segment = fc.oneof(
  fc.constantFrom('', 'articles', 'api', 'categories', 'img', 'robots.txt', 'atom.xml', 'rss2.xml', 'sitemap.xml', 'assets', 'site.css', '000_1c07ab0e1a8962a0', '..', '.', '%2F', '%00', '%E4%B8%AD', '%ZZ', '%', 'v1:index:meta', '../index:meta'),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
);
const path = fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?page=1', '?page=0', '?page=-1', '?page=99999999999', '?page=%00', '?page=1&page=2', '?v=x', '?a=%ZZ'),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d)}`),
);
const headerValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
const headers = fc.record(
  {
    'if-none-match': fc.oneof(headerValue, fc.constantFrom('*', '"x"', 'W/"x", "y"', '"')),
    'if-modified-since': fc.oneof(headerValue, fc.constantFrom('Sat, 13 Nov 2021 06:08:05 GMT', 'garbage', '')),
    accept: fc.constantFrom('text/html', 'application/json', '*/*', 'image/webp'),
    host: fc.constantFrom('evil.example', 'localhost:8787', '127.0.0.1'),
    range: fc.constantFrom('bytes=0-10', 'bytes=x'),
    cookie: headerValue,
  },
  { requiredKeys: [] },
);
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');

describe('route fuzzing', () => {
  it('never answers 5xx or leaks a stack trace, whatever the path, query, method and headers', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('no', { status: 404 }));
    await fc.assert(
      fc.asyncProperty(path, query, method, headers, async (p, q, m, h) => {
        const res = await fetchApp(`${p}${q}`, { method: m, headers: h });
        const body = await res.text();
        expect(res.status, `${m} ${p}${q}`).toBeLessThan(500);
        expect(body).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|TypeError|ReferenceError|CorruptValueError/);
      }),
      { numRuns: 400 },
    );
    fetchSpy.mockRestore();
    errors.mockRestore();
  });

  it('builds absolute URLs from the configured site URL, never from a forged Host header', async () => {
    const res = await fetchApp('/articles/000_1c07ab0e1a8962a0', { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
    const html = await res.text();
    expect(html).not.toContain('evil.example');
    const doc = parse(html);
    expect(doc.querySelector('link[rel="canonical"]')?.getAttribute('href')).toBe('http://localhost:8787/articles/000_1c07ab0e1a8962a0');
    expect(doc.querySelector('meta[property="og:image"]')?.getAttribute('content')).toMatch(/^http:\/\/localhost:8787\/img\//);
    const robots = await (await fetchApp('/robots.txt', { headers: { host: 'evil.example' } })).text();
    expect(robots).not.toContain('evil.example');
  });
});
