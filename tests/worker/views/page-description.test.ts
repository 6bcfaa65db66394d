/**
 * Every page has a meta description (search engines show it; Lighthouse's SEO audit requires it):
 * the page's own (an article's excerpt), else SITE_DESCRIPTION, else a default in the site's
 * language — never none, as before when SITE_DESCRIPTION was empty.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchApp } from '../helpers/app';
import { attr, elements, parseDocument } from '../helpers/html';
import { clearStore, seed } from '../helpers/seed';

const ZH_DEFAULT = '汇集多个来源的新闻与技术文章，图片经本站转发。';
const EN_DEFAULT = 'News and technology articles from many sources, with images served by this site.';

async function descriptionOf(path: string, vars: Partial<Env> = {}): Promise<{ status: number; description: string | null; og: string | null }> {
  const res = await fetchApp(path, {}, vars);
  const doc = parseDocument(await res.text());
  const meta = (key: string) => {
    const el = elements(doc).find((e) => e.tagName === 'meta' && (attr(e, 'name') === key || attr(e, 'property') === key));
    return el ? (attr(el, 'content') ?? null) : null;
  };
  return { status: res.status, description: meta('description'), og: meta('og:description') };
}

beforeAll(async () => {
  await clearStore();
  await seed();
});

describe('the meta description', () => {
  it.each([
    ['the home page', '/', 200],
    ['the category tree', '/categories/', 200],
    ['the archive', '/archives/', 200],
    ['the empty search', '/search', 200],
    ['a 404 page', '/p/no-such.html', 404],
    ['a 400 page', `/search?q=${'a'.repeat(101)}`, 400],
  ])('falls back to the Chinese default on %s of a zh-CN site without SITE_DESCRIPTION', async (_name, path, status) => {
    const page = await descriptionOf(path);
    expect(page.status).toBe(status);
    expect(page.description).toBe(ZH_DEFAULT);
    expect(page.og).toBe(ZH_DEFAULT);
  });

  it('is English on an English site', async () => {
    const page = await descriptionOf('/', { SITE_LANG: 'en' } as Partial<Env>);
    expect(page.description).toBe(EN_DEFAULT);
  });

  it('is SITE_DESCRIPTION when it is set', async () => {
    const page = await descriptionOf('/', { SITE_DESCRIPTION: '每日科技新闻' } as Partial<Env>);
    expect(page.description).toBe('每日科技新闻');
  });

  it("is the article's own excerpt on an article page, not the default", async () => {
    const res = await fetchApp('/api/articles/000_1c07ab0e1a8962a0');
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const page = await descriptionOf(new URL(url).pathname);
    expect(page.status).toBe(200);
    expect(page.description).toMatch(/^.{20,}$/u);
    expect(page.description).not.toBe(ZH_DEFAULT);
    expect(page.description).toContain('亚太经合组织');
  });
});
