/**
 * A real Hexo posts tree (nested folders, awkward names, two same-named files) served at Hexo's
 * URLs: every post at `/p/<crc16 hex>.html`, on every level of its category, on its tags' and its
 * archives' pages (all pages followed), with the right counts on /categories/ and /tags/.
 * Expected values come from the tree's table and independent oracles (helpers/oracle.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SITE, fetchApp } from '../helpers/app';
import { attr, elements, findAll, findOne, parseDocument, readListPage, textOf } from '../helpers/html';
import { apiArticlePath, crc16Arc, decodedSegments, expectedPermalink, hrefOf, newestFirst } from '../helpers/oracle';
import { clearStore, seed } from '../helpers/seed';
import { TREE, type TreePost, slugOf, treeFiles } from '../helpers/tree';

/** Small pages, so every list of the tree has several. */
const PER_PAGE = 2;
const small = { PER_PAGE: String(PER_PAGE) } as Partial<Env>;

beforeAll(async () => {
  await clearStore();
  await seed(treeFiles());
});

describe('the CRC-16/ARC oracle', () => {
  it.each([
    ['123456789', 0xbb3d],
    ['', 0],
  ])('gives CRC-16/ARC(%j) = %i', (text, crc) => {
    expect(crc16Arc(text)).toBe(crc);
  });

  it('gives the tree distinct permalinks, the same-named pair apart by the bump alone', () => {
    const paths = TREE.map(expectedPermalink);
    expect(new Set(paths).size).toBe(TREE.length);
    const pair = TREE.filter((p) => p.path.endsWith('Windows 11最新开发版右键点击开始菜单会崩溃 但可以用隐藏方法修复.md'));
    expect(pair).toHaveLength(2);
    expect(crc16Arc(pair[0]!.title)).toBe(crc16Arc(pair[1]!.title));
  });
});

interface ArticleJson {
  slug: string;
  title: string;
  date: string;
  url: string;
  abbrlink: string;
  categories: string[][];
  tags: string[];
}

describe('every post of the tree at its permalink', () => {
  it.each(TREE.map((p) => [p.path, p] as const))('%s', async (_path, post) => {
    const permalink = expectedPermalink(post);
    const res = await fetchApp(permalink);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const doc = parseDocument(await res.text());
    const h1 = findOne(doc, 'h1');
    expect(h1).not.toBeNull();
    expect(textOf(h1!)).toBe(post.title);
    const canonical = elements(doc).find((el) => el.tagName === 'link' && attr(el, 'rel') === 'canonical');
    expect(canonical).toBeDefined();
    expect(attr(canonical!, 'href')).toBe(`${SITE}${permalink}`);
    // Its category trail links every level to that level's list.
    const trailLinks = findAll(doc, 'a').filter((a) => /^\/categories\/[^/]/.test(attr(a, 'href') ?? ''));
    const levels = post.categorySlugs.map((_s, i) => ['categories', ...post.categorySlugs.slice(0, i + 1)]);
    expect(trailLinks.map((a) => decodedSegments(attr(a, 'href')!))).toEqual(levels);
    expect(trailLinks.map((a) => textOf(a))).toEqual(post.categories);
    // And its tags to theirs.
    const tagLinks = findAll(doc, 'a').filter((a) => /^\/tags\/[^/]/.test(attr(a, 'href') ?? ''));
    expect(tagLinks.map((a) => decodedSegments(attr(a, 'href')!))).toEqual(post.tags.map((t) => ['tags', t.slug]));
    expect(tagLinks.map((a) => textOf(a))).toEqual(post.tags.map((t) => `#${t.name}`));

    // The same article by its slug under /api, pointing at the same URL.
    const api = await fetchApp(apiArticlePath(post));
    expect(api.status).toBe(200);
    const json = (await api.json()) as ArticleJson;
    expect(json.slug).toBe(slugOf(post));
    expect(json.title).toBe(post.title);
    expect(json.date).toBe(post.date);
    expect(json.url).toBe(`${SITE}${permalink}`);
    expect(`/p/${json.abbrlink}.html`).toBe(permalink);
    expect(json.categories).toEqual([post.categories]);
    expect(json.tags).toEqual(post.tags.map((t) => t.name));
  });

  it('gives the two same-named files two articles at two URLs, each in its own channel', async () => {
    const bumped = TREE.find((p) => p.bump === 1)!;
    const pair = TREE.filter((p) => p.title === bumped.title);
    expect(pair).toHaveLength(2);
    const [first, second] = pair as [TreePost, TreePost];
    expect(slugOf(first)).not.toBe(slugOf(second));
    expect(expectedPermalink(second)).toBe(`/p/${(crc16Arc(second.title) + 1).toString(16)}.html`);
    const pages = await Promise.all(pair.map(async (p) => [p, await fetchApp(expectedPermalink(p))] as const));
    for (const [post, res] of pages) {
      expect(res.status).toBe(200);
      const doc = parseDocument(await res.text());
      const channel = findAll(doc, 'a').filter((a) => /^\/categories\/[^/]/.test(attr(a, 'href') ?? '')).at(-1);
      expect(channel).toBeDefined();
      expect(decodedSegments(attr(channel!, 'href')!)).toEqual(['categories', ...post.categorySlugs]);
    }
  });

  it('answers a permalink no post has with 404', async () => {
    const taken = new Set(TREE.map(expectedPermalink));
    let free = 0;
    while (taken.has(`/p/${free.toString(16)}.html`)) free++;
    expect((await fetchApp(`/p/${free.toString(16)}.html`)).status).toBe(404);
  });
});

