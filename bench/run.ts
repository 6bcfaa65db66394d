/**
 * `npm run bench` (full: rewrites BENCHMARKS.md and docs/bench-render.svg) and
 * `npm run bench:smoke` (the same code paths on tiny sizes, writes bench/out/; exits non-zero on
 * any error, never on a timing; prints `bench smoke: N passed, M failed`). BENCHMARKS.md says what
 * is measured and how; bench/report.ts writes it.
 *
 * Options: `--sections=a,b` runs only those groups (render, engines, workerd, upload, lists,
 * search, bundle; lists and search need upload), `--sizes=1000,10000` the upload sizes,
 * `--state-dir=DIR` where the upload state folders go (default: the OS temp folder, on disk like
 * a user's .wrangler/state), `--out=FILE` the report file.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { kvKeys } from '../src/store/kv-layout.js';
import { type CorpusPost, fixtureFolder, loadCorpus } from './lib/corpus.js';
import { loadToolName } from './lib/load.js';
import { pathsBySlug, uploadInProcess } from './lib/local-upload.js';
import { buildBundle, bundleEntry, commandOutput, outDir, projectRoot, readWranglerToml, removeTempDirs, tempDir } from './lib/project.js';
import { now } from './lib/stats.js';
import { createTree, removeTree } from './lib/tree.js';
import { NO_MEMORY_CACHE, type RunningWorker, startImageOrigin, startWorker } from './lib/worker.js';
import { type ReportInput, chart, report } from './report.js';
import { bundleComposition, startupCost } from './sections/bundle.js';
import { decompose } from './sections/decompose.js';
import { compareEngines } from './sections/engines.js';
import { listLatency } from './sections/lists.js';
import { renderInProcess, renderInWorkerd } from './sections/render.js';
import { type SearchSize, hexoSearchXml, ourSearchXml, queryLatency, rowsPerNewPost, storeStats } from './sections/search.js';
import { ARTICLE_SLUG, throughput } from './sections/throughput.js';
import { localKvPutCost, uploadAtSize } from './sections/upload.js';

const SMOKE = process.argv.includes('--smoke');
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

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
      uploadSizes: [250],
      baselineN: 100,
      listSizes: [250],
      searchSizes: [250],
      listRequests: 3,
      listWarmup: 1,
      searchRounds: 1,
      inserts: 3,
      startupRounds: 1,
    }
  : {
      fixtures: undefined,
      renderRounds: 40,
      coldRuns: 5,
      engineRounds: 40,
      workerdRounds: 6,
      coldWorkers: 3,
      load: { connections: 32, seconds: 8, secondsNoMemory: 5, rounds: 3, warmSeconds: 1, sequential: 100 },
      probeSeconds: 3,
      probeRounds: 2,
      uploadSizes: [1_000, 10_000, 100_000],
      baselineN: 100,
      listSizes: [10_000, 100_000],
      searchSizes: [1_000, 10_000, 100_000],
      listRequests: 30,
      listWarmup: 3,
      searchRounds: 5,
      inserts: 100,
      startupRounds: 5,
    };
const sizesArg = arg('sizes');
if (sizesArg) {
  P.uploadSizes = sizesArg.split(',').map(Number);
  P.listSizes = P.listSizes.filter((n) => P.uploadSizes.includes(n));
  P.searchSizes = P.searchSizes.filter((n) => P.uploadSizes.includes(n));
  if (P.listSizes.length === 0) P.listSizes = [Math.max(...P.uploadSizes)];
  if (P.searchSizes.length === 0) P.searchSizes = P.uploadSizes;
}
const GROUPS = new Set((arg('sections') ?? 'render,engines,workerd,upload,lists,search,bundle').split(','));
const STATE_DIR = arg('state-dir');

const errors: string[] = [];
const sectionLog: { name: string; ms: number; load: string }[] = [];
const log = (line: string) => console.error(`[bench] ${line}`);

async function section<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  log(`${name}…`);
  const start = now();
  const before = os.loadavg()[0]!;
  try {
    return await fn();
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
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const nproc = (await commandOutput('nproc', [])) ?? String(os.availableParallelism());
  const workerd = (await commandOutput(path.join(projectRoot, 'node_modules', '.bin', 'workerd'), ['--version'])) ?? 'unknown';
  const pkg = async (name: string) => {
    try {
      return (JSON.parse(await readFile(path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const disk = (await commandOutput('sh', ['-c', `df -h ${JSON.stringify(STATE_DIR ?? os.tmpdir())} | tail -1`])) ?? '';
  return {
    nproc: `${nproc} (shared with other agents' work during the run)`,
    cpu: model,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    workerd: `${workerd} (npm workerd ${await pkg('workerd')})`,
    miniflare: await pkg('miniflare'),
    wrangler: await pkg('wrangler'),
    linkedom: await pkg('linkedom'),
    htmlrewriter: await pkg('htmlrewriter'),
    load: await loadToolName().then(async (t) => (t === 'wrk' ? ((await commandOutput('sh', ['-c', 'wrk --version 2>&1 | head -1'])) ?? 'wrk') : `autocannon ${await pkg('autocannon')}`)),
    'upload state folder': `${STATE_DIR ?? os.tmpdir()} (${disk.split(/\s+/)[0] ?? ''})`,
  };
}

/** A private copy of a state folder, for one more running Worker (two workerd on one folder interfere). */
async function copyOf(state: string): Promise<string> {
  const copy = await tempDir('state-copy');
  await cp(state, copy, { recursive: true });
  return copy;
}

