/**
 * `npm run bench` (full, rewrites BENCHMARKS.md and docs/bench-render.svg) and
 * `npm run bench:smoke` (same code paths, tiny sizes, writes bench/out/; exits non-zero on any
 * error, never on a timing). See BENCHMARKS.md for what is measured and how.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openLocalKv } from '../src/upload/local-kv.js';
import { upload } from '../src/upload/upload.js';
import { type CorpusPost, loadFixtures, syntheticMatchesParser } from './lib/corpus.js';
import { ENGINES } from './lib/engines.js';
import { loadToolName } from './lib/load.js';
import {
  type Bundle,
  type WranglerSettings,
  buildBundle,
  commandOutput,
  fixturesDir,
  outDir,
  projectRoot,
  readWranglerToml,
  removeTempDirs,
  tempDir,
} from './lib/project.js';
import { int, kib, max, median, ms, now, ratio, table } from './lib/stats.js';
import { scatterSvg } from './lib/svg.js';
import { NO_MEMORY_CACHE, startImageOrigin, startWorker } from './lib/worker.js';
import { bundleComposition, startupCost, type StartupResult } from './sections/bundle.js';
import { compareEngines, type EngineComparison } from './sections/engines.js';
import { LIST_ENDPOINTS, type ListResult, type ListStore, listLatency } from './sections/lists.js';
import { type InProcessRender, type WorkerdRender, renderInProcess, renderInWorkerd, warmMedian } from './sections/render.js';
import { ARTICLE_PATH, type ThroughputResult, throughput } from './sections/throughput.js';
import { type Decomposition, PROBE_ROUTES, decompose } from './sections/decompose.js';
import { kvKeys } from '../src/store/kv-layout.js';
import { type DirectStore, SHOWN_ARTICLES, type UploadBench, directListStore, uploadBench, uploadedStore } from './sections/upload.js';

const SMOKE = process.argv.includes('--smoke');

/** A private copy of a KV store folder, for one more running Worker. */
async function copyOf(kvRoot: string): Promise<string> {
  const copy = await tempDir('kv-copy');
  await cp(kvRoot, copy, { recursive: true });
  return copy;
}

const P = SMOKE
  ? {
      fixtures: 3,
      renderRounds: 3,
      coldRuns: 1,
      engineRounds: 3,
      workerdRounds: 2,
      coldWorkers: 1,
      load: { connections: 8, seconds: 1, secondsNoMemory: 1, rounds: 1, warmSeconds: 0, sequential: 5 },
      probeSeconds: 1,
      probeRounds: 1,
      uploadN: 100,
      listSmallN: 60,
      listHugeN: 0,
      listRequests: 5,
      listWarmup: 1,
      startupRounds: 1,
    }
  : {
      fixtures: undefined,
      renderRounds: 40,
      coldRuns: 5,
      engineRounds: 40,
      workerdRounds: 6,
      coldWorkers: 3,
      load: { connections: 32, seconds: 10, secondsNoMemory: 5, rounds: 3, warmSeconds: 1, sequential: 100 },
      probeSeconds: 3,
      probeRounds: 2,
      uploadN: 10_000,
      listSmallN: 100,
      listHugeN: 100_000,
      listRequests: 200,
      listWarmup: 20,
      startupRounds: 5,
    };

/** Over this projected time the largest list store is written directly (see section 4). */
const HUGE_UPLOAD_LIMIT_MS = 180_000;

const errors: string[] = [];
const sectionLog: { name: string; ms: number; load: string }[] = [];
const log = (line: string) => console.error(`[bench] ${line}`);

async function section<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  log(`${name}…`);
  const start = now();
  const before = os.loadavg()[0]!;
  try {
    const value = await fn();
    return value;
  } catch (error) {
    errors.push(`${name}: ${(error as Error).stack ?? String(error)}`);
    log(`${name} FAILED: ${(error as Error).message}`);
    return null;
  } finally {
    const took = now() - start;
    sectionLog.push({ name, ms: took, load: `${before.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}` });
    log(`${name}: ${(took / 1000).toFixed(1)} s`);
  }
}

async function machine(): Promise<Record<string, string>> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const nproc = (await commandOutput('nproc', [])) ?? String(os.availableParallelism());
  const workerd = (await commandOutput(path.join(projectRoot, 'node_modules', '.bin', 'workerd'), ['--version'])) ?? 'unknown';
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    nproc,
    cpu: model,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    workerd: `${workerd} (npm workerd ${pkg('workerd')})`,
    miniflare: pkg('miniflare'),
    wrangler: pkg('wrangler'),
    linkedom: pkg('linkedom'),
    htmlrewriter: pkg('htmlrewriter'),
    load: await loadToolName().then(async (t) => (t === 'wrk' ? ((await commandOutput('sh', ['-c', 'wrk --version 2>&1 | head -1'])) ?? 'wrk') : `autocannon ${pkg('autocannon')}`)),
  };
}

