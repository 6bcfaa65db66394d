/**
 * 3b. Where a cache-hit article request's time goes (memory cache off): a probe Worker, run by
 * Miniflare with the same KV store, cache service and bindings as the real one, does one piece of
 * that request per route. Each route is loaded like section 3 (interleaved, rotated); the cost of
 * a piece is 1/req/s of its route minus 1/req/s of the no-op route (per-request service time on
 * workerd's single JS thread, the bottleneck).
 */
import { kvKeys } from '../../src/store/kv-layout.js';
import { runLoad } from '../lib/load.js';
import { median, rotate } from '../lib/stats.js';
import { type WorkerOptions, startWorker } from '../lib/worker.js';

const PROBE = `
const PAGE_KEY = 'https://probe.bench/__render/article-page';
let page = '';
let headers = null;
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/setup': {
        page = await request.text();
        headers = Object.fromEntries(request.headers);
        await caches.default.put(new Request(PAGE_KEY), new Response(page, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=604800' } }));
        return new Response('ok');
      }
      case '/noop':
        return new Response('ok');
      case '/kv-index': {
        const raw = await env.ARTICLES.get(env.INDEX_KEY, { cacheTtl: 30 });
        return new Response(JSON.parse(raw).version);
      }
      case '/kv-article': {
        const slug = await env.ARTICLES.get(env.LINK_KEY, { cacheTtl: 30 });
        const raw = await env.ARTICLES.get('${kvKeys.articlePrefix}' + slug, { cacheTtl: 30 });
        return new Response(String(JSON.parse(raw).body.length));
      }
      case '/kv-route': {
        const [index, article] = await Promise.all([
          env.ARTICLES.get(env.INDEX_KEY, { cacheTtl: 30 }),
          env.ARTICLES.get(env.LINK_KEY, { cacheTtl: 30 }).then((slug) => env.ARTICLES.get('${kvKeys.articlePrefix}' + slug, { cacheTtl: 30 })),
        ]);
        return new Response(String(JSON.parse(article).body.length + JSON.parse(index).version.length));
      }
      case '/cache-match': {
        const hit = await caches.default.match(new Request(PAGE_KEY));
        return new Response(String((await hit.text()).length));
      }
      case '/page-from-memory':
        return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
      default:
        return new Response('not found', { status: 404 });
    }
  },
};`;

export const PROBE_ROUTES = ['/noop', '/kv-index', '/kv-article', '/kv-route', '/cache-match', '/page-from-memory'];

export interface Decomposition {
  /** route → req/s per round. */
  rps: Map<string, number[]>;
  /** route → median (1/rps − 1/rps(noop)) in ms. */
  costMs: Map<string, number>;
  seconds: number;
  rounds: number;
  pageBytes: number;
  articleBytes: number;
}

export async function decompose(
  base: Omit<WorkerOptions, 'scriptPath' | 'script' | 'listen' | 'vars'>,
  keys: { index: string; link: string },
  page: string,
  articleBytes: number,
  opts: { connections: number; seconds: number; rounds: number },
): Promise<Decomposition> {
  const worker = await startWorker({ ...base, script: PROBE, listen: true, vars: { INDEX_KEY: keys.index, LINK_KEY: keys.link } });
  try {
    const setup = await worker.fetch('/setup', { method: 'POST', body: page });
    if (setup.status !== 200) throw new Error(`probe setup: ${setup.status}`);
    for (const route of PROBE_ROUTES) {
      const res = await worker.fetch(route);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`probe ${route}: ${res.status} ${text.slice(0, 200)}`);
    }
    const rps = new Map<string, number[]>(PROBE_ROUTES.map((r) => [r, []]));
    for (let r = 0; r < opts.rounds; r++) {
      for (const route of rotate(PROBE_ROUTES, r)) {
        const result = await runLoad(new URL(route, worker.url).href, opts.connections, opts.seconds);
        if (result.errors > 0) throw new Error(`probe ${route}: ${result.errors} errors (${result.errorDetail})`);
        rps.get(route)!.push(result.rps);
      }
    }
    const noop = rps.get('/noop')!;
    const costMs = new Map(PROBE_ROUTES.map((route) => [route, median(rps.get(route)!.map((x, r) => 1000 / x - 1000 / noop[r]!))]));
    return { rps, costMs, seconds: opts.seconds, rounds: opts.rounds, pageBytes: Buffer.byteLength(page), articleBytes };
  } finally {
    await worker.dispose();
  }
}
