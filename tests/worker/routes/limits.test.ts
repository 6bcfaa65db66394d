/**
 * Inputs at the limits (issue 12.6): huge and deeply nested posts render; list paths and slugs far
 * longer than any real one are plain 404s (never a 5xx), and a slug no KV key can hold is a 404
 * without a single KV read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { countingKv, fetchApp } from '../helpers/app';
import { attr, findAll, findOne, parseDocument } from '../helpers/html';
import { clearStore, seed } from '../helpers/seed';
import { treeFiles } from '../helpers/tree';

/** The permalink of a seeded post, from the API (by slug). */
async function permalinkOf(slug: string): Promise<string> {
  const res = await fetchApp(`/api/articles/${encodeURIComponent(slug)}`);
  expect(res.status).toBe(200);
  return new URL(((await res.json()) as { url: string }).url).pathname;
}

beforeAll(async () => {
  await clearStore();
  await seed(treeFiles());
});

describe('big posts', () => {
  it('renders a 2 MB post with 2,000 proxied images', async () => {
    const para = `<p>${'这是一段很长的正文。'.repeat(80)}</p>`;
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      parts.push(`<img class="lazy" data-original="http://img${i % 7}.example.com/p/${i}.jpg" src="https://cors.zfour.workers.dev/?http://img${i % 7}.example.com/p/${i}.jpg">`, para);
    }
    const body = `<div>${parts.join('\n')}</div>`;
    expect(body.length).toBeGreaterThan(1_000_000);
    await seed({ 'huge-2mb.md': `---\ntitle: Huge\ndate: 2020-02-02 00:00:00\n---\n${body}` });
    const res = await fetchApp(await permalinkOf('huge-2mb'));
    expect(res.status).toBe(200);
    const html = await res.text();
    const article = findOne(parseDocument(html), 'div', 'article-body');
    expect(article).not.toBeNull();
    const srcs = findAll(article!, 'img').map((img) => attr(img, 'src') ?? '');
    expect(srcs).toHaveLength(2000);
    expect(srcs.filter((s) => !s.startsWith('/img/'))).toEqual([]);
    expect(html).not.toContain('cors.zfour.workers.dev');
  }, 60_000);

  it('renders a post nested 10,000 elements deep without crashing the isolate', async () => {
    const depth = 10_000;
    const body = `${'<div>'.repeat(depth)}<p>deep <img src="http://a.example.com/deep.jpg"></p>${'</div>'.repeat(depth)}`;
    await seed({ 'deep-10k.md': `---\ntitle: Deep\ndate: 2020-02-03 00:00:00\n---\n${body}` });
    const res = await fetchApp(await permalinkOf('deep-10k'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('deep');
    expect(html).toMatch(/src="\/img\//);
    // The isolate is still healthy afterwards.
    expect((await fetchApp('/robots.txt')).status).toBe(200);
  }, 60_000);
});

describe('long list paths', () => {
  const han = (n: number) => '中'.repeat(n);
  it.each([
    ['a category of 60 × 中', `/categories/${encodeURIComponent(han(60))}/`],
    ['the same under /api', `/api/categories/${encodeURIComponent(han(60))}/`],
    ['page 2 of it', `/categories/${encodeURIComponent(han(60))}/page/2/`],
    ['a category of 2,000 × 中', `/categories/${encodeURIComponent(han(2000))}/`],
    ['50 levels of 60 × 中', `/categories/${Array(50).fill(encodeURIComponent(han(60))).join('/')}/`],
    ['a tag of 60 × 中', `/tags/${encodeURIComponent(han(60))}/`],
    ['a tag of 5,000 ASCII letters', `/tags/${'x'.repeat(5000)}/`],
    ['an archive year of 60 digits', `/archives/${'9'.repeat(60)}/`],
    ['a permalink of 5,000 characters', `/p/${'f'.repeat(5000)}.html`],
    ['a path over 4,096 characters once decoded', `/${encodeURIComponent(han(1500))}/${encodeURIComponent(han(1500))}/${encodeURIComponent(han(1500))}`],
  ])('answers %s with 404, not 503', async (_n, path) => {
    const res = await fetchApp(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('retry-after')).toBeNull();
    await res.arrayBuffer();
  });
});

describe('slugs longer than a KV key', () => {
  // KV keys are at most 512 bytes; article keys are `v2:article:<slug>` (11 bytes of prefix).
  it.each([
    ['/api/articles/', 'a'.repeat(502)],
    ['/api/articles/', 'a'.repeat(600)],
    ['/api/articles/', '中'.repeat(168)], // 504 bytes of UTF-8
    ['/api/articles/', `新媒体/ZAKER/channel/${'标'.repeat(200)}`],
    ['/articles/', 'a'.repeat(600)],
    ['/articles/', '中'.repeat(200)],
  ])('%s<%s> answers 404 without a KV read', async (prefix, slug) => {
    const kv = countingKv();
    const res = await fetchApp(`${prefix}${slug.split('/').map(encodeURIComponent).join('/')}`, {}, { ARTICLES: kv.kv } as Partial<Env>);
    expect(res.status).toBe(404);
    expect(kv.keys).toEqual([]);
    await res.arrayBuffer();
  });

  it('reads KV for a slug that just fits (the control)', async () => {
    const kv = countingKv();
    const res = await fetchApp(`/api/articles/${'a'.repeat(501)}`, {}, { ARTICLES: kv.kv } as Partial<Env>);
    expect(res.status).toBe(404);
    expect(kv.keys).toContain(`v2:article:${'a'.repeat(501)}`);
    await res.arrayBuffer();
  });
});