/** Least-squares slope (ms per KiB) and intercept of y against body size. */
function fit(points: { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = now();
  const settings = readWranglerToml();
  const info = await machine();
  log(`${SMOKE ? 'smoke' : 'full'} run on ${info.nproc} cores, ${info.cpu}; load ${info.load}`);

  const bundle = await section('bundle build', () => buildBundle());
  const posts = loadFixtures(P.fixtures);

  // 1a and 2: in-process, before anything else has warmed linkedom in this process.
  const inproc = await section('render in Node', () => renderInProcess(posts, settings, P.renderRounds, P.coldRuns));
  const engines = await section('engine comparison', () => compareEngines(posts, settings, P.engineRounds));

  // 1b and 3: the real Worker over the fixtures.
  let workerd: WorkerdRender | null = null;
  let load: ThroughputResult | null = null;
  let parts: Decomposition | null = null;
  if (bundle) {
    const origin = await startImageOrigin();
    const kvRoot = await tempDir('kv-fixtures');
    const workers = await section('fixture store + Worker start', async () => {
      const dir = await fixtureDir(posts);
      const outcome = await upload({ dir, timeZone: 'UTC' }, () => openLocalKv(kvRoot, settings.kvNamespaceId));
      if (!outcome.ok) throw new Error(outcome.errors.join('; '));
      const common = { scriptPath: bundle.scriptPath, settings, upstream: origin.address, listen: true };
      // Each running Worker gets its own copy of the store: two workerd processes on one
      // persisted KV directory interfere (connections reset under load).
      const shipped = await startWorker({ ...common, kvRoot, cacheDir: await tempDir('cache-fixtures') });
      const noMemory = await startWorker({ ...common, kvRoot: await copyOf(kvRoot), cacheDir: await tempDir('cache-fixtures-nomem'), vars: NO_MEMORY_CACHE });
      return { shipped, noMemory };
    });
    if (workers) {
      workerd = await section('render in workerd', async () => {
        const main = await renderInWorkerd(workers.noMemory, posts, P.workerdRounds);
        // More cold samples: one round in each of a few more fresh Workers.
        for (let k = 1; k < P.coldWorkers; k++) {
          const fresh = await startWorker({ scriptPath: bundle.scriptPath, settings, kvRoot: await copyOf(kvRoot), cacheDir: await tempDir('cache-cold'), vars: NO_MEMORY_CACHE });
          try {
            const one = await renderInWorkerd(fresh, posts, 1);
            for (const [slug, values] of one.renderDur) if (values[0] !== undefined) main.cold.get(slug)?.push(values[0]);
            main.firstRequests.push(one.firstRequests[0]!);
            main.errors.push(...one.errors);
          } finally {
            await fresh.dispose();
          }
        }
        return main;
      });
      if (workerd) errors.push(...workerd.errors.map((e) => `render in workerd: ${e}`));
      load = await section('throughput', () =>
        throughput(
          [
            { label: 'shipped config', worker: workers.shipped, seconds: P.load.seconds, expectNoMemory: false },
            { label: 'memory cache off (HOT_CACHE_MS=0)', worker: workers.noMemory, seconds: P.load.secondsNoMemory, expectNoMemory: true },
          ],
          { ...P.load, originHits: origin.hits },
        ),
      );
      if (load) errors.push(...load.errors.map((e) => `throughput: ${e}`));
      parts = await section('cost decomposition', async () => {
        const page = await (await workers.shipped.fetch(ARTICLE_PATH)).text();
        const slug = decodeURIComponent(ARTICLE_PATH.split('/').pop()!);
        const post = posts.find((p) => p.slug === slug);
        if (!post) throw new Error(`${slug} is not in the corpus`);
        return decompose(
          { settings, kvRoot: await copyOf(kvRoot), cacheDir: await tempDir('cache-probe') },
          { article: kvKeys.article(slug), nav: kvKeys.nav(slug) },
          page,
          Buffer.byteLength(JSON.stringify(post.article)),
          { connections: P.load.connections, seconds: P.probeSeconds, rounds: P.probeRounds },
        );
      });
      await workers.shipped.dispose();
      await workers.noMemory.dispose();
    }
    await origin.close();
  }

  // 5 then 4: the upload's store is the middle list store.
  const up = await section('upload', () => uploadBench(P.uploadN, settings));
  const stores: ListStore[] = [];
  let direct: DirectStore | null = null;
  let hugeHow = '';
  const lists = await section('lists', async () => {
    const small = await uploadedStore(P.listSmallN, settings);
    stores.push({ n: P.listSmallN, kvRoot: small.kvRoot, how: `upload() (${(small.ms / 1000).toFixed(1)} s)` });
    if (up) stores.push({ n: up.n, kvRoot: up.kvRoot, how: `upload() (section 5)` });
    if (P.listHugeN > 0) {
      const projected = up ? (up.fresh.ms * P.listHugeN) / up.n : Infinity;
      if (projected <= HUGE_UPLOAD_LIMIT_MS) {
        const huge = await uploadedStore(P.listHugeN, settings);
        hugeHow = `upload() (${(huge.ms / 1000).toFixed(1)} s)`;
        stores.push({ n: P.listHugeN, kvRoot: huge.kvRoot, how: hugeHow });
      } else {
        direct = await directListStore(P.listHugeN, settings);
        hugeHow = `direct: planUpload + openLocalKv, list shards + meta + the ${SHOWN_ARTICLES} newest articles, i.e. every page requested here (${int(direct.keys)} keys in ${(direct.writeMs / 1000).toFixed(1)} s); upload() projected at ${(projected / 1000).toFixed(0)} s from section 5`;
        stores.push({ n: P.listHugeN, kvRoot: direct.kvRoot, how: hugeHow });
      }
    }
    if (!bundle) throw new Error('no bundle');
    const r = await listLatency(stores, bundle, settings, P.listRequests, P.listWarmup);
    errors.push(...r.errors.map((e) => `lists: ${e}`));
    return r.results;
  });

  const startup = bundle ? await section('start-up', () => startupCost(bundle, settings, P.startupRounds)) : null;
  const composition = bundle ? await section('bundle composition', () => bundleComposition(bundle)) : null;
  const parserMatch = syntheticMatchesParser();
  if (!parserMatch) errors.push('synthetic: direct StoredArticles differ from what parsePost makes of the same posts');

  const totalMs = now() - t0;
  const md = report({ started, totalMs, info, settings, bundle, posts, inproc, engines, workerd, load, parts, up, lists, direct, startup, composition });
  const svg = engines ? chart(posts, engines) : null;

  if (SMOKE) {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'BENCHMARKS.smoke.md'), md.replace('docs/bench-render.svg', 'bench-render.svg'));
    if (svg) await writeFile(path.join(outDir, 'bench-render.svg'), svg);
    log(`wrote ${path.relative(projectRoot, path.join(outDir, 'BENCHMARKS.smoke.md'))}`);
  } else {
    // Keep the load section that `npm run bench:load` writes (between its markers).
    const file = path.join(projectRoot, 'BENCHMARKS.md');
    const previous = await readFile(file, 'utf8').catch(() => '');
    const load = /<!-- load:start -->[\s\S]*<!-- load:end -->/.exec(previous)?.[0];
    await writeFile(file, load ? `${md.trimEnd()}\n\n${load}\n` : md);
    if (svg) await writeFile(path.join(projectRoot, 'docs', 'bench-render.svg'), svg);
    log('wrote BENCHMARKS.md and docs/bench-render.svg');
  }
  log(`total ${(totalMs / 1000).toFixed(1)} s`);
}

