/**
 * 5. Upload through the real code path: upload() from src/upload/upload.ts with openLocalKv into a
 * temp root (the CLI always writes to the project's own .wrangler). New store, then an unchanged
 * rerun, then one article's body changed. Phase timings come from upload()'s own log lines.
 *
 * Also builds the stores for the list benchmark (section 4), including the 100k one written
 * directly with planUpload (list shards, meta and the articles those pages show).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareNewestFirst } from '../../src/store/index-shards.js';
import { kvKeys } from '../../src/store/kv-layout.js';
import { openLocalKv } from '../../src/upload/local-kv.js';
import { manifestKeys, parseManifest, planUpload } from '../../src/upload/plan.js';
import { upload } from '../../src/upload/upload.js';
import { syntheticArticles, syntheticPost, writeSyntheticPosts } from '../lib/corpus.js';
import { type WranglerSettings, tempDir } from '../lib/project.js';
import { now } from '../lib/stats.js';

export interface UploadRun {
  ms: number;
  writes: number;
  deletes: number;
  summary: string;
  /** label → ms, from upload()'s "writing N <label>" log lines; `prepare` = load + validate + plan. */
  phases: { label: string; keys: number; ms: number }[];
  /** Keys written, by phase (only kept for small writes). */
  keys: { label: string; keys: string[] }[];
}

export interface UploadBench {
  n: number;
  kvRoot: string;
  postsDir: string;
  postsBytes: number;
  generateMs: number;
  fresh: UploadRun;
  unchanged: UploadRun;
  changedOne: UploadRun & { slug: string };
}

async function timedUpload(dir: string, root: string, settings: WranglerSettings): Promise<UploadRun> {
  const marks: { at: number; line: string }[] = [];
  const start = now();
  const outcome = await upload({ dir, timeZone: 'UTC', log: (line) => marks.push({ at: now(), line }) }, () =>
    openLocalKv(root, settings.kvNamespaceId),
  );
  const ms = now() - start;
  if (!outcome.ok) throw new Error(`upload failed: ${outcome.errors.slice(0, 3).join('; ')}`);
  const phases: UploadRun['phases'] = [];
  const writing = marks.filter((m) => /^(writing|deleting) /.test(m.line));
  phases.push({ label: 'prepare (read, validate, open KV, read manifest, plan)', keys: 0, ms: (writing[0]?.at ?? start + ms) - start });
  writing.forEach((m, i) => {
    const end = writing[i + 1]?.at ?? start + ms;
    const match = /^(?:writing|deleting) (\d+) ?(.*)$/.exec(m.line);
    phases.push({ label: match?.[2] || m.line, keys: Number(match?.[1] ?? 0), ms: end - m.at });
  });
  const plan = outcome.plan;
  const keys = plan.writes <= 50 ? plan.phases.filter((p) => p.puts.length > 0).map((p) => ({ label: p.label, keys: p.puts.map((e) => e.key) })) : [];
  return { ms, writes: plan.writes, deletes: plan.deletes, summary: outcome.summary, phases, keys };
}

export async function uploadBench(n: number, settings: WranglerSettings): Promise<UploadBench> {
  const postsDir = await tempDir(`posts-${n}`);
  let t = now();
  const postsBytes = await writeSyntheticPosts(postsDir, n);
  const generateMs = now() - t;
  const kvRoot = await tempDir(`kv-${n}`);
  const fresh = await timedUpload(postsDir, kvRoot, settings);
  const unchanged = await timedUpload(postsDir, kvRoot, settings);
  const k = Math.floor(n / 2);
  const changed = syntheticPost(k, 1);
  await writeFile(path.join(postsDir, changed.name), changed.text);
  const changedOne = { ...(await timedUpload(postsDir, kvRoot, settings)), slug: changed.name.replace(/\.md$/, '') };
  return { n, kvRoot, postsDir, postsBytes, generateMs, fresh, unchanged, changedOne };
}

/** A store of `n` articles made by upload() (small sizes). */
export async function uploadedStore(n: number, settings: WranglerSettings): Promise<{ kvRoot: string; ms: number }> {
  const postsDir = await tempDir(`posts-${n}`);
  await writeSyntheticPosts(postsDir, n);
  const kvRoot = await tempDir(`kv-${n}`);
  const run = await timedUpload(postsDir, kvRoot, settings);
  return { kvRoot, ms: run.ms };
}

export interface DirectStore {
  kvRoot: string;
  buildMs: number;
  planMs: number;
  writeMs: number;
  keys: number;
  skippedKeys: number;
}

/** Articles written by directListStore besides the lists (covers every page the benchmark reads). */
export const SHOWN_ARTICLES = 200;

/**
 * planUpload over `n` synthetic articles (the same StoredArticles the upload makes of the posts),
 * then, through openLocalKv, the list shards, the index meta and the newest SHOWN_ARTICLES articles.
 */
export async function directListStore(n: number, settings: WranglerSettings): Promise<DirectStore> {
  let t = now();
  const articles = syntheticArticles(n);
  const buildMs = now() - t;
  const kvRoot = await tempDir(`kv-${n}`);
  const kv = await openLocalKv(kvRoot, settings.kvNamespaceId);
  try {
    t = now();
    const plan = planUpload(articles, parseManifest(await kv.getMany(manifestKeys())), { prune: false });
    const planMs = now() - t;
    t = now();
    let keys = 0;
    let skippedKeys = 0;
    // Lists show only articles that exist (checked on a render miss), so the articles of the
    // pages the benchmark requests (the newest SHOWN_ARTICLES: home and /categories/source pages
    // 1–10) are written too, before the lists, as upload() orders them.
    const shown = new Set([...articles].sort(compareNewestFirst).slice(0, SHOWN_ARTICLES).map((a) => kvKeys.article(a.slug)));
    for (const phase of plan.phases) {
      const puts =
        phase.label === 'list shards' || phase.label === 'index meta'
          ? phase.puts
          : phase.label === 'articles'
            ? phase.puts.filter((e) => shown.has(e.key))
            : [];
      if (puts.length > 0) await kv.putMany(puts);
      keys += puts.length;
      skippedKeys += phase.puts.length - puts.length;
    }
    return { kvRoot, buildMs, planMs, writeMs: now() - t, keys, skippedKeys };
  } finally {
    await kv.close();
  }
}
