/**
 * 1. Render on a cache miss: parse + rewrite + template, per corpus post.
 *   (a) in-process in Node: renderArticleHtml(config, article), warm medians over interleaved
 *       rounds, the first render of each post, and the very first render of a fresh process;
 *   (b) through the real Worker in workerd: one request per post per round, each round under a new
 *       origin so its render-cache key is new (a miss), reading `render;dur` from Server-Timing. The
 *       Worker runs with its isolate-memory cache off (HOT_CACHE_MS=0), which is keyed by path.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { getConfig } from '../../src/config.js';
import { renderArticleHtml } from '../../src/render/render-article.js';
import type { CorpusPost } from '../lib/corpus.js';
import { type WranglerSettings, benchEnv, projectRoot } from '../lib/project.js';
import { max, median, now, rotate } from '../lib/stats.js';
import { type RunningWorker, parseServerTiming } from '../lib/worker.js';

const run = promisify(execFile);

export interface InProcessRender {
  /** slug → warm median ms. */
  warm: Map<string, number>;
  /** slug → the first render of that post in this process (after earlier posts warmed the code). */
  firstOfPost: Map<string, number>;
  /** The first render of a fresh Node process (cold code), per child run. */
  cold: { file: string; importMs: number[]; firstMs: number[]; secondMs: number[] };
  rounds: number;
}

export async function renderInProcess(posts: CorpusPost[], settings: WranglerSettings, rounds: number, coldRuns: number): Promise<InProcessRender> {
  const config = getConfig(benchEnv(settings));
  const render = (p: CorpusPost) => renderArticleHtml(config, p.article);

  const firstOfPost = new Map<string, number>();
  for (const p of posts) {
    const t = now();
    render(p);
    firstOfPost.set(p.slug, now() - t);
  }
  const samples = new Map<string, number[]>(posts.map((p) => [p.slug, []]));
  for (let r = 0; r < rounds; r++) {
    for (const p of rotate(posts, r)) {
      const t = now();
      render(p);
      samples.get(p.slug)!.push(now() - t);
    }
  }
  const warm = new Map([...samples].map(([slug, s]) => [slug, median(s)]));

  // Cold: the first render in a fresh process, for the canonical article.
  const file = posts[0]!.file;
  const cold = { file, importMs: [] as number[], firstMs: [] as number[], secondMs: [] as number[] };
  for (let i = 0; i < coldRuns; i++) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'cold-render.ts'), file], {
      cwd: projectRoot,
    });
    const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { importMs: number; firstMs: number; secondMs: number };
    cold.importMs.push(r.importMs);
    cold.firstMs.push(r.firstMs);
    cold.secondMs.push(r.secondMs);
  }
  return { warm, firstOfPost, cold, rounds };
}

export interface WorkerdRender {
  /** slug → render;dur of every round, round 1 (cold) included (ms, workerd's clock: 1 ms resolution). */
  renderDur: Map<string, number[]>;
  /** slug → client-observed time of the miss request (ms, Node clock). */
  missWall: Map<string, number[]>;
  /** slug → client-observed time of an immediate repeat (a render-cache hit). */
  hitWall: Map<string, number[]>;
  /** slug → the post's first render in a fresh Worker (round 1), one value per fresh Worker. */
  cold: Map<string, number[]>;
  /** The first article request of each fresh Worker. */
  firstRequests: { slug: string; renderDur: number; wall: number }[];
  rounds: number;
  errors: string[];
}

export async function renderInWorkerd(worker: RunningWorker, posts: CorpusPost[], rounds: number): Promise<WorkerdRender> {
  const renderDur = new Map<string, number[]>(posts.map((p) => [p.slug, []]));
  const missWall = new Map<string, number[]>(posts.map((p) => [p.slug, []]));
  const hitWall = new Map<string, number[]>(posts.map((p) => [p.slug, []]));
  const errors: string[] = [];
  let firstRequest: WorkerdRender['firstRequests'][number] | null = null;
  for (let r = 0; r < rounds; r++) {
    // A new origin per round: the render-cache key contains the request's origin, so every
    // request of this round is a miss, without restarting the Worker or emptying the cache.
    const origin = `http://render-round-${r}.bench`;
    const order = rotate(posts, r);
    for (const p of order) {
      const url = `${origin}${encodeURI(p.path)}`;
      const t = now();
      const res = await worker.mf.dispatchFetch(url);
      await res.text();
      const wall = now() - t;
      const st = parseServerTiming(res.headers.get('server-timing'));
      if (res.status !== 200 || st.cache !== 'miss' || st.render === null || st.mem) {
        errors.push(`${url}: status ${res.status}, server-timing ${res.headers.get('server-timing')}`);
        continue;
      }
      firstRequest ??= { slug: p.slug, renderDur: st.render, wall };
      renderDur.get(p.slug)!.push(st.render);
      missWall.get(p.slug)!.push(wall);
    }
    // Then the same URLs again, now render-cache hits (after the misses' background cache writes).
    for (const p of order) {
      const url = `${origin}${encodeURI(p.path)}`;
      const t = now();
      const again = await worker.mf.dispatchFetch(url);
      await again.text();
      const hit = now() - t;
      if (parseServerTiming(again.headers.get('server-timing')).cache === 'hit') hitWall.get(p.slug)!.push(hit);
      else errors.push(`${url}: repeat was not a render-cache hit (${again.headers.get('server-timing')})`);
    }
  }
  const cold = new Map([...renderDur].map(([slug, v]) => [slug, v.slice(0, 1)]));
  return { renderDur, missWall, hitWall, cold, firstRequests: firstRequest ? [firstRequest] : [], rounds, errors };
}

/** Warm-round values only (round 0 of a fresh Worker includes JIT warm-up). */
export function warmMedian(values: number[] | undefined): number {
  if (!values || values.length === 0) return NaN;
  return median(values.length > 1 ? values.slice(1) : values);
}

export { max };
