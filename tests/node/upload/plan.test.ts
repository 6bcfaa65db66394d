/**
 * The planner (src/upload/plan.ts), pure: given the posts and the index as it is, exactly which
 * values, rows and keys an upload writes. Expected statements are written out per case; list keys
 * and paths come from simple stand-in rules defined here, not from src/hexo.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { kvKeys } from '../../../src/store/kv-layout';
import { type ArticleRow, type PostRecord, type PreviousState, type SiteRules, type UploadPlan, compareOldestFirst, planUpload } from '../../../src/upload/plan';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-02-01T00:00:00.000Z';

/** Stand-in rules: /p/<abbrlink>.html, abbrlink = slug unless given, categories keyed by their names. */
const rules: SiteRules = {
  permalink: (p) => {
    if (p.title === 'no-url') throw new Error('cannot make a URL for this post');
    return `/p/${p.abbrlink}.html`;
  },
  categoryTrails: (categories) => categories.map((names) => names.map((n, i) => [n, `cat:${names.slice(0, i + 1).join('/')}`] as [string, string])),
  tagList: (tag) => ({ key: `tag:${tag.toLowerCase()}`, name: tag }),
  archive: (date) => (date ? { year: date.slice(0, 4), month: date.slice(5, 7) } : null),
  abbrlinks: (posts, existing) => {
    const links = new Map<string, string>();
    const errors: string[] = [];
    for (const p of posts) links.set(p.slug, p.abbrlink ?? existing.get(p.slug)?.abbrlink ?? p.slug);
    return { links, errors };
  },
};

function rec(slug: string, date: string | null, extra: Partial<PostRecord> = {}): PostRecord {
  return {
    file: `${slug}.md`,
    slug,
    contentHash: `h-${slug}`,
    title: `T ${slug}`,
    date,
    author: null,
    categories: [['a', 'b']],
    tags: [],
    thumbnail: null,
    abbrlink: null,
    ...extra,
  };
}

const EMPTY: PreviousState = { rows: new Map(), gone: new Map(), version: null, changedAt: null, site: null, siteChangedAt: null, dirty: false, kvVersion: null };

/** The index as it is after `plan` was carried out on `prev`. */
function apply(prev: PreviousState, plan: UploadPlan): PreviousState {
  const rows = new Map<string, ArticleRow>(prev.rows);
  for (const slug of plan.deleted) rows.delete(slug);
  for (const w of plan.articleWrites) rows.set(w.row.slug, w.row);
  return {
    rows,
    gone: new Map(),
    version: plan.version,
    changedAt: plan.meta.length > 0 ? NOW : prev.changedAt,
    site: {},
    siteChangedAt: plan.indexRecord?.siteChangedAt ?? prev.siteChangedAt,
    dirty: false,
    kvVersion: plan.indexRecord?.version ?? prev.kvVersion,
  };
}

const plan = (posts: PostRecord[], prev: PreviousState = EMPTY, opts: { prune?: boolean; now?: string } = {}) =>
  planUpload(posts, prev, { prune: opts.prune ?? false, rules, site: {}, now: opts.now ?? NOW });

const entryUpserts = (p: UploadPlan) => p.derived.filter((s) => s.sql.startsWith('INSERT INTO entries')).map((s) => [s.params[0], s.params[1], s.params[2]]);
const listUpserts = (p: UploadPlan) => p.derived.filter((s) => s.sql.startsWith('INSERT INTO lists')).map((s) => [s.params[0], s.params[5], s.params[6]]);

describe('order', () => {
  it.each([
    [{ date: null, slug: 'a' }, { date: '2021-01-01', slug: 'a' }, -1],
    [{ date: '2021-01-01', slug: 'a' }, { date: null, slug: 'a' }, 1],
    [{ date: '2021-01-01', slug: 'b' }, { date: '2021-01-02', slug: 'a' }, -1],
    [{ date: '2021-01-02', slug: 'a' }, { date: '2021-01-01', slug: 'b' }, 1],
    [{ date: '2021-01-01', slug: 'a' }, { date: '2021-01-01', slug: 'b' }, -1],
    [{ date: '2021-01-01', slug: 'b' }, { date: '2021-01-01', slug: 'a' }, 1],
    [{ date: '2021-01-01', slug: 'a' }, { date: '2021-01-01', slug: 'a' }, 0],
  ])('compareOldestFirst(%j, %j) = %i', (a, b, sign) => {
    expect(Math.sign(compareOldestFirst(a, b))).toBe(sign);
  });
});

