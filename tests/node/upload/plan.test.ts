/**
 * The planner (src/upload/plan.ts), pure: given the posts and the index as it is, exactly which
 * values, rows and keys an upload writes. Expected statements are written out per case; list keys
 * and paths come from simple stand-in rules defined here, not from src/hexo.
 */
import { describe, expect, it } from 'vitest';
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
  const p = plan([rec('x', '2021-02-01T00:00:00.000Z'), rec('y', '2021-01-01T00:00:00.000Z'), rec('u', null, { categories: [] })]);

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
  const prev = apply(EMPTY, plan(base));

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
