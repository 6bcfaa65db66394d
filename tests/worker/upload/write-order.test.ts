/**
 * The upload's write order, at every kill point: the real planner and executor against the real
 * KV and D1 bindings (tests/worker/helpers/seed.ts), killed after each single write — every KV key
 * put or deleted, every D1 batch — for adds, edits, deletes and prunes, in the one-batch path and
 * the chunked path. At each point a reader must never meet a listed article that is missing, and
 * running the upload again must end in exactly the state of an uninterrupted upload.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { kvKeys } from '../../../src/store/kv-layout';
import type { D1Counts, Store } from '../../../src/upload/targets';
import { bindingStore, clearStore, seed } from '../helpers/seed';

const NOW = '2026-01-01T00:00:00.000Z';

function post(title: string, date: string, categories: string[]): string {
  return `---\ntitle: '${title}'\ncategories:\n${categories.map((c) => ` - ${c}`).join('\n')}\ndate: ${date}\n---\n<p>${title}</p>\n`;
}

class Killed extends Error {}

/** The bindings, dying after `killAfter` writes; counts every write in `done`. */
function killable(real: Store, killAfter: number, done: { writes: number }, maxBatch: number): Store {
  const step = () => {
    if (done.writes >= killAfter) throw new Killed(`killed after ${done.writes} writes`);
    done.writes++;
  };
  return {
    ...real,
    kv: {
      getMany: (keys) => real.kv.getMany(keys),
      async putMany(entries) {
        for (const e of entries) {
          step();
          await real.kv.putMany([e]);
        }
      },
      async deleteMany(keys) {
        for (const k of keys) {
          step();
          await real.kv.deleteMany([k]);
        }
      },
    },
    d1: {
      maxBatch,
      all: (s) => real.d1.all(s),
      async batch(statements): Promise<D1Counts> {
        step();
        return real.d1.batch(statements);
      },
    },
  };
}

interface State {
  kv: Map<string, string>;
  tables: Record<string, unknown[]>;
}

async function state(): Promise<State> {
  const kv = new Map<string, string>();
  for (const k of (await env.ARTICLES.list()).keys) kv.set(k.name, (await env.ARTICLES.get(k.name)) ?? '');
  const tables: Record<string, unknown[]> = {};
  for (const [name, sql] of [
    ['articles', 'SELECT slug, path, abbrlink, title, date, tags, summary, content_hash, value_hash, changed_at, gone FROM articles ORDER BY slug'],
    ['lists', 'SELECT * FROM lists ORDER BY key'],
    ['entries', 'SELECT * FROM entries ORDER BY list, pos'],
    ['meta', 'SELECT * FROM meta ORDER BY key'],
  ] as const) {
    tables[name] = (await env.DB.prepare(sql).all()).results;
  }
  return { kv, tables };
}

function listedButMissing(s: State): string[] {
  const out: string[] = [];
  for (const e of s.tables.entries as { list: string; pos: number; slug: string }[]) {
    if (!s.kv.has(kvKeys.article(e.slug))) out.push(`${e.list}#${e.pos} lists ${e.slug}`);
  }
  // A live article (not being deleted) is findable by search: its value must be there.
  for (const a of s.tables.articles as { slug: string; gone: string | null }[]) if (a.gone === null && !s.kv.has(kvKeys.article(a.slug))) out.push(`articles row ${a.slug}`);
  return out;
}

const BASE: Record<string, string> = {};
for (let i = 0; i < 6; i++) BASE[`c${i % 2}/s/ch/p${i}.md`] = post(`文章 ${i}`, `2022-01-0${i + 1} 06:08:05`, [`c${i % 2}`, 's', 'ch']);

const SCENARIOS: [string, Record<string, string>, boolean][] = [
  [
    'adding the newest post and an old-dated one',
    { ...BASE, 'c0/s/ch/new.md': post('最新', 'Sun, 09 Jan 2022 06:08:05 GMT', ['c0', 's', 'ch']), 'c1/s/ch/old.md': post('旧闻', 'Fri, 01 Jan 2021 06:08:05 GMT', ['c1', 's', 'ch']) },
    false,
  ],
  [
    'editing a title and a date, moving a post to another category',
    {
      ...BASE,
      'c0/s/ch/p0.md': post('改过的标题', 'Sat, 08 Jan 2022 06:08:05 GMT', ['c0', 's', 'ch']),
      'c1/s/ch/p3.md': post('文章 3', 'Sat, 04 Jan 2020 06:08:05 GMT', ['c1', 's', 'other']),
    },
    false,
  ],
  ['deleting two posts (--prune)', Object.fromEntries(Object.entries(BASE).filter(([k]) => !k.endsWith('p2.md') && !k.endsWith('p5.md'))), true],
  [
    'renaming a file: one article gone, one new (--prune)',
    { ...Object.fromEntries(Object.entries(BASE).filter(([k]) => !k.endsWith('p4.md'))), 'c1/s/ch/p4-renamed.md': BASE['c0/s/ch/p4.md']! },
    true,
  ],
];

describe.each([
  ['one atomic D1 batch', undefined, 500],
  ['chunks of 2 articles, D1 batches of 3 statements', 2, 3],
])('killed at any write (%s)', (_label, chunkSize, maxBatch) => {
  it.each(SCENARIOS)('%s: readers stay safe and a rerun finishes', { timeout: 180_000 }, async (_name, change, prune) => {
    // The uninterrupted upload, for reference.
    await clearStore();
    await seed(BASE, { now: NOW, chunkSize });
    const counter = { writes: 0 };
    await seed(change, { now: NOW, prune, chunkSize, store: killable(bindingStore(), Infinity, counter, maxBatch) });
    const expected = await state();
    expect(listedButMissing(expected)).toEqual([]);
    expect(counter.writes).toBeGreaterThan(3);

    for (let k = 0; k < counter.writes; k++) {
      await clearStore();
      await seed(BASE, { now: NOW, chunkSize });
      await expect(seed(change, { now: NOW, prune, chunkSize, store: killable(bindingStore(), k, { writes: 0 }, maxBatch) })).rejects.toThrow(Killed);
      expect(listedButMissing(await state()), `killed after ${k} of ${counter.writes} writes`).toEqual([]);
      await seed(change, { now: NOW, prune, chunkSize });
      expect(await state(), `rerun after a kill at ${k} of ${counter.writes}`).toEqual(expected);
    }
  });
});