describe('a first upload', () => {
  // Planned in beforeEach, not while collecting: code under test that throws there must fail a
  // test (Stryker counts a file that fails to load as no failure at all).
  let p: UploadPlan;
  beforeEach(() => {
    p = plan([rec('x', '2021-02-01T00:00:00.000Z'), rec('y', '2021-01-01T00:00:00.000Z'), rec('u', null, { categories: [] })]);
  });

  it('adds every post and writes each value with its link key', () => {
    expect(p.added).toEqual(['u', 'y', 'x']);
    expect(p.articleWrites.map((w) => [w.row.slug, w.row.path, w.writeLink, w.isNew, w.source.kind])).toEqual([
      ['u', '/p/u.html', true, true, 'file'],
      ['y', '/p/y.html', true, true, 'file'],
      ['x', '/p/x.html', true, true, 'file'],
    ]);
  });

  it('gives each article its neighbours in date order (undated oldest)', () => {
    const nav = Object.fromEntries(p.articleWrites.map((w) => [w.row.slug, [w.nav.older?.slug ?? null, w.nav.newer?.slug ?? null]]));
    expect(nav).toEqual({ u: [null, 'y'], y: ['u', 'x'], x: ['y', null] });
    expect(p.articleWrites[1]!.nav.newer).toEqual({ slug: 'x', title: 'T x', path: '/p/x.html' });
  });

  it('numbers every list from its oldest article and counts it', () => {
    expect(entryUpserts(p)).toEqual([
      ['cat:a', 1, 'y'],
      ['cat:a', 2, 'x'],
      ['cat:a/b', 1, 'y'],
      ['cat:a/b', 2, 'x'],
      ['home', 1, 'u'],
      ['home', 2, 'y'],
      ['home', 3, 'x'],
    ]);
    expect(listUpserts(p)).toEqual([
      ['cat:a', 2, 1],
      ['cat:a/b', 2, 1],
      ['home', 3, 1],
      // archives are runs of the home list: January starts at home position 2, February at 3
      ['month:2021/01', 1, 2],
      ['month:2021/02', 1, 3],
      ['year:2021', 2, 2],
    ]);
  });

  it('writes the meta and the index record with the new version', () => {
    expect(p.meta.map((s) => s.params[0])).toEqual(['version', 'changed_at', 'site']);
    expect(p.meta[0]!.params[1]).toBe(p.version);
    expect(p.indexRecord).toEqual({ v: 2, version: p.version, changedAt: NOW, site: {}, siteChangedAt: NOW });
    expect(p.errors).toEqual([]);
  });
});