async function stateFolder(label: string): Promise<string> {
  if (!STATE_DIR) return tempDir(label);
  const { mkdtemp } = await import('node:fs/promises');
  await mkdir(STATE_DIR, { recursive: true });
  const dir = await mkdtemp(path.join(STATE_DIR, `ecp-bench-${label}-`));
  extraDirs.push(dir);
  return dir;
}
const extraDirs: string[] = [];

async function main(): Promise<void> {
  const started = new Date();
  const t0 = now();
  const settings = readWranglerToml();
  const info = await machine();
  log(`${SMOKE ? 'smoke' : 'full'} run on ${info.nproc}, ${info.cpu}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const r: ReportInput = { smoke: SMOKE, started, totalMs: 0, info, settings, params: P, sectionLog, errors, bundle: null, posts: [], inproc: null, engines: null, workerd: null, load: null, parts: null, uploads: [], kvPutCost: null, stores: new Map(), lists: null, search: [], startup: null, composition: null };

  r.bundle = await section('bundle build', () => buildBundle());
  const probePath = r.bundle ? await section('probe Worker build', () => bundleEntry(path.join(projectRoot, 'bench', 'lib', 'probe-worker.ts'), 'probe', settings)) : null;
  const fixtureDir = await fixtureFolder(P.fixtures);
  const posts: CorpusPost[] = (await section('fixtures', () => loadCorpus(fixtureDir))) ?? [];
  r.posts = posts;

  // In-process render and engines first, before anything else has warmed linkedom in this process.
  if (GROUPS.has('render') && posts.length) r.inproc = await section('render in Node', () => renderInProcess(posts, settings, P.renderRounds, P.coldRuns));
  if (GROUPS.has('engines') && posts.length) r.engines = await section('engine comparison', () => compareEngines(posts, settings, P.engineRounds));

  // The real Worker over the fixtures: render, throughput, cost decomposition.
  if (GROUPS.has('workerd') && r.bundle && posts.length) {
    const bundle = r.bundle;
    const origin = await startImageOrigin();
    const state = await tempDir('state-fixtures');
    const workers = await section('fixture store + Worker start', async () => {
      const { plan } = await uploadInProcess(fixtureDir, state, settings);
      const common = { scriptPath: bundle.scriptPath, settings, upstream: origin.address, listen: true };
      const shipped = await startWorker({ ...common, state, cacheDir: await tempDir('cache-fixtures') });
      const noMemory = await startWorker({ ...common, state: await copyOf(state), cacheDir: await tempDir('cache-fixtures-nomem'), vars: NO_MEMORY_CACHE });
      return { shipped, noMemory, paths: pathsBySlug(plan) };
    });
    if (workers) {
      r.workerd = await section('render in workerd', async () => {
        const main = await renderInWorkerd(workers.noMemory, posts, P.workerdRounds);
        for (let k = 1; k < P.coldWorkers; k++) {
          const fresh = await startWorker({ scriptPath: bundle.scriptPath, settings, state: await copyOf(state), cacheDir: await tempDir('cache-cold'), vars: NO_MEMORY_CACHE });
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
      if (r.workerd) errors.push(...r.workerd.errors.map((e) => `render in workerd: ${e}`));
      const articleSlug = workers.paths.has(ARTICLE_SLUG) ? ARTICLE_SLUG : posts[0]!.slug;
      const articlePath = encodeURI(workers.paths.get(articleSlug)!);
      r.load = await section('throughput', () =>
        throughput(
          [
            { label: 'shipped config', worker: workers.shipped, seconds: P.load.seconds, expectNoMemory: false },
            { label: 'memory cache off (HOT_CACHE_MS=0)', worker: workers.noMemory, seconds: P.load.secondsNoMemory, expectNoMemory: true },
          ],
          { ...P.load, articlePath, originHits: origin.hits },
        ),
      );
      if (r.load) errors.push(...r.load.errors.map((e) => `throughput: ${e}`));
      r.parts = await section('cost decomposition', async () => {
        const page = await (await workers.shipped.fetch(articlePath)).text();
        const post = posts.find((p) => p.slug === articleSlug)!;
        return decompose(
          { settings, state: await copyOf(state), cacheDir: await tempDir('cache-probe') },
          { index: kvKeys.index, link: kvKeys.link(post.path) },
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

  // Upload at scale: one tree grown 1k → 10k → 100k, one state folder per size; the N = 100
  // baseline store (every post in the focus lists) for the list ratios.
  if (GROUPS.has('upload')) {
    const baselineTree = await createTree(await tempDir('tree-baseline'), true);
    const baseline = await section(`upload N=${P.baselineN} (list baseline)`, async () => uploadAtSize(baselineTree, P.baselineN, await stateFolder('state-baseline'), log, { scenarios: false }));
    if (baseline) r.uploads.push({ ...baseline, baseline: true });
    await removeTree(baselineTree);
    const tree = await createTree(await tempDir('tree'));
    for (const n of [...P.uploadSizes].sort((a, b) => a - b)) {
      const size = await section(`upload N=${n}`, async () => uploadAtSize(tree, n, await stateFolder(`state-${n}`), log));
      if (size) r.uploads.push({ ...size, baseline: false });
      else break;
    }
    r.kvPutCost = await section('local KV put cost', async () => {
      const dirs = [{ label: `state folder's disk (${STATE_DIR ?? os.tmpdir()})`, dir: await stateFolder('kv-put-cost') }];
      if (await import('node:fs').then((fs) => fs.existsSync('/dev/shm'))) {
        const shm = await import('node:fs/promises').then((fs) => fs.mkdtemp('/dev/shm/ecp-bench-kv-'));
        extraDirs.push(shm);
        dirs.push({ label: 'tmpfs (/dev/shm)', dir: shm });
      }
      return localKvPutCost(dirs, SMOKE ? 500 : 4000);
    });
    r.hexoXml = new Map();
    for (const n of P.searchSizes) {
      const xml = await section(`hexo search.xml N=${n}`, async () => hexoSearchXml(n));
      if (xml) r.hexoXml.set(n, xml);
    }
    await removeTree(tree);
  }

  // One Worker per store (memory cache off), with the probe beside it, for lists and search.
  const running = new Map<string, { n: number; worker: RunningWorker }>();
  if (r.bundle && probePath && r.uploads.length > 0 && (GROUPS.has('lists') || GROUPS.has('search'))) {
    const bundle = r.bundle;
    await section('store Workers', async () => {
      for (const u of r.uploads) {
        const worker = await startWorker({ scriptPath: bundle.scriptPath, settings, state: u.state, cacheDir: await tempDir(`cache-${u.n}`), vars: NO_MEMORY_CACHE, probeScriptPath: probePath });
        const id = u.baseline ? `baseline` : String(u.n);
        running.set(id, { n: u.n, worker });
        r.stores.set(id, await storeStats(worker));
      }
    });
  }
  try {
    if (GROUPS.has('lists') && running.size > 0) {
      const stores = [running.get('baseline'), ...P.listSizes.map((n) => running.get(String(n)))].filter((s): s is { n: number; worker: RunningWorker } => s !== undefined);
      r.lists = await section('lists', async () => {
        const out = await listLatency(stores, P.listRequests, P.listWarmup);
        errors.push(...out.errors.map((e) => `lists: ${e}`));
        return out.results;
      });
    }
    if (GROUPS.has('search') && running.size > 0) {
      for (const n of P.searchSizes) {
        const store = running.get(String(n));
        if (!store) continue;
        const result = await section(`search N=${n}`, async (): Promise<SearchSize> => {
          const { queries, noQueryWall } = await queryLatency(n, store.worker, P.searchRounds, errors);
          const ours = await ourSearchXml(store.worker);
          const hexo = r.hexoXml?.get(n) ?? { all: NaN, allGzip: NaN, limited: NaN };
          // Last: it adds rows to this store.
          const inserts = await rowsPerNewPost(store.worker, P.inserts);
          return { n, queries, noQueryWall, inserts, xml: { hexoAll: hexo.all, hexoAllGzip: hexo.allGzip, hexoLimited: hexo.limited, ours: ours.bytes, oursGzip: ours.gzip, oursEntries: ours.entries } };
        });
        if (result) r.search.push(result);
      }
    }
  } finally {
    for (const { worker } of running.values()) await worker.dispose().catch(() => undefined);
  }

  if (GROUPS.has('bundle') && r.bundle) {
    const bundle = r.bundle;
    r.startup = await section('start-up', () => startupCost(bundle, settings, P.startupRounds));
    r.composition = await section('bundle composition', () => bundleComposition(bundle));
  }

  r.totalMs = now() - t0;
  const md = report(r);
  const svg = r.engines ? chart(posts, r.engines) : null;
  if (SMOKE) {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'BENCHMARKS.smoke.md'), md.replace('docs/bench-render.svg', 'bench-render.svg'));
    if (svg) await writeFile(path.join(outDir, 'bench-render.svg'), svg);
    log(`wrote ${path.relative(projectRoot, path.join(outDir, 'BENCHMARKS.smoke.md'))}`);
  } else {
    // Keep the load section that `npm run bench:load` writes (between its markers).
    const file = arg('out') ?? path.join(projectRoot, 'BENCHMARKS.md');
    const previous = await readFile(file, 'utf8').catch(() => '');
    const load = /<!-- load:start -->[\s\S]*<!-- load:end -->/.exec(previous)?.[0];
    await writeFile(file, load ? `${md.trimEnd()}\n\n${load}\n` : md);
    if (svg && !arg('out')) await writeFile(path.join(projectRoot, 'docs', 'bench-render.svg'), svg);
    log(`wrote ${path.relative(projectRoot, file)}`);
  }
  log(`total ${(r.totalMs / 1000).toFixed(1)} s`);
}