async function fixtureDir(posts: CorpusPost[]): Promise<string> {
  if (posts.length === loadFixtures().length) return fixturesDir;
  const dir = await tempDir('fixtures');
  for (const p of posts) await cp(path.join(fixturesDir, p.file), path.join(dir, p.file));
  return dir;
}

const COLORS: Record<string, string> = { linkedom: '#d9480f', 'lol-html': '#1c7ed6', string: '#2b8a3e' };

function chart(posts: CorpusPost[], engines: EngineComparison): string {
  return scatterSvg({
    title: `Body rewrite time vs size: ${posts.length} posts, median of ${engines.rounds} runs, Node ${process.version}`,
    xLabel: 'article body (KiB, UTF-8)',
    yLabel: 'time per body (ms, log scale)',
    series: ENGINES.map((e) => ({
      name: e === 'linkedom' ? 'linkedom (rewriteBody)' : e === 'lol-html' ? 'lol-html (htmlrewriter wasm)' : 'string scan (regex)',
      color: COLORS[e]!,
      points: posts.map((p) => ({ x: p.bodyBytes / 1024, y: engines.perPost[e].get(p.slug)! })),
    })),
    note: 'Generated by npm run bench (bench/lib/svg.ts). Timings from a shared 2-core machine: re-run on a quiet one.',
  });
}

// ---------------------------------------------------------------------------------------------
// The report

interface ReportInput {
  started: Date;
  totalMs: number;
  info: Record<string, string>;
  settings: WranglerSettings;
  bundle: Bundle | null;
  posts: CorpusPost[];
  inproc: InProcessRender | null;
  engines: EngineComparison | null;
  workerd: WorkerdRender | null;
  load: ThroughputResult | null;
  parts: Decomposition | null;
  up: UploadBench | null;
  lists: ListResult[] | null;
  direct: DirectStore | null;
  startup: StartupResult | null;
  composition: { owner: string; bytes: number }[] | null;
}

const yes = (ok: boolean) => (ok ? 'yes' : '**NO**');

