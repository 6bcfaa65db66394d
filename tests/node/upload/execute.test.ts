/**
 * The upload's executor (src/upload/execute.ts) in Node, against a recording in-memory `Store`:
 * a test double of the store interface, allowed here because the same order invariant runs
 * against the real Miniflare KV and D1 in workerd (tests/worker/upload/write-order.test.ts, which
 * kills the upload after every single write). Here every operation is logged, and each case
 * writes out the exact sequence it expects: which KV keys are put and deleted, and which
 * statements go to D1 in which batch. A second group replays that log to check the invariant on
 * plans made by the real planner.
 */
import { describe, expect, it } from 'vitest';
import { type IndexRecord, kvKeys } from '../../../src/store/kv-layout';
import { ARTICLE_CHUNK, type ExecuteHooks, executePlan, upsertArticle } from '../../../src/upload/execute';
import { type ArticleRow, type ArticleWrite, type PostRecord, type PreviousState, type SiteRules, type Statement, type UploadPlan, planUpload } from '../../../src/upload/plan';
import type { D1Counts, KvEntry, Store } from '../../../src/upload/targets';

// ---- the SQL the executor writes, spelled out (not imported) ---------------------------------
const UPSERT_ARTICLE_SQL =
  'INSERT INTO articles (slug, path, abbrlink, title, date, tags, summary, content_hash, value_hash, changed_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET path = excluded.path, ' +
  'abbrlink = excluded.abbrlink, title = excluded.title, date = excluded.date, tags = excluded.tags, ' +
  'summary = excluded.summary, content_hash = excluded.content_hash, value_hash = excluded.value_hash, ' +
  'changed_at = excluded.changed_at';
const SET_META_SQL = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
const CLEAN_SQL = 'DELETE FROM meta WHERE key = ?';
const MOVE_SQL = 'UPDATE articles SET path = ? WHERE slug = ?';
const LEAVE_SQL = 'UPDATE articles SET path = ?, gone = ? WHERE slug = ?';
const DELETE_GONE_SQL = 'DELETE FROM articles WHERE gone IS NOT NULL';

/** A short, exact name for each statement; throws on one it does not know (unless `loose`). */
function label(s: Statement, loose = false): string {
  const p = s.params;
  switch (s.sql) {
    case UPSERT_ARTICLE_SQL:
      return `upsert ${p[0]}`;
    case SET_META_SQL:
      if (p[0] === 'dirty' && p[1] === '1' && p.length === 2) return 'dirty';
      break;
    case CLEAN_SQL:
      if (p.length === 1 && p[0] === 'dirty') return 'clean';
      break;
    case MOVE_SQL:
      if (p.length === 2 && p[0] === `\u0000moving:${p[1]}`) return `move ${p[1]}`;
      break;
    case LEAVE_SQL:
      if (p.length === 3 && p[0] === `\u0000leaving:${p[2]}`) return `leave ${p[2]} from ${p[1]}`;
      break;
    case DELETE_GONE_SQL:
      if (p.length === 0) return 'delete gone';
      break;
    default:
      // The plan's own statements (derived, meta, search rows) carry their label as their SQL.
      if (s.sql.startsWith('plan:') && p.length === 0) return s.sql.slice('plan:'.length);
  }
  // The planner's own statements (the order-invariant group): named by their first words.
  if (loose) return s.sql.split(' ').slice(0, 3).join(' ');
  throw new Error(`unexpected statement ${JSON.stringify(s)}`);
}

type Op =
  | { op: 'get'; keys: string[] }
  | { op: 'put'; keys: string[] }
  | { op: 'delete'; keys: string[] }
  | { op: 'batch'; statements: string[] }
  | { op: 'log'; line: string };

/**
 * A Store that records every call, holds KV in memory, and counts each statement 1 read, 2
 * written. A put of no entries writes nothing and is not recorded.
 */