/**
 * The closing line CI adds up (`N passed, N failed`): a section passed when it finished and no
 * error names it (errors start with their section's name, or its group's: `lists: …`, `search
 * N=…: …`); an error naming no section (or a hung run, `extra`) is one failure more. Timings
 * never fail it.
 */
function countLine(extra = 0): string {
  const failedSections = new Set<string>();
  let other = extra;
  for (const e of errors) {
    const owner = sectionLog.find((s) => e.startsWith(`${s.name}: `) || (s.name.startsWith('search N=') && e.startsWith(`search N=${s.name.slice(9)} `)));
    if (owner) failedSections.add(owner.name);
    else other++;
  }
  const ok = sectionLog.filter((s) => !failedSections.has(s.name)).length;
  return `bench${SMOKE ? ' smoke' : ''}: ${ok} passed, ${failedSections.size + other} failed`;
}

async function cleanup(): Promise<void> {
  await removeTempDirs();
  const { rm } = await import('node:fs/promises');
  for (const dir of extraDirs.splice(0)) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

// A hung Worker or load tool must not hang CI: give up well after the expected time.
const WATCHDOG_MS = SMOKE ? 300_000 : 150 * 60_000;
setTimeout(() => {
  console.error(`[bench] watchdog: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  console.log(countLine(1));
  void cleanup().finally(() => process.exit(2));
}, WATCHDOG_MS).unref();

main()
  .catch((error: unknown) => {
    errors.push(`bench: ${(error as Error).stack ?? String(error)}`);
  })
  .finally(async () => {
    await cleanup();
    if (errors.length > 0) {
      console.error(`\n${errors.length} error(s):`);
      for (const e of errors) console.error(`- ${e}`);
    }
    console.log(countLine());
    process.exit(errors.length > 0 ? 1 : 0);
  });
