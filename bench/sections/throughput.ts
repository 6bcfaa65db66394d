/**
 * 3. Throughput in workerd (Miniflare's Node API on loopback, not wrangler dev): a trivial route,
 * a render-cache-hit article, an edge-cache-hit image and the home page, each loaded for the same
 * time with the same connections, in interleaved rounds (rotated order), ratios taken per round.
 */
import { type LoadResult, runLoad } from '../lib/load.js';
import { median, now, rotate } from '../lib/stats.js';
import { type RunningWorker, parseServerTiming } from '../lib/worker.js';

export const ARTICLE_PATH = '/articles/000_1c07ab0e1a8962a0';

export interface Target {
  name: 'robots' | 'article' | 'image' | 'home';
  path: string;
}

export interface ThroughputResult {
  targets: Target[];
  /** target → one result per round. */
  runs: Map<string, LoadResult[]>;
  /** Per-round ratios, then their median. */
  articleRatio: number;
  imageRatio: number;
  /** Sequential single-request latency (ms, client side) and Server-Timing, per target. */
  sequential: Map<string, { wall: number; serverTiming: string }>;
  connections: number;
  seconds: number;
  rounds: number;
  tool: string;
  originHits: number;
  errors: string[];
}

export async function throughput(
  worker: RunningWorker,
  opts: { connections: number; seconds: number; rounds: number; warmSeconds: number; sequential: number; originHits: () => number },
): Promise<ThroughputResult> {
  const errors: string[] = [];
  // Warm the render cache with one request, then check the repeat is a hit.
  const first = await worker.fetch(ARTICLE_PATH);
  const html = await first.text();
  if (first.status !== 200) throw new Error(`${ARTICLE_PATH}: status ${first.status}`);
  const img = /<img[^>]*\ssrc="(\/img\/[^"]+)"/.exec(html)?.[1];
  if (!img) throw new Error(`${ARTICLE_PATH}: no /img/ URL in the page`);
  const targets: Target[] = [
    { name: 'robots', path: '/robots.txt' },
    { name: 'article', path: ARTICLE_PATH },
    { name: 'image', path: img.replace(/&amp;/g, '&') },
    { name: 'home', path: '/' },
  ];
  for (const t of targets) {
    for (let i = 0; i < 2; i++) {
      const res = await worker.fetch(t.path);
      await res.arrayBuffer();
      if (res.status !== 200) errors.push(`${t.name} warm-up: status ${res.status}`);
    }
    const check = await worker.fetch(t.path);
    await check.arrayBuffer();
    const st = parseServerTiming(check.headers.get('server-timing'));
    if ((t.name === 'article' || t.name === 'image') && st.cache !== 'hit') {
      errors.push(`${t.name} is not a cache hit after warm-up (server-timing: ${check.headers.get('server-timing')})`);
    }
  }

  const sequential = new Map<string, { wall: number; serverTiming: string }>();
  const seqSamples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  const lastTiming = new Map<string, string>();
  for (let i = 0; i < opts.sequential; i++) {
    for (const t of rotate(targets, i)) {
      const s = now();
      const res = await worker.fetch(t.path);
      await res.arrayBuffer();
      seqSamples.get(t.name)!.push(now() - s);
      lastTiming.set(t.name, res.headers.get('server-timing') ?? '');
    }
  }
  for (const t of targets) sequential.set(t.name, { wall: median(seqSamples.get(t.name)!), serverTiming: lastTiming.get(t.name) ?? '' });

  const url = (p: string) => new URL(p, worker.url).href;
  if (opts.warmSeconds > 0) for (const t of targets) await runLoad(url(t.path), opts.connections, opts.warmSeconds);
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
  let tool = '';
  for (let r = 0; r < opts.rounds; r++) {
    for (const t of rotate(targets, r)) {
      const result = await runLoad(url(t.path), opts.connections, opts.seconds);
      tool = result.tool;
      if (result.errors > 0) errors.push(`${t.name} round ${r + 1}: ${result.errors} errors / non-2xx`);
      runs.get(t.name)!.push(result);
    }
  }
  const perRound = (name: string) =>
    median(runs.get(name)!.map((res, r) => res.rps / runs.get('robots')![r]!.rps));
  return {
    targets,
    runs,
    articleRatio: perRound('article'),
    imageRatio: perRound('image'),
    sequential,
    connections: opts.connections,
    seconds: opts.seconds,
    rounds: opts.rounds,
    tool,
    originHits: opts.originHits(),
    errors,
  };
}