function recordingStore(maxBatch: number, kv = new Map<string, string>(), loose = false) {
  const ops: Op[] = [];
  const batches: Statement[][] = [];
  const store: Store = {
    name: 'recording',
    kv: {
      async getMany(keys) {
        ops.push({ op: 'get', keys: [...keys] });
        return new Map(keys.map((k) => [k, kv.get(k) ?? null]));
      },
      async putMany(entries: KvEntry[]) {
        if (entries.length === 0) return;
        ops.push({ op: 'put', keys: entries.map((e) => e.key) });
        for (const e of entries) kv.set(e.key, e.value);
      },
      async deleteMany(keys) {
        ops.push({ op: 'delete', keys: [...keys] });
        for (const k of keys) kv.delete(k);
      },
    },
    d1: {
      maxBatch,
      all: async () => {
        throw new Error('the executor never reads');
      },
      async batch(statements): Promise<D1Counts> {
        if (statements.length > maxBatch) throw new Error(`a batch of ${statements.length} > ${maxBatch}`);
        ops.push({ op: 'batch', statements: statements.map((x) => label(x, loose)) });
        batches.push(statements);
        return { rowsRead: statements.length, rowsWritten: 2 * statements.length };
      },
    },
    close: async () => {},
  };
  return { store, ops, kv, batches };
}