function report(r: ReportInput): string {
  const out: string[] = [];
  const targets: (string | number)[][] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    `Generated by \`${SMOKE ? 'npm run bench:smoke' : 'npm run bench'}\` on ${r.started.toISOString()} in ${(r.totalMs / 1000).toFixed(0)} s. ` +
      'Every number below comes from that one run; ratios compare samples taken in the same run, interleaved.',
  );
  out.push('');
  out.push(
    '> **Noise warning.** This run was made on a shared 2-core machine while other work (test suites) ran on it: ' +
      'absolute timings are noisy and pessimistic, and the load averages below show how busy it was. ' +
      'Ratios are more trustworthy than absolute values. **Re-run `npm run bench` on a quiet machine before quoting final numbers.**',
  );
  out.push('');
  out.push(table(['machine', ''], Object.entries(r.info).map(([k, v]) => [k, v])));
  out.push('');
  out.push(table(['section', 'time (s)', 'load average (1 min) before → after'], sectionLog.map((s) => [s.name, (s.ms / 1000).toFixed(1), s.load])));
  out.push('');

  // ---- 1
  const body: string[] = [];
  body.push('## 1. Render on a cache miss (parse + rewrite + template)');
  body.push('');
  if (r.inproc && r.workerd) {
    const { inproc, workerd } = r;
    const rows = [...r.posts].sort((a, b) => a.bodyBytes - b.bodyBytes);
    const nodeWarm = r.posts.map((p) => inproc.warm.get(p.slug)!);
    const wdWarm = r.posts.map((p) => warmMedian(workerd.renderDur.get(p.slug)));
    const wdFirst = r.posts.map((p) => median(workerd.cold.get(p.slug) ?? []));
    const missMinusHit = r.posts.map((p) => warmMedian(workerd.missWall.get(p.slug)) - warmMedian(workerd.hitWall.get(p.slug)));
    const f = fit(r.posts.map((p) => ({ x: p.bodyBytes / 1024, y: inproc.warm.get(p.slug)! })));
    const allNode = max(nodeWarm) < 10;
    const allWd = max(wdWarm) < 10;
    targets.push(['render < 10 ms, every post (Node, warm median)', `max ${ms(max(nodeWarm))} ms`, yes(allNode)]);
    targets.push(['render < 10 ms, every post (workerd `render;dur`, warm median)', `max ${ms(max(wdWarm))} ms`, yes(allWd)]);
    targets.push(['render < 10 ms, first render of each post in a fresh Worker (median of fresh Workers)', `max ${ms(max(wdFirst))} ms`, yes(max(wdFirst) < 10)]);
    body.push(
      `**(a) In Node** (\`renderArticleHtml(config, article, nav)\`, config from \`getConfig\` with the wrangler.toml vars and a signing key, ` +
        `articles via \`parsePost\` + \`toStoredArticle\`, navs from \`buildIndex\`): median of ${inproc.rounds} interleaved warm runs per post. ` +
        `Median post ${ms(median(nodeWarm))} ms, max ${ms(max(nodeWarm))} ms, whole corpus ${ms(nodeWarm.reduce((s, v) => s + v, 0))} ms; ` +
        `fit ≈ ${ms(f.intercept)} ms + ${ms(f.slope)} ms/KiB of body. ` +
        `First render of each post (code already warm from earlier posts): max ${ms(max([...inproc.firstOfPost.values()]))} ms. ` +
        `First render in a fresh process (${inproc.cold.file}, ${inproc.cold.firstMs.length} child processes): median ${ms(median(inproc.cold.firstMs))} ms ` +
        `(second call ${ms(median(inproc.cold.secondMs))} ms; importing the renderer ${ms(median(inproc.cold.importMs))} ms).`,
    );
    body.push('');
    body.push(
      `**(b) In workerd** (the \`wrangler deploy --dry-run\` bundle in Miniflare ${r.info.miniflare}, fixtures uploaded with \`upload()\` to a temp persisted KV, isolate-memory cache off with \`HOT_CACHE_MS=0\` since it is keyed by path): ` +
        `each post requested once per round, ${workerd.rounds} rounds, each round under a new origin so the render-cache key is new (a miss); ` +
        '`render;dur` read from `Server-Timing`. workerd\'s clock has 1 ms resolution, so `render;dur` is quantised to whole ms ' +
        '(0 means < 1 ms); the "miss − hit" column is the client-side (Node clock) time of the miss minus that of a later request for the same URL ' +
        '(same round, after all its misses) that hits the render cache: a finer but indirect estimate of render + cache write − cache read. ' +
        '"Cold" = the first render of each post in a fresh Worker (JIT cold; one sample per fresh Worker, ' +
        `median over ${workerd.firstRequests.length} fresh Workers); warm = median of rounds 2–${workerd.rounds} in one Worker. ` +
        `The very first article request of a fresh Worker (${workerd.firstRequests[0]?.slug}, ${workerd.firstRequests.length} fresh Workers) rendered in ` +
        `${workerd.firstRequests.map((f) => ms(f.renderDur)).join(', ')} ms (${workerd.firstRequests.map((f) => ms(f.wall)).join(', ')} ms end to end).`,
    );
    body.push('');
    body.push(
      `Max: Node warm ${ms(max(nodeWarm))} ms; workerd warm ${ms(max(wdWarm))} ms; workerd cold first render ${ms(max(wdFirst))} ms. ` +
        `All < 10 ms: Node warm ${yes(allNode)}, workerd warm ${yes(allWd)}, workerd cold first render ${yes(max(wdFirst) < 10)}.`,
    );
    body.push('');
    body.push('<details><summary>Per post (sorted by body size)</summary>');
    body.push('');
    body.push(
      table(
        ['post', 'body bytes', 'Node warm (ms)', 'Node 1st of post (ms)', 'workerd render;dur warm (ms)', 'workerd render;dur cold (ms)', 'workerd miss − hit (ms)'],
        rows.map((p) => [
          p.slug,
          p.bodyBytes,
          ms(inproc.warm.get(p.slug)!),
          ms(inproc.firstOfPost.get(p.slug)!),
          ms(warmMedian(workerd.renderDur.get(p.slug))),
          ms(median(workerd.cold.get(p.slug) ?? [])),
          ms(warmMedian(workerd.missWall.get(p.slug)) - warmMedian(workerd.hitWall.get(p.slug))),
        ]),
      ),
    );
    body.push('');
    body.push('</details>');
    body.push('');
    body.push(`Median miss − hit over posts: ${ms(median(missMinusHit.filter(Number.isFinite)))} ms.`);
  } else body.push('*failed: see errors*');
  body.push('');

  // ---- 2
  body.push('## 2. Engine comparison (body rewrite only)');
  body.push('');
  if (r.engines) {
    const e = r.engines;
    body.push(
      `Every corpus post, ${e.rounds} interleaved rounds (posts in rotated order, engines in rotated order per post, 3 warm-up rounds discarded), median per post. ` +
        '**linkedom** = the project\'s `rewriteBody` (parse, allowlist sanitising, proxy unwrapping, excerpt, own serialiser). ' +
        '**lol-html** = the npm `htmlrewriter` wasm build of lol-html, driven synchronously (raw rewriter, no stream wrapper), element handlers for ' +
        '`img` (src, data-original, data-src, srcset), `source`, `video[poster]`, `a[href]` doing the same URL resolution (`rewriteImageUrl`), plus removal of the ' +
        'sanitiser\'s REMOVE elements; no attribute allowlist, no excerpt. **string** = one regex over `src`/`data-original` attribute values with the same URL ' +
        'resolution, no parsing or sanitising. lol-html and string therefore do less than linkedom: they are lower bounds for an equivalent. ' +
        'In production workerd\'s HTMLRewriter is native lol-html, faster than this wasm build.',
    );
    body.push('');
    body.push(
      table(
        ['engine', 'median post (ms)', 'whole corpus (ms, sum of medians)', 'image-route URLs emitted'],
        ENGINES.map((n) => [n, ms(e.medianPostMs[n]), ms(e.corpusMs[n]), e.routes[n]]),
      ),
    );
    body.push('');
    body.push(
      `Ratios: linkedom/lol-html = **${ratio(e.corpusMs.linkedom / e.corpusMs['lol-html'])}** (corpus), ${ratio(e.ratioMedian.lolHtml)} (median of per-post ratios); ` +
        `linkedom/string = **${ratio(e.corpusMs.linkedom / e.corpusMs.string)}** (corpus), ${ratio(e.ratioMedian.string)} (median of per-post ratios). ` +
        '(linkedom emits fewer route URLs because it folds `data-original` into `src` and drops unusable images; the others rewrite every attribute they see.)',
    );
    body.push('');
    body.push('![render time vs post size for linkedom, lol-html and a string scan](docs/bench-render.svg)');
    body.push('');
    body.push('<details><summary>Per post (ms)</summary>');
    body.push('');
    body.push(
      table(
        ['post', 'body bytes', ...ENGINES],
        [...r.posts].sort((a, b) => a.bodyBytes - b.bodyBytes).map((p) => [p.slug, p.bodyBytes, ...ENGINES.map((n) => ms(e.perPost[n].get(p.slug)!))]),
      ),
    );
    body.push('');
    body.push('</details>');
  } else body.push('*failed: see errors*');
  body.push('');

  // ---- 3
  body.push('## 3. Throughput in workerd');
  body.push('');
  if (r.load) {
    const l = r.load;
    body.push(
      `Miniflare's Node API (\`new Miniflare({ scriptPath, modules, compatibilityDate, compatibilityFlags, kvNamespaces, kvPersist, cachePersist, bindings, outboundService })\`) on 127.0.0.1, ` +
        `load by ${l.tool === 'wrk' ? `\`wrk -t1 -c${l.connections} --latency\`` : `autocannon (${l.connections} connections)`}, ` +
        `${l.rounds} interleaved rounds (every target of both setups once per round, rotated order), after a warm-up. ` +
        'Two Workers over the same KV store: the **shipped config** (wrangler.toml vars, whose isolate-memory cache `HOT_CACHE_MS` answers repeat requests ' +
        'without KV or Cache API) and the same bundle with **the memory cache off** (`HOT_CACHE_MS=0`: every request reads KV and the Cache API, as the first request ' +
        'for a page in each new isolate does). The image URL is the first `/img/…` of the article; its upstream (the original host) is answered by a local HTTP server on ' +
        `127.0.0.1 through Miniflare's \`outboundService\` (hit ${l.originHits} time(s) in total, i.e. only while warming). ` +
        'On 2 cores the load generator and workerd share the CPU, so req/s are lower bounds.',
    );
    body.push('');
    const rows: (string | number)[][] = [];
    for (const s of l.setups) {
      for (const t of l.targets) {
        const runs = s.runs.get(t.name)!;
        const seq = s.sequential.get(t.name)!;
        rows.push([
          s.label,
          t.name,
          `${s.seconds} s`,
          int(median(runs.map((x) => x.rps))),
          runs.map((x) => int(x.rps)).join(', '),
          t.name === 'robots' ? '1' : ratio(s.ratios.get(t.name)!),
          ms(median(runs.map((x) => x.p50))),
          ms(median(runs.map((x) => x.p99))),
          runs.reduce((n, x) => n + x.errors, 0),
          ms(seq.wall),
          seq.serverTiming || '—',
        ]);
      }
    }
    body.push(
      table(['setup', 'target', 'run', 'req/s (median)', 'req/s per round', 'ratio to robots', 'p50 (ms)', 'p99 (ms)', 'errors', 'single request (ms)', 'Server-Timing (single request)'], rows),
    );
    body.push('');
    body.push(`Paths: ${l.targets.map((t) => `${t.name} \`${t.path.length > 70 ? `${t.path.slice(0, 67)}…` : t.path}\``).join(', ')}.`);
    body.push('');
    const shipped = l.setups[0]!;
    const off = l.setups[1];
    body.push(
      `Ratios (median of per-round ratios), shipped config: article/robots = **${ratio(shipped.ratios.get('article')!)}**, image/robots = **${ratio(shipped.ratios.get('image')!)}** (target ≥ 0.8)` +
        (off ? `; memory cache off: article/robots = **${ratio(off.ratios.get('article')!)}**, image/robots = **${ratio(off.ratios.get('image')!)}**.` : '.'),
    );
    targets.push(['cache-hit article / robots.txt req/s ≥ 0.8 (shipped config)', ratio(shipped.ratios.get('article')!), yes(shipped.ratios.get('article')! >= 0.8)]);
    targets.push(['cache-hit image / robots.txt req/s ≥ 0.8 (shipped config)', ratio(shipped.ratios.get('image')!), yes(shipped.ratios.get('image')! >= 0.8)]);
    if (off) {
      targets.push(['… same, memory cache off: article', ratio(off.ratios.get('article')!), yes(off.ratios.get('article')! >= 0.8)]);
      targets.push(['… same, memory cache off: image', ratio(off.ratios.get('image')!), yes(off.ratios.get('image')! >= 0.8)]);
    }
  } else body.push('*failed: see errors*');
  body.push('');
  body.push('### 3b. Where a cache-hit article request goes (memory cache off)');
  body.push('');
  if (r.parts) {
    const d = r.parts;
    const what: Record<string, string> = {
      '/noop': 'return "ok" (baseline: Miniflare entry + HTTP)',
      '/kv-article': `KV get of the article (${kib(d.articleBytes)} JSON) + JSON.parse`,
      '/kv-article-and-nav': 'KV get of article and nav in parallel + JSON.parse (what the route does before the ETag)',
      '/cache-match': `caches.default.match of the rendered page (${kib(d.pageBytes)}) + text()`,
      '/page-from-memory': `return the rendered page from a module variable (${kib(d.pageBytes)} response body)`,
    };
    body.push(
      'A probe Worker (bench/sections/decompose.ts) in the same Miniflare setup (same KV store, cache service, bindings) does one piece of the ' +
        `route's work per path; each is loaded like above (${d.rounds} rounds × ${d.seconds} s, rotated). Cost = 1/req/s − 1/req/s of \`/noop\`, i.e. the added ` +
        'service time per request on workerd\'s JS thread. These are Miniflare\'s local KV and Cache API (SQLite + files behind internal services), ' +
        'not Cloudflare\'s: they show where the local time goes, and the relative weight of the pieces.',
    );
    body.push('');
    body.push(
      table(
        ['probe', 'does', 'req/s per round', 'added cost per request (ms)'],
        PROBE_ROUTES.map((route) => [route, what[route] ?? '', d.rps.get(route)!.map(int).join(', '), route === '/noop' ? '0' : ms(d.costMs.get(route)!)]),
      ),
    );
    const off = r.load?.setups[1];
    if (off) {
      const rps = (name: string) => median(off.runs.get(name)!.map((x) => x.rps));
      const extra = 1000 / rps('article') - 1000 / rps('robots');
      const kv = d.costMs.get('/kv-article-and-nav')!;
      const cache = d.costMs.get('/cache-match')!;
      body.push('');
      body.push(
        `The memory-cache-off article (section 3) costs ${ms(extra)} ms more per request than \`/robots.txt\` (1/${int(rps('article'))} − 1/${int(rps('robots'))} req/s). ` +
          `The probes account for ${ms(kv + cache)} ms of it: reading article + nav from KV ${ms(kv)} ms, the render-cache lookup ${ms(cache)} ms; ` +
          `the remaining ≈ ${ms(extra - kv - cache)} ms is the route's own JavaScript (validating the parsed article, hashing the nav for the ETag, ` +
          'building headers, Hono routing).',
      );
    }
  } else body.push('*failed: see errors*');
  body.push('');

  // ---- 4
  body.push('## 4. Lists don\'t grow');
  body.push('');
  if (r.lists && r.lists.length > 0) {
    const base = r.lists[0]!;
    body.push(
      `Synthetic posts (~2 KB, two proxied images, categories: one of 5 plus \`source\` on every post). One Worker per store (isolate-memory cache off, \`HOT_CACHE_MS=0\`, so every request reads the index meta and one shard from KV), ${P.listRequests} sequential requests per endpoint ` +
        `and store after ${P.listWarmup} warm-up rounds, interleaved across endpoints and stores; client-side median (ms) and the median \`kv;dur\` from Server-Timing. ` +
        `\`/categories/source\` is the largest category (every post). Stores: ${r.lists.map((x) => `N=${int(x.n)}: ${x.how}`).join('; ')}.`,
    );
    body.push('');
    const head = ['endpoint', ...r.lists.map((x) => `N=${int(x.n)} (ms)`), ...r.lists.slice(1).map((x) => `ratio N=${int(x.n)}/N=${int(base.n)}`), 'kv;dur by N (ms)', 'bytes by N'];
    let worst = 0;
    const rows = LIST_ENDPOINTS.map((ep) => {
      const b = base.endpoints.get(ep)!;
      const ratios = r.lists!.slice(1).map((x) => x.endpoints.get(ep)!.wall / b.wall);
      worst = Math.max(worst, ...ratios);
      return [
        ep,
        ...r.lists!.map((x) => ms(x.endpoints.get(ep)!.wall)),
        ...ratios.map(ratio),
        r.lists!.map((x) => ms(x.endpoints.get(ep)!.kv)).join(' / '),
        r.lists!.map((x) => x.endpoints.get(ep)!.bytes).join(' / '),
      ];
    });
    body.push(table(head, rows));
    body.push('');
    body.push(`Worst ratio vs N=${int(base.n)}: **${ratio(worst)}** (target ≤ 1.25).`);
    targets.push([`list latency at the largest N / N=${int(base.n)} ≤ 1.25 (worst endpoint)`, ratio(worst), yes(worst <= 1.25)]);
  } else body.push('*failed: see errors*');
  body.push('');

  // ---- 5
  body.push('## 5. Upload');
  body.push('');
  if (r.up) {
    const u = r.up;
    body.push(
      `\`upload()\` from src/upload/upload.ts with \`openLocalKv\` into a fresh temp root (the same code path as \`npm run upload\`, which always writes to the project's .wrangler), ` +
        `${int(u.n)} synthetic posts (${kib(u.postsBytes)} of files, generated in ${ms(u.generateMs)} ms, not counted). Phase times come from upload()'s own \`writing N …\` log lines.`,
    );
    body.push('');
    body.push(
      table(
        ['run', 'time (s)', 'keys written', 'summary'],
        [
          [`${int(u.n)} new articles`, (u.fresh.ms / 1000).toFixed(1), int(u.fresh.writes), u.fresh.summary],
          ['rerun, nothing changed', (u.unchanged.ms / 1000).toFixed(1), int(u.unchanged.writes), u.unchanged.summary],
          [`one article's body changed (${u.changedOne.slug})`, (u.changedOne.ms / 1000).toFixed(1), int(u.changedOne.writes), u.changedOne.summary],
        ],
      ),
    );
    body.push('');
    body.push('Phases of the first upload:');
    body.push('');
    body.push(table(['phase', 'keys', 'time (s)', 'ms per key'], u.fresh.phases.map((p) => [p.label, int(p.keys), (p.ms / 1000).toFixed(1), p.keys ? ms(p.ms / p.keys) : ''])));
    body.push('');
    body.push(`Keys written when one article changed: ${u.changedOne.keys.map((k) => `${k.label}: ${k.keys.map((x) => `\`${x}\``).join(', ')}`).join('; ')}.`);
    targets.push([`upload ${int(u.n)} new < 60 s`, `${(u.fresh.ms / 1000).toFixed(1)} s`, yes(u.fresh.ms < 60_000)]);
    targets.push(['rerun unchanged < 10 s, zero writes', `${(u.unchanged.ms / 1000).toFixed(1)} s, ${u.unchanged.writes} writes`, yes(u.unchanged.ms < 10_000 && u.unchanged.writes === 0)]);
    const articleKeys = u.changedOne.keys.flatMap((k) => k.keys).filter((k) => k.includes(':article:'));
    targets.push(['change one: the article + only the shards it touches', `${u.changedOne.writes} keys (${articleKeys.length} article)`, yes(articleKeys.length === 1)]);
  } else body.push('*failed: see errors*');
  body.push('');

  // ---- 6
  body.push('## 6. Bundle');
  body.push('');
  if (r.bundle) {
    const b = r.bundle;
    body.push(
      `\`npx wrangler deploy --dry-run --outdir <tmp>\` (${ms(b.buildMs / 1000)} s): **${kib(b.rawBytes)} raw, ${kib(b.gzipBytes)} gzip -9** ` +
        `(wrangler says: "${b.wranglerLine}"). Target < 200 KB gzipped: ${yes(b.gzipBytes < 200 * 1000)}.`,
    );
    targets.push(['bundle < 200 KB gzipped', kib(b.gzipBytes), yes(b.gzipBytes < 200 * 1000)]);
    if (r.composition) {
      const total = r.composition.reduce((s, c) => s + c.bytes, 0);
      body.push('');
      body.push('Where the raw bytes come from (generated code attributed to its source through the bundle\'s source map):');
      body.push('');
      body.push(table(['source', 'raw bytes', 'share'], r.composition.slice(0, 12).map((c) => [c.owner, int(c.bytes), `${((c.bytes / total) * 100).toFixed(1)}%`])));
    }
    if (r.startup) {
      const s = r.startup;
      body.push('');
      body.push(
        `Module start-up: **\`import()\` of the bundle in a fresh workerd isolate takes ${ms(s.medianImportMs)} ms** (median of ${s.rounds} fresh Miniflare instances; ` +
          `each: ${s.importMs.map(ms).join(', ')} ms), and its first request (\`/robots.txt\`) then ${ms(s.medianFirstRequestMs)} ms. ` +
          'Method: a wrapper module bundled beside it (same Miniflare options, bindings and services) imports the bundle on its first request and times ' +
          'the import with `performance.now()` (workerd\'s clock: 1 ms resolution, enough here), i.e. V8 compile of the top level + evaluation of every module ' +
          '(linkedom, hono, src/), as a cold isolate pays it before its first request. Process spawn and Miniflare set-up are not included.',
      );
    }
  } else body.push('*failed: see errors*');
  body.push('');

  // ---- summary first
  out.push('## Targets');
  out.push('');
  out.push(table(['target', 'measured', 'met'], targets));
  out.push('');
  if (errors.length > 0) {
    out.push('## Errors');
    out.push('');
    out.push('```');
    out.push(...errors.map((e) => e.split('\n').slice(0, 6).join('\n')));
    out.push('```');
    out.push('');
  }
  out.push(...body);
  out.push('## How to run');
  out.push('');
  out.push('```sh');
  out.push('apt-get install -y wrk   # optional: used when present, else autocannon (a dev dependency)');
  out.push('npm run bench            # full run, < 10 minutes on 2 cores; rewrites BENCHMARKS.md and docs/bench-render.svg');
  out.push('npm run bench:smoke      # same code paths, tiny sizes, < 60 s; writes bench/out/, exits non-zero on any error');
  out.push('```');
  out.push('');
  out.push('Code: `bench/run.ts` (orchestration and this report), `bench/sections/*.ts` (one file per measurement), `bench/lib/*.ts` (worker, load, corpus, engines, chart). ' +
    'Temp stores live under the OS temp folder (`ecp-bench/`) and are removed at the end. Set `BENCH_LOAD=autocannon` to force autocannon.');
  out.push('');
  return out.join('\n');
}