describe('the next upload', () => {
  const base = [rec('a', '2021-01-01T00:00:00.000Z'), rec('b', '2021-01-02T00:00:00.000Z'), rec('c', '2021-01-03T00:00:00.000Z')];
  let prev: PreviousState;
  beforeEach(() => {
    prev = apply(EMPTY, plan(base));
  });

  it('writes nothing when nothing changed', () => {
    const p = plan(base, prev, { now: LATER });
    expect(p.unchanged).toEqual(['a', 'b', 'c']);
    expect([p.articleWrites, p.derived, p.kvDeletes, p.rowDeletes, p.meta]).toEqual([[], [], [], [], []]);
    expect(p.indexRecord).toBeNull();
    expect(p.version).toBe(prev.version);
  });

  it('rewrites the index record alone when KV missed the last one', () => {
    const p = plan(base, { ...prev, kvVersion: 'older' }, { now: LATER });
    expect(p.articleWrites).toEqual([]);
    expect(p.meta).toEqual([]);
    expect(p.indexRecord?.version).toBe(prev.version);
    expect(p.indexRecord?.changedAt).toBe(prev.changedAt);
  });

  it('adds the newest post by appending: one entry per list, the counts, and one neighbour rewritten', () => {
    const p = plan([...base, rec('d', '2021-01-04T00:00:00.000Z')], prev, { now: LATER });
    expect(p.added).toEqual(['d']);
    expect(p.relinked).toEqual(['c']);
    expect(p.articleWrites.map((w) => [w.row.slug, w.source.kind, w.row.changedAt])).toEqual([
      ['c', 'file', LATER],
      ['d', 'file', LATER],
    ]);
    expect(entryUpserts(p)).toEqual([
      ['cat:a', 4, 'd'],
      ['cat:a/b', 4, 'd'],
      ['home', 4, 'd'],
    ]);
    expect(listUpserts(p)).toEqual([
      ['cat:a', 4, 1],
      ['cat:a/b', 4, 1],
      ['home', 4, 1],
      ['month:2021/01', 4, 1],
      ['year:2021', 4, 1],
    ]);
    expect(p.derived.filter((s) => s.sql.startsWith('DELETE'))).toEqual([]);
  });

  it('shifts the newer entries when a post is dated in the past', () => {
    const p = plan([...base, rec('old', '2020-06-01T00:00:00.000Z')], prev);
    expect(entryUpserts(p).filter(([l]) => l === 'home')).toEqual([
      ['home', 1, 'old'],
      ['home', 2, 'a'],
      ['home', 3, 'b'],
      ['home', 4, 'c'],
    ]);
    // The January run now starts at home position 2.
    expect(listUpserts(p)).toContainEqual(['month:2021/01', 3, 2]);
    expect(listUpserts(p)).toContainEqual(['month:2020/06', 1, 1]);
  });

  it('rewrites the entries that show a changed title, and both neighbours whose links show it', () => {
    const p = plan([base[0]!, { ...base[1]!, title: 'New title', contentHash: 'h-b2' }, base[2]!], prev);
    expect(p.updated).toEqual(['b']);
    expect(p.relinked).toEqual(['a', 'c']);
    expect(entryUpserts(p)).toEqual([
      ['cat:a', 2, 'b'],
      ['cat:a/b', 2, 'b'],
      ['home', 2, 'b'],
    ]);
    expect(listUpserts(p)).toEqual([]);
  });

  it('moves an article out of a category: its old lists shrink and are renumbered', () => {
    const p = plan([base[0]!, { ...base[1]!, categories: [['z']], contentHash: 'h-b2' }, base[2]!], prev);
    expect(entryUpserts(p)).toEqual([
      ['cat:a', 2, 'c'],
      ['cat:a/b', 2, 'c'],
      ['cat:z', 1, 'b'],
      ['home', 2, 'b'],
    ]);
    expect(p.derived.filter((s) => s.sql.startsWith('DELETE FROM entries')).map((s) => s.params)).toEqual([
      ['cat:a', 3],
      ['cat:a/b', 3],
    ]);
    expect(listUpserts(p)).toEqual([
      ['cat:a', 2, 1],
      ['cat:a/b', 2, 1],
      ['cat:z', 1, 1],
    ]);
  });

  it('keeps (and lists) an article missing from the folder unless --prune', () => {
    const p = plan([base[0]!, base[2]!], prev);
    expect(p.deleted).toEqual([]);
    expect(p.articleWrites).toEqual([]);
    const pruned = plan([base[0]!, base[2]!], prev, { prune: true });
    expect(pruned.deleted).toEqual(['b']);
    expect(pruned.rowDeletes).toEqual([{ slug: 'b', path: '/p/b.html' }]);
    expect(pruned.kvDeletes).toEqual([kvKeys.article('b'), kvKeys.link('/p/b.html')]);
    expect(pruned.relinked).toEqual(['a', 'c']);
    expect(entryUpserts(pruned)).toEqual([
      ['cat:a', 2, 'c'],
      ['cat:a/b', 2, 'c'],
      ['home', 2, 'c'],
    ]);
  });

  it('patches the stored value of a kept article whose neighbour changed', () => {
    const p = plan([base[0]!, base[1]!, rec('d', '2021-01-04T00:00:00.000Z')], apply(EMPTY, plan(base)));
    // c is not in the folder but kept; d's arrival makes it c's newer neighbour.
    const c = p.articleWrites.find((w) => w.row.slug === 'c');
    expect(c?.source).toEqual({ kind: 'stored' });
    expect(c?.nav.newer?.slug).toBe('d');
  });

  it('keeps a link key that a new article takes over from a deleted one', () => {
    const p = plan([base[0]!, base[2]!, rec('b2', '2021-01-05T00:00:00.000Z', { abbrlink: 'b' })], prev, { prune: true });
    expect(p.kvDeletes).toEqual([kvKeys.article('b')]);
    expect(p.articleWrites.find((w) => w.row.slug === 'b2')?.row.path).toBe('/p/b.html');
  });

  it('finishes a deletion an interrupted upload started', () => {
    const p = plan(base, { ...prev, gone: new Map([['z', '/p/z.html']]) });
    expect(p.kvDeletes).toEqual([kvKeys.article('z'), kvKeys.link('/p/z.html')]);
    expect(p.meta).not.toEqual([]);
  });

  it('rebuilds the lists from scratch when an interrupted upload left them dirty', () => {
    const p = plan(base, { ...prev, dirty: true });
    expect(p.rebuild).toBe(true);
    expect(p.derived.slice(0, 2).map((s) => s.sql)).toEqual(['DELETE FROM entries', 'DELETE FROM lists']);
    expect(entryUpserts(p)).toHaveLength(9);
    expect(p.meta).not.toEqual([]);
  });

  it('keeps each unchanged article\'s changedAt, and the index\'s when nothing changed', () => {
    const p = plan([...base, rec('d', '2021-01-04T00:00:00.000Z')], prev, { now: LATER });
    const next = apply(prev, p);
    expect(next.rows.get('a')!.changedAt).toBe(NOW);
    expect(next.rows.get('d')!.changedAt).toBe(LATER);
  });

  it('publishes new site settings with a new version and siteChangedAt', () => {
    const p = planUpload(base, prev, { prune: false, rules, site: { title: 'New' }, now: LATER });
    expect(p.version).not.toBe(prev.version);
    expect(p.indexRecord).toMatchObject({ site: { title: 'New' }, siteChangedAt: LATER, changedAt: LATER });
  });
});