// ---- Lists: what each list should hold, from the table ----

interface ExpectedList {
  /** Decoded segments of page 1's path. */
  segments: string[];
  members: TreePost[];
}

function expectedLists(): ExpectedList[] {
  const lists = new Map<string, ExpectedList>();
  const add = (segments: string[], post: TreePost) => {
    const key = JSON.stringify(segments);
    let list = lists.get(key);
    if (!list) lists.set(key, (list = { segments, members: [] }));
    if (!list.members.includes(post)) list.members.push(post);
  };
  for (const post of TREE) {
    add([], post);
    add(['archives'], post);
    post.categorySlugs.forEach((_s, i) => add(['categories', ...post.categorySlugs.slice(0, i + 1)], post));
    for (const tag of post.tags) add(['tags', tag.slug], post);
    add(['archives', post.date.slice(0, 4)], post);
    add(['archives', post.date.slice(0, 4), post.date.slice(5, 7)], post);
  }
  return [...lists.values()];
}

const byNewest = (posts: TreePost[]) => [...posts].sort((a, b) => newestFirst({ date: a.date, slug: slugOf(a) }, { date: b.date, slug: slugOf(b) }));

/** Follows rel="next" from page 1; returns every page read. */
async function crawl(firstHref: string, overrides: Partial<Env>) {
  const pages: { href: string; view: ReturnType<typeof readListPage> }[] = [];
  for (let href: string | null = firstHref; href !== null; ) {
    expect(pages.length, `pagination of ${firstHref} does not end`).toBeLessThan(50);
    const res = await fetchApp(href, {}, overrides);
    expect(res.status, href).toBe(200);
    const view = readListPage(await res.text());
    pages.push({ href, view });
    href = view.next;
  }
  return pages;
}

