/**
 * Permanent redirects to canonical URLs: other spellings of a list path (no trailing slash,
 * index.html, page/1/), the `?page=N` query of earlier versions, other spellings of a permalink,
 * the old /articles/<slug> URLs, and an article's former path after a re-upload changed it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchApp } from '../helpers/app';
import { decodedSegments, expectedPermalink, hrefOf } from '../helpers/oracle';
import { clearStore, seed, testVars } from '../helpers/seed';
import { TREE, slugOf, treeFiles, treeSource } from '../helpers/tree';

const REDIRECT_CACHE = 'public, max-age=300, s-maxage=300';

/** A 301 to `location`: checks the status, that Location is plain ASCII, and returns its decoded segments. */
async function expectRedirect(path: string, init: RequestInit = {}): Promise<{ location: string; segments: string[] }> {
  const res = await fetchApp(path, { redirect: 'manual', ...init });
  expect(res.status, path).toBe(301);
  const location = res.headers.get('location');
  expect(location, path).not.toBeNull();
  // A Location header is a URI reference: no raw spaces, non-ASCII or controls.
  expect(location!).toMatch(/^\/[\x21-\x7e]*$/);
  expect(res.headers.get('cache-control')).toBe(REDIRECT_CACHE);
  expect(await res.text()).toBe('');
  return { location: location!, segments: decodedSegments(location!) };
}

/** The redirect target answers 200 (no chains). */
async function expectServed(location: string) {
  const res = await fetchApp(location);
  expect(res.status, location).toBe(200);
  await res.arrayBuffer();
}

describe('list paths', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles());
  });

  const XINMEITI = ['categories', '新媒体'];
  it.each([
    ['a category without its trailing slash', hrefOf(XINMEITI, false), XINMEITI],
    ['a nested category without its trailing slash', hrefOf(['categories', '新媒体', 'IT-之家', '热榜'], false), ['categories', '新媒体', 'IT-之家', '热榜']],
    ['a category with index.html', `${hrefOf(XINMEITI)}index.html`, XINMEITI],
    ['page 1 of a category', `${hrefOf(XINMEITI)}page/1/`, XINMEITI],
    ['page 1 of a category without the slash', `${hrefOf(XINMEITI)}page/1`, XINMEITI],
    ['page 2 of a category without the slash', `${hrefOf(XINMEITI)}page/2`, [...XINMEITI, 'page', '2']],
    ['page 2 of a category with index.html', `${hrefOf(XINMEITI)}page/2/index.html`, [...XINMEITI, 'page', '2']],
    ['the home page as index.html', '/index.html', []],
    ['page 1 of the home page', '/page/1/', []],
    ['page 2 of the home page without the slash', '/page/2', ['page', '2']],
    ['/categories', '/categories', ['categories']],
    ['/categories/index.html', '/categories/index.html', ['categories']],
    ['/tags', '/tags', ['tags']],
    ['a tag without the slash', hrefOf(['tags', '安全'], false), ['tags', '安全']],
    ['page 1 of a tag', `${hrefOf(['tags', 'Windows'])}page/1/`, ['tags', 'Windows']],
    ['/archives', '/archives', ['archives']],
    ['a year without the slash', '/archives/2021', ['archives', '2021']],
    ['a month without the slash', '/archives/2021/07', ['archives', '2021', '07']],
    ['page 1 of a year', '/archives/2022/page/1/', ['archives', '2022']],
  ])('sends %s to the canonical path', async (_name, path, target) => {
    const { location, segments } = await expectRedirect(path);
    expect(segments).toEqual(target);
    expect(location.endsWith('/')).toBe(true);
    // Small pages, so that page 2 of 新媒体 exists.
    const res = await fetchApp(location, {}, { PER_PAGE: '2' } as Partial<Env>);
    expect(res.status, location).toBe(200);
    await res.arrayBuffer();
  });

  it.each([
    ['/api/categories without the slash', `/api${hrefOf(XINMEITI, false)}`, ['api', ...XINMEITI]],
    ['/api page 1 of a tag', `/api${hrefOf(['tags', 'Windows'])}page/1/`, ['api', 'tags', 'Windows']],
    ['/api/tags without the slash', '/api/tags', ['api', 'tags']],
    ['/api/archives/2021 without the slash', '/api/archives/2021', ['api', 'archives', '2021']],
  ])('sends %s to the canonical API path', async (_name, path, target) => {
    const { location, segments } = await expectRedirect(path);
    expect(segments).toEqual(target);
    const res = await fetchApp(location);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await res.arrayBuffer();
  });

  it.each([
    ['/?page=2', ['page', '2']],
    ['/?page=1', []],
    [`${hrefOf(XINMEITI)}?page=2`, [...XINMEITI, 'page', '2']],
    ['/archives/2021/?page=3', ['archives', '2021', 'page', '3']],
    [`${hrefOf(['tags', 'Windows'])}?page=2`, ['tags', 'Windows', 'page', '2']],
  ])('sends the legacy query %s to the Hexo path of that page', async (path, target) => {
    const { segments } = await expectRedirect(path);
    expect(segments).toEqual(target);
  });

  it.each(['/?page=0', '/?page=-1', '/?page=abc', '/?page=1.5', '/?page=1e3', `${hrefOf(XINMEITI)}?page=0`])(
    'answers the malformed legacy query %s with 400',
    async (path) => {
      const res = await fetchApp(path);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      await res.arrayBuffer();
    },
  );

  it('does not redirect a canonical list path', async () => {
    for (const path of ['/', hrefOf(XINMEITI), '/categories/', '/tags/', '/archives/', '/archives/2021/']) {
      const res = await fetchApp(path, { redirect: 'manual' });
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
  });
});