describe('plan errors (nothing is written)', () => {
  it('reports two articles with one URL, naming both', () => {
    const p = plan([rec('a', '2021-01-01T00:00:00.000Z', { abbrlink: 'same' }), rec('b', '2021-01-02T00:00:00.000Z', { abbrlink: 'same' })]);
    expect(p.errors).toEqual(['b.md: its URL /p/same.html is also the URL of a; change its permalink field (abbrlink, title or date)']);
  });

  it('reports a post whose permalink cannot be made', () => {
    const p = plan([rec('a', null, { title: 'no-url' })]);
    expect(p.errors).toEqual(['a.md: cannot make a URL for this post']);
  });
});

// ---- every statement and field, written out (so a changed rule cannot pass unnoticed) ----------

const UPSERT_ENTRY_SQL =
  'INSERT INTO entries (list, pos, slug, summary) VALUES (?, ?, ?, ?) ON CONFLICT (list, pos) DO UPDATE SET slug = excluded.slug, summary = excluded.summary';
const DELETE_ENTRIES_SQL = 'DELETE FROM entries WHERE list = ? AND pos >= ?';
const UPSERT_LIST_SQL =
  'INSERT INTO lists (key, kind, name, parent, trail, count, first) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, ' +
  'name = excluded.name, parent = excluded.parent, trail = excluded.trail, count = excluded.count, first = excluded.first';
const DELETE_LIST_SQL = 'DELETE FROM lists WHERE key = ?';
const SET_META_SQL = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

