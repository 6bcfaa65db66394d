/**
 * The Worker's D1 reads (src/store/index-queries.ts) against the real schema in Miniflare's D1:
 * a list page is one primary-key range of `entries` (EXPLAIN QUERY PLAN), reads only about the
 * rows it shows (D1's own meta.rows_read) on the first page and on the last, and a replica behind
 * the expected version is asked again at the primary.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIST_PAGE_SQL, pageRange, readHomeRange, readListPage, readLists } from '../../../src/store/index-queries';
import { countingDb, fetchApp, queries } from '../helpers/app';
import { readListPage as readListHtml } from '../helpers/html';
import { clearStore, seed } from '../helpers/seed';

describe('pageRange', () => {
  it.each([
    // first, count, page, perPage → newest-first positions lo…hi
    [1, 25, 1, 10, { lo: 16, hi: 25 }],
    [1, 25, 2, 10, { lo: 6, hi: 15 }],
    [1, 25, 3, 10, { lo: 1, hi: 5 }],
    [1, 25, 4, 10, null],
    [1, 20, 2, 10, { lo: 1, hi: 10 }],
    [1, 20, 3, 10, null],
    [1, 1, 1, 10, { lo: 1, hi: 1 }],
    [1, 0, 1, 10, null],
    [1, 5, 0, 10, null],
    // An archive month: a run of the home list starting at position 40.
    [40, 7, 1, 5, { lo: 42, hi: 46 }],
    [40, 7, 2, 5, { lo: 40, hi: 41 }],
    [40, 7, 3, 5, null],
  ])('pageRange(%i, %i, %i, %i) = %j', (first, count, page, perPage, expected) => {
    expect(pageRange(first, count, page, perPage)).toEqual(expected);
  });
});

// A few hundred generated posts: one a day from 2019-12-01, all in category gen › sub-(i mod 3).
const COUNT = 305;
const PER_PAGE = 10;
const day = (i: number) => new Date(Date.UTC(2019, 11, 1) + i * 86_400_000).toISOString();
const title = (i: number) => `Generated ${String(i).padStart(4, '0')}`;

function generated(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < COUNT; i++) {
    files[`gen/sub-${i % 3}/${String(i).padStart(4, '0')}.md`] =
      `---\ntitle: '${title(i)}'\ndate: ${day(i)}\ncategories: [gen, sub-${i % 3}]\n---\n<p>post ${i}</p>\n`;
  }
  return files;
}

/** Titles of a list's members, newest first, from the generator's own numbering. */
function expectedTitles(filter: (i: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = COUNT - 1; i >= 0; i--) if (filter(i)) out.push(title(i));
  return out;
}

const inYear2020 = (i: number) => day(i).startsWith('2020');
const LISTS: { key: string; filter: (i: number) => boolean }[] = [
  { key: 'home', filter: () => true },
  { key: 'cat:gen', filter: () => true },
  { key: 'cat:gen/sub-1', filter: (i) => i % 3 === 1 },
  { key: 'year:2020', filter: inYear2020 },
  { key: 'month:2020/02', filter: (i) => day(i).startsWith('2020-02') },
];