describe('lists at Hexo paths, every page followed', () => {
  const LISTS = expectedLists();

  it('covers every kind of list', () => {
    const kinds = new Set(LISTS.map((l) => l.segments[0] ?? 'home'));
    expect([...kinds].sort()).toEqual(['archives', 'categories', 'home', 'tags']);
    expect(LISTS.filter((l) => l.segments[0] === 'categories').length).toBeGreaterThan(15);
  });

  it.each(LISTS.map((l) => [hrefOf(l.segments), l] as const))('%s lists exactly its articles, newest first', async (href, list) => {
    const pages = await crawl(href, small);
    const expected = byNewest(list.members).map(expectedPermalink);
    expect(pages.flatMap((p) => p.view.items.map((i) => i.href))).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(list.members.length / PER_PAGE));
    pages.forEach((page, i) => {
      // Page n is at <base>page/n/ and says so in its canonical link; it links back to page n-1.
      const pageSegments = i === 0 ? list.segments : [...list.segments, 'page', String(i + 1)];
      expect(decodedSegments(page.href)).toEqual(pageSegments);
      expect(page.view.canonical).toBe(`${SITE}${hrefOf(pageSegments)}`);
      expect(page.view.prev === null ? null : decodedSegments(page.view.prev)).toEqual(
        i === 0 ? null : i === 1 ? list.segments : [...list.segments, 'page', String(i)],
      );
    });
    // Every list but the home page says how many articles it has.
    expect(pages[0]!.view.count).toBe(list.segments.length === 0 ? null : `${list.members.length} 篇文章`);
    // Titles as in the table.
    expect(pages.flatMap((p) => p.view.items.map((i) => i.title))).toEqual(byNewest(list.members).map((p) => p.title));
  });

  it.each(LISTS.map((l) => [`/api${hrefOf(l.segments)}`, l] as const))('%s (JSON) has the same articles and total', async (href, list) => {
    const expected = byNewest(list.members);
    const got: string[] = [];
    const pages = Math.ceil(list.members.length / PER_PAGE);
    for (let page = 1; page <= pages; page++) {
      const path = page === 1 ? href : `${href}page/${page}/`;
      const res = await fetchApp(path, {}, small);
      expect(res.status, path).toBe(200);
      const json = (await res.json()) as { articles: { url: string; slug: string }[]; page: number; pages: number; total: number };
      expect(json.page).toBe(page);
      expect(json.pages).toBe(pages);
      expect(json.total).toBe(list.members.length);
      got.push(...json.articles.map((a) => a.url));
    }
    expect(got).toEqual(expected.map((p) => `${SITE}${expectedPermalink(p)}`));
    const past = await fetchApp(`${href}page/${pages + 1}/`, {}, small);
    expect(past.status).toBe(404);
    expect(past.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers a page past the end of a list with 404', async () => {
    expect((await fetchApp(`${hrefOf(['categories', '新媒体'])}page/99/`, {}, small)).status).toBe(404);
    expect((await fetchApp('/page/9/', {}, small)).status).toBe(404);
  });

  it.each([
    ['a category that does not exist', hrefOf(['categories', '新媒体', 'no-such-source'])],
    ['a level skipped', hrefOf(['categories', 'ZAKER'])],
    ['a category by its display name instead of its slug', hrefOf(['categories', '新媒体', 'IT 之家'])],
    ['a tag that does not exist', hrefOf(['tags', 'nope'])],
    ['a tag by its display name instead of its slug', hrefOf(['tags', '#新闻'])],
    ['a month without articles', '/archives/2021/01/'],
    ['a year without articles', '/archives/1999/'],
    ['an impossible month', '/archives/2021/13/'],
  ])('answers %s with 404', async (_name, href) => {
    expect((await fetchApp(href)).status).toBe(404);
  });
});