/**
 * The closing line CI adds up (`N passed, N failed`): a section passed when it finished and no
 * error names it (errors start with their section's name); an error naming no section (or a hung
 * run, `extra`) is one failure more. Timings never fail it.
 */
function countLine(extra = 0): string {
  const failedSections = new Set<string>();
  let other = extra;
  for (const e of errors) {
    const owner = sectionLog.find((s) => e.startsWith(`${s.name}: `));
    if (owner) failedSections.add(owner.name);
    else other++;
  }
  const ok = sectionLog.filter((s) => !failedSections.has(s.name)).length;
  return `bench${SMOKE ? ' smoke' : ''}: ${ok} passed, ${failedSections.size + other} failed`;
}

// A hung Worker or load tool must not hang CI: give up well after the expected time.
const WATCHDOG_MS = SMOKE ? 180_000 : 20 * 60_000;
setTimeout(() => {
  console.error(`[bench] watchdog: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  console.log(countLine(1));
  void removeTempDirs().finally(() => process.exit(2));
}, WATCHDOG_MS).unref();

main()
  .catch((error: unknown) => {
    errors.push(`bench: ${(error as Error).stack ?? String(error)}`);
  })
  .finally(async () => {
    await removeTempDirs();
    if (errors.length > 0) {
      console.error(`\n${errors.length} error(s):`);
      for (const e of errors) console.error(`- ${e}`);
    }
    console.log(countLine());
    process.exit(errors.length > 0 ? 1 : 0);
  });