/** Every list row the plan upserts: [key, kind, name, parent, trail (JSON), count, first]. */
const listRows = (p: UploadPlan) => p.derived.filter((s) => s.sql === UPSERT_LIST_SQL).map((s) => s.params);

describe('the statements, exactly', () => {
  it('uses exactly these SQL texts, and nothing else, for the derived rows and the meta', () => {
    const first = apply(EMPTY, plan([rec('a', '2021-01-01T00:00:00.000Z', { categories: [['z']] }), rec('b', '2021-01-02T00:00:00.000Z')]));
    const p = plan([rec('b', '2021-01-02T00:00:00.000Z')], first, { prune: true });
    expect(new Set(p.derived.map((s) => s.sql))).toEqual(new Set([UPSERT_ENTRY_SQL, DELETE_ENTRIES_SQL, UPSERT_LIST_SQL, DELETE_LIST_SQL]));
    expect(p.meta).toEqual([
      { sql: SET_META_SQL, params: ['version', p.version] },
      { sql: SET_META_SQL, params: ['changed_at', NOW] },
      { sql: SET_META_SQL, params: ['site', '{}'] },
    ]);
  });

  it('writes each entry with its list, position, slug and the summary the list shows', () => {
    const p = plan([rec('a', '2021-01-01T00:00:00.000Z', { categories: [], author: 'Ann', thumbnail: 'https://x/t.png' })]);
    const summary = { slug: 'a', path: '/p/a.html', title: 'T a', date: '2021-01-01T00:00:00.000Z', author: 'Ann', categories: [], thumbnail: 'https://x/t.png' };
    expect(p.derived.filter((s) => s.sql === UPSERT_ENTRY_SQL)).toEqual([{ sql: UPSERT_ENTRY_SQL, params: ['home', 1, 'a', JSON.stringify(summary)] }]);
    expect(p.articleWrites[0]!.row.summary).toBe(JSON.stringify(summary));
  });

  it('gives every list row its kind, name, parent and trail', () => {
    const p = plan([
      rec('x', '2021-03-04T00:00:00.000Z', { categories: [['a', 'b', 'c']], tags: ['Tag1', 'tag2'] }),
      rec('y', '2022-01-01T00:00:00.000Z', { categories: [['a'], ['d']], tags: ['TAG1'] }),
      rec('u', null, { categories: [], tags: [] }),
    ]);
    expect(listRows(p)).toEqual([
      ['cat:a', 'cat', 'a', null, '[["a","cat:a"]]', 2, 1],
      ['cat:a/b', 'cat', 'b', 'cat:a', '[["a","cat:a"],["b","cat:a/b"]]', 1, 1],
      ['cat:a/b/c', 'cat', 'c', 'cat:a/b', '[["a","cat:a"],["b","cat:a/b"],["c","cat:a/b/c"]]', 1, 1],
      ['cat:d', 'cat', 'd', null, '[["d","cat:d"]]', 1, 1],
      ['home', 'home', '', null, '[]', 3, 1],
      // Home positions: u 1 (undated, oldest), x 2, y 3.
      ['month:2021/03', 'month', '2021/03', null, '[]', 1, 2],
      ['month:2022/01', 'month', '2022/01', null, '[]', 1, 3],
      // A tag list is named by the first post that lists it (oldest first).
      ['tag:tag1', 'tag', 'Tag1', null, '[]', 2, 1],
      ['tag:tag2', 'tag', 'tag2', null, '[]', 1, 1],
      ['year:2021', 'year', '2021', null, '[]', 1, 2],
      ['year:2022', 'year', '2022', null, '[]', 1, 3],
    ]);
    expect(entryUpserts(p).filter(([l]) => String(l).startsWith('tag:'))).toEqual([
      ['tag:tag1', 1, 'x'],
      ['tag:tag1', 2, 'y'],
      ['tag:tag2', 1, 'x'],
    ]);
    expect(p.articleWrites.map((w) => [w.row.slug, w.links])).toEqual([
      ['u', { categories: [], tags: [] }],
      ['x', { categories: [[['a', 'cat:a'], ['b', 'cat:a/b'], ['c', 'cat:a/b/c']]], tags: [['Tag1', 'tag:tag1'], ['tag2', 'tag:tag2']] }],
      ['y', { categories: [[['a', 'cat:a']], [['d', 'cat:d']]], tags: [['TAG1', 'tag:tag1']] }],
    ]);
  });

  it('lists a post in two hierarchies that share a level once in that level', () => {
    const p = plan([rec('x', '2021-01-01T00:00:00.000Z', { categories: [['a', 'b'], ['a', 'c']] }), rec('y', '2021-01-02T00:00:00.000Z', { categories: [['a', 'c']] })]);
    expect(entryUpserts(p).filter(([l]) => l === 'cat:a')).toEqual([
      ['cat:a', 1, 'x'],
      ['cat:a', 2, 'y'],
    ]);
    expect(listRows(p).find((r) => r[0] === 'cat:a')?.[5]).toBe(2);
  });

  it('deletes a list that loses its last article, and its entries', () => {
    const first = apply(EMPTY, plan([rec('a', '2021-01-01T00:00:00.000Z', { categories: [['z']], tags: ['t'] }), rec('b', '2021-01-02T00:00:00.000Z')]));
    const p = plan([rec('a', '2021-01-01T00:00:00.000Z', { contentHash: 'h-a2' }), rec('b', '2021-01-02T00:00:00.000Z')], first);
    expect(p.derived.filter((s) => s.sql === DELETE_LIST_SQL || s.sql === DELETE_ENTRIES_SQL)).toEqual([
      { sql: DELETE_ENTRIES_SQL, params: ['cat:z', 1] },
      { sql: DELETE_ENTRIES_SQL, params: ['tag:t', 1] },
      { sql: DELETE_LIST_SQL, params: ['cat:z'] },
      { sql: DELETE_LIST_SQL, params: ['tag:t'] },
    ]);
  });

  it('marks the rebuild\'s clearing statements with no parameters', () => {
    const prev = apply(EMPTY, plan([rec('a', '2021-01-01T00:00:00.000Z')]));
    expect(plan([rec('a', '2021-01-01T00:00:00.000Z')], { ...prev, dirty: true }).derived.slice(0, 2)).toEqual([
      { sql: 'DELETE FROM entries', params: [] },
      { sql: 'DELETE FROM lists', params: [] },
    ]);
  });
});

