/**
 * 3. Throughput in workerd (Miniflare's Node API on loopback, not wrangler dev): a trivial route,
 * a render-cache-hit article, an edge-cache-hit image and the home page, each loaded for the same
 * time with the same connections, in interleaved rounds (rotated order), ratios taken per round.
 *
 * Two setups over the same KV store: the shipped configuration (wrangler.toml vars, which keep hot
 * responses in isolate memory, src/http/hot-cache.ts) and the same Worker with that memory cache
 * off (HOT_CACHE_MS=0), i.e. the KV + Cache API path every first request in an isolate takes.
 */
import { type LoadResult, runLoad } from '../lib/load.js';
import { median, now, rotate } from '../lib/stats.js';
import { type RunningWorker, parseServerTiming } from '../lib/worker.js';

/** The project's first article (a fixture): its canonical path comes from the upload. */
export const ARTICLE_SLUG = '000_1c07ab0e1a8962a0';

export interface Target {
  name: 'robots' | 'article' | 'image' | 'home';
  path: string;
}

export interface Setup {
  label: string;
  worker: RunningWorker;
  seconds: number;
  /** When true, a `mem;desc="hit"` answer is an error (the memory cache must be off). */
  expectNoMemory: boolean;
}

export interface SetupResult {
  label: string;
  seconds: number;
  /** target → one result per round. */
  runs: Map<string, LoadResult[]>;
  /** Median of per-round ratios target/robots. */
  ratios: Map<string, number>;
  /** Sequential single-request latency (ms, client side) and the Server-Timing seen, per target. */
  sequential: Map<string, { wall: number; serverTiming: string }>;
}

export interface ThroughputResult {
  targets: Target[];
  setups: SetupResult[];
  connections: number;
  rounds: number;
  tool: string;
  originHits: number;
  errors: string[];
}

export async function throughput(
  setups: Setup[],
  opts: { articlePath: string; connections: number; rounds: number; warmSeconds: number; sequential: number; originHits: () => number },
): Promise<ThroughputResult> {
  const errors: string[] = [];
  const main = setups[0]!.worker;
  const ARTICLE_PATH = opts.articlePath;
  const first = await main.fetch(ARTICLE_PATH);
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

  // Warm every cache (render cache, image edge cache, memory), then check what a repeat is.
  for (const s of setups) {
    for (const t of targets) {
      for (let i = 0; i < 2; i++) {
        const res = await s.worker.fetch(t.path);
        await res.arrayBuffer();
        if (res.status !== 200) errors.push(`${s.label} ${t.name} warm-up: status ${res.status}`);
      }
      const check = await s.worker.fetch(t.path);
      await check.arrayBuffer();
      const st = parseServerTiming(check.headers.get('server-timing'));
      if ((t.name === 'article' || t.name === 'image') && st.cache !== 'hit') {
        errors.push(`${s.label}: ${t.name} is not a cache hit after warm-up (server-timing: ${check.headers.get('server-timing')})`);
      }
      if (s.expectNoMemory && st.mem) errors.push(`${s.label}: ${t.name} answered from isolate memory although HOT_CACHE_MS=0`);
    }
  }

  const results: SetupResult[] = setups.map((s) => ({ label: s.label, seconds: s.seconds, runs: new Map(targets.map((t) => [t.name, []])), ratios: new Map(), sequential: new Map() }));

  // Single requests, one at a time: latency without queueing.
  for (const [k, s] of setups.entries()) {
    const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const timing = new Map<string, string>();
    for (let i = 0; i < opts.sequential; i++) {
      for (const t of rotate(targets, i)) {
        const start = now();
        const res = await s.worker.fetch(t.path);
        await res.arrayBuffer();
        samples.get(t.name)!.push(now() - start);
        timing.set(t.name, res.headers.get('server-timing') ?? '');
      }
    }
    for (const t of targets) results[k]!.sequential.set(t.name, { wall: median(samples.get(t.name)!), serverTiming: timing.get(t.name) ?? '' });
  }

  const url = (s: Setup, p: string) => new URL(p, s.worker.url).href;
  if (opts.warmSeconds > 0) for (const s of setups) for (const t of targets) await runLoad(url(s, t.path), opts.connections, opts.warmSeconds);
  let tool = '';
  const jobs = setups.flatMap((s, k) => targets.map((t) => ({ s, k, t })));
  for (let r = 0; r < opts.rounds; r++) {
    for (const { s, k, t } of rotate(jobs, r * 3)) {
      const result = await runLoad(url(s, t.path), opts.connections, s.seconds);
      tool = result.tool;
      if (result.errors > 0) errors.push(`${s.label} ${t.name} round ${r + 1}: ${result.errors} errors (${result.errorDetail})`);
      results[k]!.runs.get(t.name)!.push(result);
    }
  }
  for (const res of results) {
    const robots = res.runs.get('robots')!;
    for (const t of targets) res.ratios.set(t.name, median(res.runs.get(t.name)!.map((x, r) => x.rps / robots[r]!.rps)));
  }
  return { targets, setups: results, connections: opts.connections, rounds: opts.rounds, tool, originHits: opts.originHits(), errors };
}
