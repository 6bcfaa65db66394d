/**
 * Upload at scale (issue 11 item 5): the generated tree (bench/lib/tree.ts) in the real layout,
 * uploaded through the real code in a process of its own (bench/upload-child.ts: `upload()` with
 * exactly the CLI's options, on `openLocalStore` persisted to a temp state folder), at each size:
 *
 *   from scratch → re-upload with nothing changed → +1 post newer than all → +1 post dated a
 *   month before the newest → +1 post dated mid-range (2020) → one post's body edited → one post
 *   deleted (--prune)
 *
 * Each is its own upload (time, peak RSS of the uploader and of its workerd, KV keys written
 * counted by wrapping the store, D1 rows written and read from the upload's own counters, which
 * are D1's `meta.rows_written`/`rows_read`, and the rows SQLite changed, total_changes()). Then
 * the tree is put back and grown to the next size; each size's state folder is kept for the
 * list and search sections.
 */
import { kvKeys } from '../../src/store/kv-layout.js';
import { type ChildUpload, runUploadChild } from '../lib/child-upload.js';
import { NEWEST_DATE, type Tree, addPost, deletePost, editPost, growTree, plainPostNear } from '../lib/tree.js';

export type ScenarioKind = 'scratch' | 'noop' | 'newest' | 'month-old' | 'mid-old' | 'edit' | 'delete';

export interface Scenario {
  kind: ScenarioKind;
  label: string;
  /** The post the scenario is about (slug), when there is one. */
  slug: string | null;
  run: ChildUpload;
}

export interface SizeUpload {
  n: number;
  state: string;
  /** The tree when this size was measured (cumulative write time and bytes). */
  treeBytes: number;
  generateMs: number;
  scenarios: Scenario[];
  /** D1 requests' own changes per request (local D1 bookkeeping), from the no-op upload. */
  changesPerRequest: number;
}

export const SCENARIO_LABELS: Record<ScenarioKind, string> = {
  scratch: 'from scratch',
  noop: 're-upload, nothing changed',
  newest: '+1 post, newer than all',
  'month-old': '+1 post, dated a month before the newest',
  'mid-old': '+1 post, dated mid-range (2020-06-15)',
  edit: "one post's body edited",
  delete: 'one post deleted (--prune)',
};

/** Scenario posts: numbers outside the sequence, categories and tags outside the focus lists. */
const EXTRA = {
  newest: { i: 90_000_001, date: NEWEST_DATE, categories: ['新媒体', 'cnBeta', '最新'], tags: ['AI'] },
  'month-old': { i: 90_000_002, date: new Date(Date.UTC(2025, 11, 2, 10, 0, 0)), categories: ['编程', '开源中国', '资讯'], tags: [] },
  'mid-old': { i: 90_000_003, date: new Date(Date.UTC(2020, 5, 15, 10, 0, 0)), categories: ['图片', '煎蛋', '首页'], tags: ['摄影'] },
} as const;

const slugOf = (rel: string) => rel.replace(/\.md$/, '');

export async function uploadAtSize(
  tree: Tree,
  n: number,
  state: string,
  log: (line: string) => void,
  /** `scenarios: false`: only the upload from scratch (the list baseline). */
  options: { scenarios?: boolean } = {},
): Promise<SizeUpload> {
  await growTree(tree, n);
  log(`  tree: ${n} posts (${(tree.bytes / 1048576).toFixed(0)} MiB of files)`);
  const scenarios: Scenario[] = [];
  const run = async (kind: ScenarioKind, slug: string | null, opts: { prune?: boolean } = {}) => {
    const small = kind !== 'scratch' && kind !== 'noop';
    const result = await runUploadChild(tree.root, state, { prune: opts.prune, listKeys: small });
    scenarios.push({ kind, label: SCENARIO_LABELS[kind], slug, run: result });
    const s = result.result.summary as { kvWritten: number; d1RowsWritten: number } | null;
    log(`  ${SCENARIO_LABELS[kind]}: ${(result.result.totalMs / 1000).toFixed(1)} s, ${s?.kvWritten} KV keys, ${s?.d1RowsWritten} D1 rows written, peak RSS ${result.nodePeakMiB.toFixed(0)} MiB`);
    return result;
  };

  await run('scratch', null);
  let changesPerRequest = 0;
  if (options.scenarios !== false) {
    const noop = await run('noop', null);
    // Each D1 request of the local store adds its own changes (workerd's D1 bookkeeping): the
    // no-op upload makes only reads, so its changes divided by its requests (+1, the count's own read).
    const noopCalls = noop.result.d1.allCalls + noop.result.d1.batches + 1;
    changesPerRequest = noop.result.d1.sqliteChanges !== null ? noop.result.d1.sqliteChanges / noopCalls : 0;
  }

  const restore: (() => Promise<void>)[] = [];
  try {
    if (options.scenarios !== false) {
      for (const kind of ['newest', 'month-old', 'mid-old'] as const) {
        const added = await addPost(tree, EXTRA[kind]);
        restore.push(added.remove);
        await run(kind, slugOf(added.post.rel));
      }
      const edited = await editPost(tree, plainPostNear(Math.floor(n / 2)));
      restore.push(edited.restore);
      await run('edit', slugOf(edited.post.rel));
      const deleted = await deletePost(tree, plainPostNear(Math.floor(n / 3)));
      restore.push(deleted.restore);
      await run('delete', slugOf(deleted.post.rel), { prune: true });
    }
  } finally {
    for (const r of restore.reverse()) await r();
  }
  return { n, state, treeBytes: tree.bytes, generateMs: tree.writeMs, scenarios, changesPerRequest };
}

/** SQLite's rows changed by an upload, without the local D1's per-request bookkeeping. */
export function sqliteRowsChanged(size: SizeUpload, s: Scenario): number | null {
  const d1 = s.run.result.d1;
  if (d1.sqliteChanges === null) return null;
  return Math.max(0, d1.sqliteChanges - size.changesPerRequest * (d1.allCalls + d1.batches + 1));
}

export function summaryOf(s: Scenario): { kvWritten: number; kvDeleted: number; d1RowsWritten: number; d1RowsRead: number; added: number; updated: number; relinked: number; unchanged: number; deleted: number } {
  return s.run.result.summary as never;
}

export { kvKeys };

/**
 * What one KV put costs in Miniflare's local KV (the emulator the local store writes through),
 * on the state folder's disk and on tmpfs (/dev/shm): `count` values of the corpus' median size,
 * in batches of 500 puts in parallel, as the local store sends them.
 */
export async function localKvPutCost(dirs: { label: string; dir: string }[], count: number): Promise<{ label: string; msPerPut: number }[]> {
  const { Miniflare } = await import('miniflare');
  const out: { label: string; msPerPut: number }[] = [];
  for (const { label, dir } of dirs) {
    const mf = new Miniflare({
      modules: true,
      script: `export default { async fetch(request, env) {
        const { from, n, size } = await request.json();
        const value = 'x'.repeat(size);
        await Promise.all(Array.from({ length: n }, (_, i) => env.KV.put('k' + (from + i), value)));
        return new Response('ok');
      } }`,
      kvNamespaces: { KV: 'put-cost' },
      kvPersist: dir,
    });
    try {
      await mf.ready;
      const t = performance.now();
      for (let from = 0; from < count; from += 500) {
        const res = await mf.dispatchFetch('http://put-cost/', { method: 'POST', body: JSON.stringify({ from, n: Math.min(500, count - from), size: 7000 }) });
        await res.text();
      }
      out.push({ label, msPerPut: (performance.now() - t) / count });
    } finally {
      await mf.dispose();
    }
  }
  return out;
}
