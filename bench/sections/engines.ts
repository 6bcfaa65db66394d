/**
 * 2. Engine comparison on every corpus post, in the same run and interleaved (each round visits
 * the posts in a rotated order and the engines in a rotated order), so the ratios are not skewed
 * by whatever else the machine is doing at one moment.
 */
import { getConfig } from '../../src/config.js';
import type { CorpusPost } from '../lib/corpus.js';
import { ENGINES, type EngineName, countRoutes, initEngines, makeEngines } from '../lib/engines.js';
import { type WranglerSettings, benchEnv } from '../lib/project.js';
import { median, now, rotate, sum } from '../lib/stats.js';

export interface EngineComparison {
  /** engine → slug → median ms. */
  perPost: Record<EngineName, Map<string, number>>;
  /** engine → image-route URLs in its output, summed over the corpus (sanity check). */
  routes: Record<EngineName, number>;
  /** engine → sum over posts of the per-post median (one pass over the whole corpus). */
  corpusMs: Record<EngineName, number>;
  /** engine → median over posts of the per-post median. */
  medianPostMs: Record<EngineName, number>;
  /** Median over posts of the per-post ratio linkedom / other. */
  ratioMedian: { lolHtml: number; string: number };
  rounds: number;
}

export async function compareEngines(posts: CorpusPost[], settings: WranglerSettings, rounds: number): Promise<EngineComparison> {
  await initEngines();
  const engines = makeEngines(getConfig(benchEnv(settings)).rewriteOptions);
  const samples = Object.fromEntries(ENGINES.map((e) => [e, new Map(posts.map((p) => [p.slug, [] as number[]]))])) as Record<
    EngineName,
    Map<string, number[]>
  >;
  const routes = Object.fromEntries(ENGINES.map((e) => [e, 0])) as Record<EngineName, number>;
  for (const p of posts) for (const e of ENGINES) routes[e] += countRoutes(engines[e](p.article.body));

  const warmup = Math.min(3, rounds);
  for (let r = 0; r < warmup + rounds; r++) {
    for (const [i, p] of rotate(posts, r).entries()) {
      for (const e of rotate(ENGINES, r + i)) {
        const t = now();
        engines[e](p.article.body);
        const dt = now() - t;
        if (r >= warmup) samples[e].get(p.slug)!.push(dt);
      }
    }
  }
  const perPost = Object.fromEntries(
    ENGINES.map((e) => [e, new Map([...samples[e]].map(([slug, s]) => [slug, median(s)]))]),
  ) as Record<EngineName, Map<string, number>>;
  const corpusMs = Object.fromEntries(ENGINES.map((e) => [e, sum([...perPost[e].values()])])) as Record<EngineName, number>;
  const medianPostMs = Object.fromEntries(ENGINES.map((e) => [e, median([...perPost[e].values()])])) as Record<EngineName, number>;
  const ratios = (other: EngineName) => median(posts.map((p) => perPost.linkedom.get(p.slug)! / perPost[other].get(p.slug)!));
  return { perPost, routes, corpusMs, medianPostMs, ratioMedian: { lolHtml: ratios('lol-html'), string: ratios('string') }, rounds };
}