describe('the next upload, in detail', () => {
  const base = [rec('a', '2021-01-01T00:00:00.000Z', { tags: ['t'] }), rec('b', '2021-01-02T00:00:00.000Z', { tags: ['t'] }), rec('c', '2021-01-03T00:00:00.000Z')];

  it('writes nothing for unchanged tagged posts (their tag lists are read back from the rows)', () => {
    const prev = apply(EMPTY, plan(base));
    const p = plan(base, prev);
    expect([p.articleWrites, p.derived, p.meta]).toEqual([[], [], []]);
  });

  it('says what each written article is: new, changed, moved or only relinked', () => {
    const prev = apply(EMPTY, plan(base));
    // a: new URL (abbrlink), b: new content, c: unchanged, d: new (c's newer neighbour now).
    const p = plan([{ ...base[0]!, abbrlink: 'a2' }, { ...base[1]!, contentHash: 'h-b2' }, base[2]!, rec('d', '2021-01-04T00:00:00.000Z')], prev);
    expect(p.articleWrites.map((w) => [w.row.slug, w.isNew, w.writeLink, w.contentChanged, w.source.kind])).toEqual([
      ['a', false, true, false, 'file'],
      ['b', false, false, true, 'file'],
      ['c', false, false, false, 'file'],
      ['d', true, true, true, 'file'],
    ]);
    expect([p.added, p.updated, p.relinked, p.unchanged]).toEqual([['d'], ['b'], ['a', 'c'], []]);
    expect(p.articleWrites[0]!.row.path).toBe('/p/a2.html');
  });

  it('rewrites a row whose list summary changed although its value did not (author)', () => {
    const prev = apply(EMPTY, plan(base));
    const p = plan([base[0]!, { ...base[1]!, author: 'New Author' }, base[2]!], prev);
    expect(p.articleWrites.map((w) => w.row.slug)).toEqual(['b']);
    expect(p.articleWrites[0]!.row.changedAt).toBe(prev.rows.get('b')!.changedAt);
    expect(p.unchanged).toEqual(['a', 'b', 'c']);
    expect(p.version).not.toBe(prev.version);
  });

  it('rewrites a row whose tags changed although its lists did not', () => {
    // Rules that file "T" and "t" under one list with one name: the links stay, the row's tags change.
    const folding: SiteRules = { ...rules, tagList: (tag) => ({ key: `tag:${tag.toLowerCase()}`, name: tag.toLowerCase() }) };
    const run = (posts: PostRecord[], prev: PreviousState) => planUpload(posts, prev, { prune: false, rules: folding, site: {}, now: NOW });
    const prev = apply(EMPTY, run(base, EMPTY));
    const p = run([{ ...base[0]!, tags: ['T'] }, base[1]!, base[2]!], prev);
    expect(p.articleWrites.map((w) => [w.row.slug, w.row.tags])).toEqual([['a', ['T']]]);
    expect(p.derived).toEqual([]);
    expect(p.version).not.toBe(prev.version);
  });

  it('relinks a kept article only when its value changes', () => {
    const prev = apply(EMPTY, plan(base));
    // c is kept (not in the folder): unchanged when nothing moves …
    const same = plan([base[0]!, base[1]!], prev);
    expect([same.relinked, same.articleWrites]).toEqual([[], []]);
    // … relinked when a newer neighbour arrives.
    const moved = plan([base[0]!, base[1]!, rec('d', '2021-01-04T00:00:00.000Z')], prev);
    expect(moved.relinked).toEqual(['c']);
    expect(moved.articleWrites.find((w) => w.row.slug === 'c')).toMatchObject({ isNew: false, writeLink: false, contentChanged: false, source: { kind: 'stored' } });
  });

  it('keeps the abbrlink an earlier upload assigned, and tells the rules which posts are in the folder', () => {
    const calls: { posts: unknown[]; existing: [string, unknown][] }[] = [];
    const recording: SiteRules = {
      ...rules,
      abbrlinks: (posts, existing) => {
        calls.push({ posts: posts.map((p) => ({ ...p })), existing: [...existing] });
        return rules.abbrlinks(posts, existing);
      },
    };
    const prevRows = apply(EMPTY, plan(base)).rows;
    prevRows.set('b', { ...prevRows.get('b')!, abbrlink: 'b-old', path: '/p/b-old.html' });
    const prev = { ...apply(EMPTY, plan(base)), rows: prevRows };
    const p = planUpload([base[0]!, base[1]!], prev, { prune: false, rules: recording, site: {}, now: NOW });
    expect(calls).toEqual([
      {
        posts: [
          { slug: 'a', title: 'T a', date: '2021-01-01T00:00:00.000Z', abbrlink: null },
          { slug: 'b', title: 'T b', date: '2021-01-02T00:00:00.000Z', abbrlink: null },
          { slug: 'c', title: 'T c', date: '2021-01-03T00:00:00.000Z', abbrlink: 'c' },
        ],
        existing: [
          ['a', { abbrlink: 'a', title: 'T a' }],
          ['b', { abbrlink: 'b-old', title: 'T b' }],
        ],
      },
    ]);
    expect(p.articleWrites.find((w) => w.row.slug === 'b')?.row).toMatchObject({ abbrlink: 'b-old', path: '/p/b-old.html' });
  });

  it('reports the rules\' abbrlink errors, and plans a post they gave no abbrlink with an empty one', () => {
    const failing: SiteRules = { ...rules, abbrlinks: () => ({ links: new Map(), errors: ['x.md: no abbrlink left'] }) };
    const p = planUpload([rec('x', null)], EMPTY, { prune: false, rules: failing, site: {}, now: NOW });
    expect(p.errors).toEqual(['x.md: no abbrlink left']);
    expect(p.articleWrites.map((w) => [w.row.abbrlink, w.row.path])).toEqual([['', '/p/.html']]);
  });

  it('lists an article whose manifest row is damaged as if it had no categories, and rewrites its entries', () => {
    const prev = apply(EMPTY, plan(base));
    for (const damaged of ['not json', 'null', '5', '"text"', '{}', '{"categories":"a"}', '[]']) {
      const rows = new Map(prev.rows);
      rows.set('a', { ...rows.get('a')!, summary: damaged });
      const p = plan(base, { ...prev, rows });
      expect(p.articleWrites.map((w) => w.row.slug), damaged).toEqual(['a']);
      // It was in no category list: inserted first in each, the others shift; home and tag
      // lists (not read from the summary) only get its new summary.
      expect(entryUpserts(p), damaged).toEqual([
        ['cat:a', 1, 'a'],
        ['cat:a', 2, 'b'],
        ['cat:a', 3, 'c'],
        ['cat:a/b', 1, 'a'],
        ['cat:a/b', 2, 'b'],
        ['cat:a/b', 3, 'c'],
        ['home', 1, 'a'],
        ['tag:t', 1, 'a'],
      ]);
    }
  });

  it('rewrites an entry whose slug changed even when the summary shown is the same', () => {
    // x and y are kept rows with one (damaged) summary; z moving to the end shifts them down.
    const prev = apply(EMPTY, plan([rec('z', '2021-01-01T00:00:00.000Z', { categories: [] }), rec('x', '2021-01-02T00:00:00.000Z', { categories: [] }), rec('y', '2021-01-03T00:00:00.000Z', { categories: [] })]));
    const rows = new Map(prev.rows);
    for (const slug of ['x', 'y']) rows.set(slug, { ...rows.get(slug)!, summary: '{"categories":[]}' });
    const p = plan([rec('z', '2021-01-09T00:00:00.000Z', { categories: [], contentHash: 'h-z2' })], { ...prev, rows });
    expect(entryUpserts(p)).toEqual([
      ['home', 1, 'x'],
      ['home', 2, 'y'],
      ['home', 3, 'z'],
    ]);
  });

  it('keeps the value of an article restored before its deletion finished, but not its old link key', () => {
    const prev = apply(EMPTY, plan(base));
    const p = plan(base, { ...prev, gone: new Map([['b', '/p/b-former.html']]) });
    expect(p.kvDeletes).toEqual([kvKeys.link('/p/b-former.html')]);
  });

  it('keeps siteChangedAt while the published settings stay, and sets it when they change or were never set', () => {
    const prev = apply(EMPTY, plan(base));
    const record = (site: PreviousState['site'], siteChangedAt: string | null, now = LATER) =>
      planUpload(base, { ...prev, site, siteChangedAt, kvVersion: 'older' }, { prune: false, rules, site: {}, now }).indexRecord?.siteChangedAt;
    expect(record({}, 'T0')).toBe('T0');
    expect(record({}, null)).toBe(LATER);
    expect(record({ title: 'Old' }, 'T0')).toBe(LATER);
    expect(record(null, 'T0')).toBe(LATER);
  });

  it('changes the version with anything a list shows, and only then', () => {
    const prev = apply(EMPTY, plan(base));
    const version = (posts: PostRecord[], site = {}) => planUpload(posts, prev, { prune: false, rules, site, now: NOW }).version;
    const versions = [
      version(base),
      version([{ ...base[0]!, author: 'Someone' }, base[1]!, base[2]!]),
      version([{ ...base[0]!, thumbnail: 'https://x/t.png' }, base[1]!, base[2]!]),
      version([{ ...base[0]!, tags: ['t', 'u'] }, base[1]!, base[2]!]),
      version([{ ...base[0]!, contentHash: 'h-a2' }, base[1]!, base[2]!]),
      version(base, { title: 'Site' }),
    ];
    expect(versions[0]).toBe(prev.version);
    expect(new Set(versions).size).toBe(versions.length);
  });
});