describe('article URLs', () => {
  beforeAll(async () => {
    await clearStore();
    await seed(treeFiles());
  });

  it.each(TREE.map((p) => [slugOf(p), p] as const))('sends /articles/%s (the old URL) to its permalink', async (slug, post) => {
    const path = `/articles/${slug.split('/').map(encodeURIComponent).join('/')}`;
    const { location } = await expectRedirect(path);
    expect(location).toBe(expectedPermalink(post));
    await expectServed(location);
  });

  it('answers /articles/<a slug nobody has> with 404', async () => {
    expect((await fetchApp('/articles/no-such-article')).status).toBe(404);
    // A folder of the tree is not an article.
    expect((await fetchApp(`/articles/${encodeURIComponent('新媒体')}/ZAKER`)).status).toBe(404);
  });

  it.each([
    ['with a trailing slash', (p: string) => `${p}/`],
    ['with two trailing slashes', (p: string) => `${p}//`],
  ])('sends a permalink %s to the permalink', async (_name, spell) => {
    const post = TREE[0]!;
    const { location } = await expectRedirect(spell(expectedPermalink(post)));
    expect(location).toBe(expectedPermalink(post));
  });

  it('does not redirect the permalink itself', async () => {
    const res = await fetchApp(expectedPermalink(TREE[0]!), { redirect: 'manual' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('sends the former path of a retitled article to its new one', async () => {
    const post = TREE[2]!;
    const before = expectedPermalink(post);
    await expectServed(before);
    const retitled = { ...post, title: `${post.title}（更正）` };
    await seed({ [post.path]: treeSource(post).replace(`title: '${post.title}'`, `title: '${retitled.title}'`) });
    const after = expectedPermalink(retitled);
    expect(after).not.toBe(before);
    const { location } = await expectRedirect(before);
    expect(location).toBe(after);
    await expectServed(after);
    // The old URL spelled with a slash reaches it too.
    expect((await fetchApp(`${before}/`)).status).toBe(301);
    // And the old /articles/ URL goes straight to the new permalink.
    const legacy = await expectRedirect(`/articles/${slugOf(post).split('/').map(encodeURIComponent).join('/')}`);
    expect(legacy.location).toBe(after);
  });
});

describe('date-based permalinks (:year/:month/:day/:title/)', () => {
  const vars = testVars({ PERMALINK: ':year/:month/:day/:title/' });
  const post = TREE[0]!; // 新媒体/ZAKER/channel/微软封杀漏洞后，… dated 2021-09-12T18:08:39Z
  const oldPath = ['2021', '09', '12', ...slugOf(post).split('/')];
  const newPath = ['2021', '09', '14', ...slugOf(post).split('/')];

  beforeAll(async () => {
    await clearStore();
    await seed({ [post.path]: treeSource(post) }, { vars });
  });

  it('serves the article at its folder-like permalink, with its spellings redirected', async () => {
    await expectServed(hrefOf(oldPath));
    expect((await expectRedirect(hrefOf(oldPath, false))).segments).toEqual(oldPath);
    expect((await expectRedirect(`${hrefOf(oldPath)}index.html`)).segments).toEqual(oldPath);
  });

  it('sends the former path to the new one after the date changed', async () => {
    const redated = treeSource(post).replace('date: Sun, 12 Sep 2021 18:08:39 GMT', 'date: Tue, 14 Sep 2021 08:00:00 GMT');
    expect(redated).not.toBe(treeSource(post));
    await seed({ [post.path]: redated }, { vars });
    const { segments } = await expectRedirect(hrefOf(oldPath));
    expect(segments).toEqual(newPath);
    await expectServed(hrefOf(newPath));
  });
});