describe('the category tree and the tag cloud', () => {
  /** Expected count of each category level (decoded segments after /categories/), from the table. */
  function categoryCounts(): Map<string, { name: string; count: number }> {
    const out = new Map<string, { name: string; count: number }>();
    for (const post of TREE) {
      post.categorySlugs.forEach((_s, i) => {
        const key = JSON.stringify(post.categorySlugs.slice(0, i + 1));
        const entry = out.get(key) ?? { name: post.categories[i]!, count: 0 };
        entry.count++;
        out.set(key, entry);
      });
    }
    return out;
  }

  function tagCounts(): Map<string, { name: string; count: number }> {
    const out = new Map<string, { name: string; count: number }>();
    for (const post of TREE) {
      for (const tag of post.tags) {
        const entry = out.get(tag.slug) ?? { name: tag.name, count: 0 };
        entry.count++;
        out.set(tag.slug, entry);
      }
    }
    return out;
  }

  it('/categories/ nests every level under its parent, with its count', async () => {
    const res = await fetchApp('/categories/');
    expect(res.status).toBe(200);
    const doc = parseDocument(await res.text());
    const items = findAll(doc, 'li').filter((li) => findOne(li, 'a') !== null && findOne(li, 'span', 'count') !== null);
    const seen = new Map<string, { name: string; count: number; parent: string | null }>();
    for (const li of items) {
      const link = li.childNodes.find((n) => 'tagName' in n && n.tagName === 'a') as Parameters<typeof attr>[0] | undefined;
      const count = li.childNodes.find((n) => 'tagName' in n && n.tagName === 'span') as Parameters<typeof attr>[0] | undefined;
      expect(link).toBeDefined();
      expect(count).toBeDefined();
      const segments = decodedSegments(attr(link!, 'href')!);
      expect(segments[0]).toBe('categories');
      // The nearest enclosing <li> is the parent level.
      let parent: string | null = null;
      for (let node = li.parentNode; node && 'tagName' in node; node = node.parentNode) {
        if (node.tagName === 'li') {
          const a = node.childNodes.find((n) => 'tagName' in n && n.tagName === 'a') as Parameters<typeof attr>[0];
          parent = JSON.stringify(decodedSegments(attr(a, 'href')!).slice(1));
          break;
        }
      }
      seen.set(JSON.stringify(segments.slice(1)), { name: textOf(link!), count: Number(/^\((\d+)\)$/.exec(textOf(count!))?.[1]), parent });
    }
    const expected = categoryCounts();
    expect([...seen.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, want] of expected) {
      const got = seen.get(key)!;
      const levels = JSON.parse(key) as string[];
      expect(got, key).toEqual({ name: want.name, count: want.count, parent: levels.length > 1 ? JSON.stringify(levels.slice(0, -1)) : null });
    }
  });

  it('/api/categories/ has every level with its name, count and parent', async () => {
    const res = await fetchApp('/api/categories/');
    expect(res.status).toBe(200);
    const json = (await res.json()) as { categories: { name: string; path: string; count: number; parent: string | null }[] };
    const expected = categoryCounts();
    expect(json.categories).toHaveLength(expected.size);
    for (const c of json.categories) {
      const segments = decodedSegments(c.path);
      expect(segments[0]).toBe('categories');
      const key = JSON.stringify(segments.slice(1));
      expect(expected.get(key), key).toEqual({ name: c.name, count: c.count });
      expect(c.parent === null ? null : decodedSegments(c.parent)).toEqual(segments.length > 2 ? segments.slice(0, -1) : null);
      // The path is a working list page.
      const page = await fetchApp(c.path);
      expect(page.status, c.path).toBe(200);
      await page.arrayBuffer();
    }
  });

  it('/tags/ and /api/tags/ list every tag with its count', async () => {
    const expected = tagCounts();
    const html = parseDocument(await (await fetchApp('/tags/')).text());
    const cloud = findOne(html, 'ul', 'tag-cloud');
    expect(cloud).not.toBeNull();
    const fromHtml = findAll(cloud!, 'li').map((li) => {
      const a = findOne(li, 'a')!;
      return [decodedSegments(attr(a, 'href')!)[1], textOf(a), textOf(findOne(li, 'span', 'count')!)];
    });
    expect(new Map(fromHtml.map(([slug, name, count]) => [slug, { name, count: Number(/\d+/.exec(count!)![0]) }]))).toEqual(expected);
    const json = (await (await fetchApp('/api/tags/')).json()) as { tags: { name: string; path: string; count: number }[] };
    expect(new Map(json.tags.map((t) => [decodedSegments(t.path)[1], { name: t.name, count: t.count }]))).toEqual(expected);
  });
});