describe('list pages in D1', () => {
  let version: string;

  beforeAll(async () => {
    await clearStore();
    const plan = await seed(generated());
    version = plan.version;
  }, 120_000);

  it.each(LISTS)('$key: every page holds exactly its articles, newest first', async ({ key, filter }) => {
    const expected = expectedTitles(filter);
    const pages = Math.ceil(expected.length / PER_PAGE);
    const got: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const read = await readListPage(env.DB, key, page, PER_PAGE, version);
      expect(read.consistent).toBe(true);
      expect(read.value).not.toBeNull();
      expect(read.value!.pages).toBe(pages);
      expect(read.value!.list.count).toBe(expected.length);
      got.push(...read.value!.items.map((item) => item.title));
    }
    expect(got).toEqual(expected);
    expect((await readListPage(env.DB, key, pages + 1, PER_PAGE, version)).value).toBeNull();
  });

  it('answers an unknown list with null, and the empty site with an empty home page', async () => {
    expect((await readListPage(env.DB, 'cat:nope', 1, PER_PAGE, version)).value).toBeNull();
    expect((await readListPage(env.DB, 'tag:gen', 1, PER_PAGE, version)).value).toBeNull();
  });

  it.each([
    ['page 1 of a category', 'cat:gen', 1],
    ['the last page of a category', 'cat:gen', 31],
    ['the last page of an archive year (a run of the home list)', 'year:2020', 28],
    ['page 1 of home', 'home', 1],
  ])('plans %s as primary-key searches only (no SCAN of entries)', async (_name, key, page) => {
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${LIST_PAGE_SQL}`).bind(key, page, PER_PAGE).all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    expect(details).toContain('SEARCH l USING PRIMARY KEY (key=?)');
    expect(details.some((d) => /^SEARCH e USING PRIMARY KEY \(list=\? AND pos>\? AND pos<\?\)$/.test(d))).toBe(true);
    for (const d of details) {
      expect(d).not.toMatch(/\bSCAN\b/);
      expect(d).not.toMatch(/TEMP B-TREE/);
    }
  });

  it.each(
    LISTS.flatMap(({ key, filter }) => {
      const pages = Math.ceil(expectedTitles(filter).length / PER_PAGE);
      return [
        [key, 1],
        [key, pages],
      ] as [string, number][];
    }),
  )('reads at most page size + 10 rows (D1 rows_read) for %s page %i', async (key, page) => {
    const counted = countingDb();
    const read = await readListPage(counted.db, key, page, PER_PAGE, version);
    expect(read.value).not.toBeNull();
    expect(read.value!.items.length).toBeGreaterThan(0);
    expect(queries(counted)).toEqual(['session.batch']);
    const rowsRead = counted.rowsRead.reduce((a, b) => a + b, 0);
    expect(rowsRead).toBeGreaterThan(0);
    expect(rowsRead).toBeLessThanOrEqual(PER_PAGE + 10);
    expect(read.rowsRead).toBe(rowsRead);
  });

  it.each([
    ['page 1', '/categories/gen/', 10],
    ['the last page', '/categories/gen/page/31/', 5],
  ])('serves %s of a list of %s with at most page size + 10 rows read, in one batch', async (_name, path, items) => {
    const counted = countingDb();
    const res = await fetchApp(path, {}, { DB: counted.db, PER_PAGE: String(PER_PAGE) } as Partial<Env>);
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toContain('cache;desc="miss"');
    expect(readListHtml(await res.text()).items).toHaveLength(items);
    expect(queries(counted)).toEqual(['session.batch']);
    expect(counted.rowsRead.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(PER_PAGE + 10);
  });

  it('asks the primary again when the first answer is behind the expected version, and says so', async () => {
    const behind = countingDb();
    const read = await readListPage(behind.db, 'cat:gen', 1, PER_PAGE, 'a-newer-version');
    expect(read.consistent).toBe(false);
    expect(read.value).not.toBeNull();
    expect(behind.calls.filter((c) => c === 'db.withSession')).toHaveLength(2);
    expect(queries(behind)).toEqual(['session.batch', 'session.batch']);
    const current = countingDb();
    expect((await readListPage(current.db, 'cat:gen', 1, PER_PAGE, version)).consistent).toBe(true);
    expect(queries(current)).toEqual(['session.batch']);
  });

  it('reads the lists of one kind by key range, and home ranges oldest first', async () => {
    const cats = await readLists(env.DB, ['cat'], version);
    expect(cats.value.map((r) => [r.key, r.count, r.parent])).toEqual([
      ['cat:gen', COUNT, null],
      ['cat:gen/sub-0', 102, 'cat:gen'],
      ['cat:gen/sub-1', 102, 'cat:gen'],
      ['cat:gen/sub-2', 101, 'cat:gen'],
    ]);
    expect(cats.rowsRead).toBeLessThanOrEqual(4 + 10);
    const years = await readLists(env.DB, ['year'], version);
    expect(years.value.map((r) => [r.name, r.count, r.first])).toEqual([
      ['2019', 31, 1],
      ['2020', COUNT - 31, 32],
    ]);
    const range = await readHomeRange(env.DB, 300, 310, version);
    expect(range.value.map((i) => i.title)).toEqual([title(299), title(300), title(301), title(302), title(303), title(304)]);
  });
});