function row(slug: string, extra: Partial<ArticleRow> = {}): ArticleRow {
  return {
    slug,
    path: `/p/${slug}.html`,
    abbrlink: slug,
    title: `T ${slug}`,
    date: '2021-01-01T00:00:00.000Z',
    tags: ['x', 'y'],
    summary: `{"slug":"${slug}"}`,
    contentHash: `c-${slug}`,
    valueHash: `v-${slug}`,
    changedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function postRecord(slug: string): PostRecord {
  return { file: `${slug}.md`, slug, contentHash: `c-${slug}`, title: `T ${slug}`, date: null, author: null, categories: [], tags: [], thumbnail: null, abbrlink: null };
}

/** An article write: new (from its file, with its link key) unless told otherwise. */
function write(slug: string, opts: { isNew?: boolean; writeLink?: boolean; stored?: boolean } = {}): ArticleWrite {
  return {
    row: row(slug),
    nav: { newer: null, older: null },
    links: { categories: [], tags: [] },
    source: opts.stored ? { kind: 'stored' } : { kind: 'file', post: postRecord(slug) },
    writeLink: opts.writeLink ?? true,
    isNew: opts.isNew ?? true,
    contentChanged: true,
  };
}

const st = (name: string): Statement => ({ sql: `plan:${name}`, params: [] });

function plan(extra: Partial<UploadPlan> = {}): UploadPlan {
  return {
    added: [],
    updated: [],
    relinked: [],
    unchanged: [],
    deleted: [],
    articleWrites: [],
    derived: [],
    rowDeletes: [],
    kvDeletes: [],
    meta: [],
    indexRecord: null,
    rebuild: false,
    version: 'v2',
    errors: [],
    ...extra,
  };
}

const INDEX_RECORD: IndexRecord = { v: 2, version: 'v2', changedAt: '2026-01-01T00:00:00.000Z', site: {}, siteChangedAt: '2026-01-01T00:00:00.000Z' };
const META = [st('meta version'), st('meta changed_at'), st('meta site')];

/** Hooks that build `value:<slug>` (or patch the stored value) with one search statement each. */
function hooks(extra: Partial<ExecuteHooks> = {}, ops?: Op[]) {
  const calls: [string, string | null][] = [];
  const h: ExecuteHooks = {
    async materialize(w, stored) {
      calls.push([w.row.slug, stored]);
      return { value: stored === null ? `value:${w.row.slug}` : `${stored}+patched`, statements: [st(`search ${w.row.slug}`)] };
    },
    deleteStatements: (slug) => [st(`unsearch ${slug}`)],
    log: ops ? (line) => ops.push({ op: 'log', line }) : undefined,
    ...extra,
  };
  return { hooks: h, calls };
}

const art = (slug: string) => kvKeys.article(slug);
const link = (slug: string) => kvKeys.link(`/p/${slug}.html`);

describe('upsertArticle', () => {
  it('writes every column of the row, tags as JSON', () => {
    expect(upsertArticle(row('a'))).toEqual({
      sql: UPSERT_ARTICLE_SQL,
      params: ['a', '/p/a.html', 'a', 'T a', '2021-01-01T00:00:00.000Z', '["x","y"]', '{"slug":"a"}', 'c-a', 'v-a', '2026-01-01T00:00:00.000Z'],
    });
  });

  it('keeps a null date', () => {
    expect(upsertArticle(row('a', { date: null, tags: [] })).params.slice(4, 6)).toEqual([null, '[]']);
  });
});

describe('a small upload: KV writes, then one atomic D1 batch, then the index record', () => {
  it('writes values and link keys, then articles, derived rows and meta in one batch, then the index record', async () => {
    const { store, ops, kv } = recordingStore(100, new Map([[art('b'), 'stored-b']]));
    const { hooks: h, calls } = hooks({}, undefined);
    const p = plan({
      articleWrites: [write('a'), write('b', { isNew: false, writeLink: false, stored: true })],
      derived: [st('entry home 1'), st('list home')],
      meta: META,
      indexRecord: INDEX_RECORD,
    });
    const result = await executePlan(p, store, h);
    expect(ops).toEqual([
      { op: 'get', keys: [art('b')] },
      { op: 'put', keys: [art('a'), link('a'), art('b')] },
      { op: 'batch', statements: ['upsert a', 'search a', 'upsert b', 'search b', 'entry home 1', 'list home', 'meta version', 'meta changed_at', 'meta site'] },
      { op: 'put', keys: [kvKeys.index] },
    ]);
    expect(calls).toEqual([
      ['a', null],
      ['b', 'stored-b'],
    ]);
    expect(kv.get(art('a'))).toBe('value:a');
    expect(kv.get(link('a'))).toBe('a');
    expect(kv.get(art('b'))).toBe('stored-b+patched');
    expect(JSON.parse(kv.get(kvKeys.index)!)).toEqual(INDEX_RECORD);
    expect(result).toEqual({ kvWritten: 4, kvDeleted: 0, d1: { rowsRead: 9, rowsWritten: 18 } });
  });

  it('reads nothing from KV when every value comes from its file', async () => {
    const { store, ops } = recordingStore(100);
    await executePlan(plan({ articleWrites: [write('a', { writeLink: false })] }), store, hooks().hooks);
    expect(ops).toEqual([
      { op: 'put', keys: [art('a')] },
      { op: 'batch', statements: ['upsert a', 'search a'] },
    ]);
  });

  it('moves the path of every existing article whose link changes out of the way first', async () => {
    const { store, ops } = recordingStore(100);
    const p = plan({ articleWrites: [write('a', { isNew: false, writeLink: true }), write('b', { isNew: true }), write('c', { isNew: false, writeLink: false })] });
    await executePlan(p, store, hooks().hooks);
    expect(ops.filter((o) => o.op === 'batch')).toEqual([
      { op: 'batch', statements: ['move a', 'upsert a', 'search a', 'upsert b', 'search b', 'upsert c', 'search c'] },
    ]);
    expect(ops.find((o) => o.op === 'put')).toEqual({ op: 'put', keys: [art('a'), link('a'), art('b'), link('b'), art('c')] });
  });

  it('ends the batch with clearing the dirty mark when it rebuilt the lists', async () => {
    const { store, ops } = recordingStore(100);
    await executePlan(plan({ derived: [st('clear entries'), st('clear lists'), st('entry home 1')], meta: META, rebuild: true }), store, hooks().hooks);
    expect(ops).toEqual([{ op: 'batch', statements: ['clear entries', 'clear lists', 'entry home 1', 'meta version', 'meta changed_at', 'meta site', 'clean'] }]);
  });

  it('does nothing at all for an empty plan', async () => {
    const { store, ops } = recordingStore(100);
    const log: string[] = [];
    const result = await executePlan(plan(), store, hooks({ log: (l) => log.push(l) }).hooks);
    expect(ops).toEqual([]);
    expect(log).toEqual([]);
    expect(result).toEqual({ kvWritten: 0, kvDeleted: 0, d1: { rowsRead: 0, rowsWritten: 0 } });
  });

  it('writes only the index record when KV missed the last one', async () => {
    const { store, ops } = recordingStore(100);
    const result = await executePlan(plan({ indexRecord: INDEX_RECORD }), store, hooks().hooks);
    expect(ops).toEqual([{ op: 'put', keys: [kvKeys.index] }]);
    expect(result.kvWritten).toBe(1);
  });

  it('says how many statements it writes', async () => {
    const { store } = recordingStore(100);
    const log: string[] = [];
    await executePlan(plan({ articleWrites: [write('a')], meta: META }), store, hooks({ log: (l) => log.push(l) }).hooks);
    expect(log).toEqual(['writing the index (5 statements)']);
  });

  it('runs without a log hook', async () => {
    const { store, ops } = recordingStore(100);
    const h = hooks().hooks;
    delete h.log;
    await executePlan(plan({ articleWrites: [write('a')] }), store, h);
    expect(ops.map((o) => o.op)).toEqual(['put', 'batch']);
  });

  it('writes nothing to D1 when a value cannot be built (the post changed since it was validated)', async () => {
    const { store, ops } = recordingStore(100);
    const h = hooks({
      async materialize(w) {
        if (w.row.slug === 'b') throw new Error('b.md changed while uploading');
        return { value: 'v', statements: [] };
      },
    }).hooks;
    await expect(executePlan(plan({ articleWrites: [write('a'), write('b')], derived: [st('entry')], meta: META, indexRecord: INDEX_RECORD }), store, h)).rejects.toThrow('b.md changed');
    expect(ops).toEqual([]);
  });
});

describe('deletions: unlisted first, then their KV values, then their rows', () => {
  it('marks the rows gone with the derived rows, then deletes the values, then the rows, then writes the index record', async () => {
    const { store, ops } = recordingStore(100, new Map([[art('z'), 'old-z']]));
    const p = plan({
      derived: [st('entry home 1')],
      rowDeletes: [{ slug: 'z', path: '/p/z.html' }],
      kvDeletes: [art('z'), link('z')],
      meta: META,
      indexRecord: INDEX_RECORD,
    });
    const result = await executePlan(p, store, hooks().hooks);
    expect(ops).toEqual([
      { op: 'batch', statements: ['unsearch z', 'leave z from /p/z.html', 'entry home 1', 'meta version', 'meta changed_at', 'meta site'] },
      { op: 'delete', keys: [art('z'), link('z')] },
      { op: 'batch', statements: ['delete gone'] },
      { op: 'put', keys: [kvKeys.index] },
    ]);
    expect(result).toEqual({ kvWritten: 1, kvDeleted: 2, d1: { rowsRead: 7, rowsWritten: 14 } });
  });

  it('without a deleteStatements hook, only marks the row gone', async () => {
    const { store, ops } = recordingStore(100);
    const h = hooks().hooks;
    delete h.deleteStatements;
    await executePlan(plan({ rowDeletes: [{ slug: 'z', path: '/p/z.html' }], kvDeletes: [art('z')] }), store, h);
    expect(ops[0]).toEqual({ op: 'batch', statements: ['leave z from /p/z.html'] });
  });

  it('a restored article keeps its value: its gone row is still deleted, no KV key is', async () => {
    const { store, ops } = recordingStore(100);
    await executePlan(plan({ rowDeletes: [{ slug: 'z', path: '/p/z.html' }] }), store, hooks().hooks);
    expect(ops).toEqual([
      { op: 'batch', statements: ['unsearch z', 'leave z from /p/z.html'] },
      { op: 'batch', statements: ['delete gone'] },
    ]);
  });

  it('finishes the KV deletions an interrupted upload left (no rows to mark)', async () => {
    const { store, ops } = recordingStore(100);
    const result = await executePlan(plan({ kvDeletes: [art('z')], meta: META }), store, hooks().hooks);
    expect(ops).toEqual([
      { op: 'batch', statements: ['meta version', 'meta changed_at', 'meta site'] },
      { op: 'delete', keys: [art('z')] },
      { op: 'batch', statements: ['delete gone'] },
    ]);
    expect(result.kvDeleted).toBe(1);
  });
});

describe('a large upload: dirty first, articles in chunks, clean last', () => {
  it('writes each chunk of values before the batch of its rows, the first batch marking the index dirty', async () => {
    const { store, ops } = recordingStore(5);
    const p = plan({
      articleWrites: [write('a', { isNew: false }), write('b'), write('c', { stored: true, isNew: false, writeLink: false }), write('d'), write('e')],
      derived: [st('d1'), st('d2'), st('d3')],
      rowDeletes: [{ slug: 'z', path: '/p/z.html' }],
      kvDeletes: [art('z')],
      meta: META,
      indexRecord: INDEX_RECORD,
    });
    const result = await executePlan(p, store, hooks({ chunkSize: 2 }, ops).hooks);
    expect(ops).toEqual([
      { op: 'put', keys: [art('a'), link('a'), art('b'), link('b')] },
      { op: 'batch', statements: ['dirty', 'move a', 'unsearch z', 'leave z from /p/z.html', 'upsert a'] },
      { op: 'batch', statements: ['search a', 'upsert b', 'search b'] },
      { op: 'log', line: 'articles: 2 of 5 written' },
      { op: 'get', keys: [art('c')] },
      { op: 'put', keys: [art('c'), art('d'), link('d')] },
      { op: 'batch', statements: ['upsert c', 'search c', 'upsert d', 'search d'] },
      { op: 'log', line: 'articles: 4 of 5 written' },
      { op: 'put', keys: [art('e'), link('e')] },
      { op: 'batch', statements: ['upsert e', 'search e'] },
      { op: 'log', line: 'articles: 5 of 5 written' },
      { op: 'log', line: 'writing 3 list rows' },
      { op: 'batch', statements: ['d1', 'd2', 'd3'] },
      { op: 'batch', statements: ['meta version', 'meta changed_at', 'meta site', 'clean'] },
      { op: 'delete', keys: [art('z')] },
      { op: 'batch', statements: ['delete gone'] },
      { op: 'put', keys: [kvKeys.index] },
    ]);
    expect(result).toEqual({ kvWritten: 10, kvDeleted: 1, d1: { rowsRead: 22, rowsWritten: 44 } });
  });

  it('with no article to write, marks the index dirty in the batch of the derived rows', async () => {
    const { store, ops } = recordingStore(4);
    await executePlan(plan({ derived: [st('d1'), st('d2'), st('d3'), st('d4'), st('d5')], meta: META }), store, hooks().hooks);
    expect(ops).toEqual([
      { op: 'batch', statements: ['dirty', 'd1', 'd2', 'd3'] },
      { op: 'batch', statements: ['d4', 'd5'] },
      { op: 'batch', statements: ['meta version', 'meta changed_at', 'meta site', 'clean'] },
    ]);
  });

  it('clears the dirty mark even when no meta changes', async () => {
    const { store, ops } = recordingStore(1);
    await executePlan(plan({ derived: [st('d1')] }), store, hooks().hooks);
    expect(ops).toEqual([
      { op: 'batch', statements: ['dirty'] },
      { op: 'batch', statements: ['d1'] },
      { op: 'batch', statements: ['clean'] },
    ]);
  });
});

describe('one batch or several: the boundary', () => {
  /** Whether the upload went as one batch (no dirty mark) or in chunks. */
  async function chunked(p: UploadPlan, maxBatch: number, chunkSize?: number): Promise<boolean> {
    const { store, ops } = recordingStore(maxBatch);
    await executePlan(p, store, hooks({ chunkSize }).hooks);
    return ops.some((o) => o.op === 'batch' && o.statements.includes('dirty'));
  }

  // Each plan, and the smallest maxBatch that takes it as one batch: room for its statements
  // (each article counted as 4: its row, a path move and two search rows) and 2 more.
  it.each<[string, UploadPlan, number]>([
    ['one new article and a derived row', plan({ articleWrites: [write('a')], derived: [st('d')] }), 1 * 4 + 1 + 2],
    ['one moved article', plan({ articleWrites: [write('a', { isNew: false })] }), 1 + 4 + 2],
    ['two articles, meta', plan({ articleWrites: [write('a'), write('b')], meta: META }), 2 * 4 + 3 + 2],
    ['a deletion', plan({ rowDeletes: [{ slug: 'z', path: '/p/z.html' }], kvDeletes: [art('z')] }), 2 + 2],
    ['derived rows only', plan({ derived: [st('d1'), st('d2'), st('d3')] }), 3 + 2],
  ])('%s: one batch at maxBatch %i, chunks below', async (_name, p, threshold) => {
    expect(await chunked(p, threshold)).toBe(false);
    expect(await chunked(p, threshold - 1)).toBe(true);
  });

  it('goes in chunks when there are more articles than one chunk, whatever the batch size', async () => {
    const writes = (n: number) => Array.from({ length: n }, (_, i) => write(`s${i}`));
    expect(await chunked(plan({ articleWrites: writes(3) }), 10_000, 3)).toBe(false);
    expect(await chunked(plan({ articleWrites: writes(4) }), 10_000, 3)).toBe(true);
  });

  it('defaults to chunks of 200 articles', async () => {
    expect(ARTICLE_CHUNK).toBe(200);
    const writes = (n: number) => Array.from({ length: n }, (_, i) => write(`s${i}`, { writeLink: false }));
    expect(await chunked(plan({ articleWrites: writes(200) }), 10_000)).toBe(false);
    expect(await chunked(plan({ articleWrites: writes(201) }), 10_000)).toBe(true);
  });
});

// ---- the order invariant on real plans ----------------------------------------------------------

/** Stand-in site rules (as in plan.test.ts): /p/<abbrlink>.html, categories keyed by their names. */
const rules: SiteRules = {
  permalink: (p) => `/p/${p.abbrlink}.html`,
  categoryTrails: (categories) => categories.map((names) => names.map((n, i) => [n, `cat:${names.slice(0, i + 1).join('/')}`] as [string, string])),
  tagList: (tag) => ({ key: `tag:${tag}`, name: tag }),
  archive: (date) => (date ? { year: date.slice(0, 4), month: date.slice(5, 7) } : null),
  abbrlinks: (posts, existing) => ({ links: new Map(posts.map((p) => [p.slug, p.abbrlink ?? existing.get(p.slug)?.abbrlink ?? p.slug])), errors: [] }),
};

function rec(slug: string, day: number, extra: Partial<PostRecord> = {}): PostRecord {
  return { ...postRecord(slug), date: `2021-01-${String(day).padStart(2, '0')}T00:00:00.000Z`, categories: [[day % 2 ? 'odd' : 'even']], ...extra };
}

const EMPTY: PreviousState = { rows: new Map(), gone: new Map(), version: null, changedAt: null, site: null, siteChangedAt: null, dirty: false, kvVersion: null };

/**
 * Replays a recorded upload step by step on a model of what readers see (KV keys, the list
 * entries and the articles rows of D1), and returns every moment a reader could meet a listed or
 * live article whose KV value is missing, or an index record before the D1 it names.
 */
function violations(ops: Op[], batches: Statement[][], kvBefore: Set<string>, entriesBefore: Map<string, string>, liveBefore: Set<string>): string[] {
  const kv = new Set(kvBefore);
  const entries = new Map(entriesBefore); // "list#pos" → slug
  const live = new Set(liveBefore);
  const out: string[] = [];
  let batch = 0;
  let metaWritten = false;
  const check = (when: string) => {
    for (const [at, slug] of entries) if (!kv.has(art(slug))) out.push(`${when}: ${at} lists ${slug}, which has no value`);
    for (const slug of live) if (!kv.has(art(slug))) out.push(`${when}: live row ${slug} has no value`);
  };
  ops.forEach((o, i) => {
    if (o.op === 'put') {
      if (o.keys.includes(kvKeys.index) && (i !== ops.length - 1 || !metaWritten)) out.push(`op ${i}: the index record is not last, after the meta`);
      for (const k of o.keys) kv.add(k);
    } else if (o.op === 'delete') for (const k of o.keys) kv.delete(k);
    else if (o.op === 'batch') {
      for (const s of batches[batch++]!) {
        if (s.sql === UPSERT_ARTICLE_SQL) live.add(String(s.params[0]));
        else if (s.sql === LEAVE_SQL) live.delete(String(s.params[2]));
        else if (s.sql.startsWith('INSERT INTO entries')) entries.set(`${s.params[0]}#${s.params[1]}`, String(s.params[2]));
        else if (s.sql === 'DELETE FROM entries WHERE list = ? AND pos >= ?') {
          for (const key of [...entries.keys()]) {
            const [list, pos] = key.split('#');
            if (list === s.params[0] && Number(pos) >= Number(s.params[1])) entries.delete(key);
          }
        } else if (s.sql === 'DELETE FROM entries') entries.clear();
        else if (s.sql === SET_META_SQL && s.params[0] === 'version') metaWritten = true;
      }
    }
    check(`after op ${i} (${o.op})`);
  });
  return out;
}

/** Runs a first upload of `base` then `next` (with --prune), checking the second's order. */
async function secondUpload(base: PostRecord[], next: PostRecord[], maxBatch: number, chunkSize: number) {
  const first = planUpload(base, EMPTY, { prune: false, rules, site: {}, now: 'T1' });
  const rows = new Map(first.articleWrites.map((w) => [w.row.slug, w.row]));
  const entries = new Map<string, string>();
  for (const s of first.derived) if (s.sql.startsWith('INSERT INTO entries')) entries.set(`${s.params[0]}#${s.params[1]}`, String(s.params[2]));
  const previous: PreviousState = { ...EMPTY, rows, version: first.version, changedAt: 'T1', site: {}, siteChangedAt: 'T1', kvVersion: first.version };
  const p = planUpload(next, previous, { prune: true, rules, site: {}, now: 'T2' });
  expect(p.errors).toEqual([]);
  const kvBefore = new Set([...rows.keys()].map(art));
  const { store, ops, batches } = recordingStore(maxBatch, new Map([...kvBefore].map((k) => [k, 'stored'])), true);
  await executePlan(p, store, hooks({ chunkSize }).hooks);
  const replay = (order: Op[]) => violations(order, batches, kvBefore, entries, new Set(rows.keys()));
  return { p, ops, replay };
}

describe('the order invariant on plans from the planner', () => {
  const base = [1, 2, 3, 4, 5, 6].map((d) => rec(`p${d}`, d));
  const scenarios: [string, PostRecord[]][] = [
    ['adding the newest post and an old-dated one', [...base, rec('new', 9), rec('old', 1, { date: '2020-06-01T00:00:00.000Z' })]],
    ['moving a post to another category and re-dating another', [rec('p1', 1, { categories: [['other']], contentHash: 'changed' }), ...base.slice(1, 5), rec('p6', 6, { date: '2019-01-01T00:00:00.000Z', contentHash: 'changed' })]],
    ['deleting two posts', base.filter((p) => p.slug !== 'p2' && p.slug !== 'p5')],
    ['a new post taking over a deleted one\'s URL', [...base.filter((p) => p.slug !== 'p3'), rec('p3b', 7, { abbrlink: 'p3' })]],
  ];

  it.each(scenarios.flatMap(([name, next]) => [
    [`${name}, one batch`, next, 500, 200] as const,
    [`${name}, chunks of 2, batches of 3`, next, 3, 2] as const,
  ]))('%s: no reader ever meets a listed article without its value', async (_name, next, maxBatch, chunkSize) => {
    const { p, ops, replay } = await secondUpload(base, [...next], maxBatch, chunkSize);
    expect(p.articleWrites.length + p.kvDeletes.length).toBeGreaterThan(0);
    expect(ops.length).toBeGreaterThan(1);
    expect(replay(ops)).toEqual([]);
  });

  it('the replay catches a wrong order: values deleted before they are unlisted, the index record early', async () => {
    // Guards the checker itself: the same recorded upload, replayed in the wrong order.
    const { ops, replay } = await secondUpload(base, base.filter((p) => p.slug !== 'p2'), 500, 200);
    const del = ops.findIndex((o) => o.op === 'delete');
    expect(del).toBeGreaterThan(0);
    expect(replay([ops[del]!, ...ops.filter((_, i) => i !== del)])).toContain('after op 0 (delete): home#2 lists p2, which has no value');
    const last = ops[ops.length - 1]!;
    expect(last).toEqual({ op: 'put', keys: [kvKeys.index] });
    expect(replay([last, ...ops.slice(0, -1)])).toContain('op 0: the index record is not last, after the meta');
  });
});
