/**
 * Lighthouse 12.2.3 scores of the home page and the seed article, mobile and desktop, measured on
 * the Worker as `npm run dev` serves it, with the images actually loading (offline):
 *
 *   node --import tsx tests/e2e/browser/run-lighthouse.mts [--runs N] [--keep <dir>]   (as root)
 *
 * Lighthouse is not a dependency of the project: it is fetched once with `npx --yes
 * lighthouse@12.2.3 --version` (the npm registry), then run from npx's cache with `npx --offline`.
 * Chromium is Debian's (CHROME_PATH=/usr/bin/chromium). Same environment as the browser e2e:
 *
 * 1. The network namespace `ecp-lighthouse` (loopback only) maps every image host of content/ to
 *    a fake image origin (real PNGs of varied sizes; a throw-away CA trusted by workerd only), so
 *    the image route fetches, signs and caches real bytes. Without this, offline, every image is a
 *    502 and Lighthouse reports console errors that a deployed site would not have.
 * 2. content/ is uploaded with the project's upload into a fresh store, and the Worker is started
 *    the way `npm run dev` starts it (scripts/dev.ts, outbound restricted), on localhost:8787.
 * 3. Inside the namespace: `npx --offline lighthouse@12.2.3 <url> [--preset=desktop]
 *    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking"`
 *    for / and the seed article's permalink, N runs each (default 3). Lighthouse's own advice is
 *    the median of several runs: performance varies with the machine's load.
 *
 * Prints one line per run and a Markdown table of the medians (performance, accessibility, best
 * practices, SEO), then every audit that kept a category under 100 in any run. `--keep <dir>`
 * keeps the JSON reports there. Exit code 0 when every median is ≥ 98.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectContentHosts } from '../lib/content-hosts.mts';
import { findExecutable, NAMESPACE_PUBLIC_ADDRESS, NetNamespace, sh } from '../lib/netns.mts';
import { ProcessGroup } from '../lib/processes.mts';
import { makeTestTls } from '../lib/tls.mts';
import { startFakeUpstream } from '../lib/upstream.mts';
import { devVar, probe, projectRoot as root, startDevServer } from '../lib/wrangler.mts';

const LIGHTHOUSE = 'lighthouse@12.2.3';
const NS_NAME = 'ecp-lighthouse';
const PORT = 8787;
const CHROMIUM = '/usr/bin/chromium';
const PROXY_HOST = 'cors.zfour.workers.dev';
const SEED_SLUG = '000_1c07ab0e1a8962a0';
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-background-networking';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const TARGET = 98;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const RUNS = Number(argValue('--runs') ?? 3);
const KEEP = argValue('--keep');

interface Report {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; title: string; displayValue?: string }>;
  lighthouseVersion: string;
  runWarnings?: string[];
}

const ns = new NetNamespace(NS_NAME);
const group = new ProcessGroup();
const tmp = mkdtempSync(join(tmpdir(), 'ecp-lighthouse-'));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

async function main(): Promise<number> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('run as root (ip netns needs it)');
  for (const tool of ['ip', 'openssl', 'npx']) if (!findExecutable(tool)) missing.push(`\`${tool}\` not found`);
  if (!findExecutable(CHROMIUM)) missing.push(`${CHROMIUM} not found: apt-get install -y chromium fonts-noto-cjk`);
  if (missing.length > 0) throw new Error(`missing prerequisites: ${missing.join('; ')}`);
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs must be a positive integer');

  // Fetch Lighthouse into npx's cache now (the namespace has no network).
  const version = sh('npx', ['--yes', LIGHTHOUSE, '--version']).trim();
  console.log(`lighthouse ${version}, chromium ${sh(CHROMIUM, ['--version']).trim()}`);

  const contentDir = join(root, 'content');
  const { hosts, ports } = collectContentHosts(contentDir);
  hosts.add(PROXY_HOST);
  const httpPorts = [80, ...[...ports.http].sort((a, b) => a - b)];
  const httpsPorts = [443, ...[...ports.https].sort((a, b) => a - b)];
  const tls = makeTestTls(tmp, [...hosts].sort());
  ns.create(hosts, { address: NAMESPACE_PUBLIC_ADDRESS });
  await startFakeUpstream({
    ns, group, cwd: root, host: NAMESPACE_PUBLIC_ADDRESS, ports: httpPorts, image: 'mix',
    tls: { ports: httpsPorts, certFile: tls.certFile, keyFile: tls.keyFile },
  });

  const stateRoot = join(tmp, 'state-root');
  const uploaded = await group.run(ns, [process.execPath, '--import', 'tsx', join(root, 'tests/e2e/lib/upload-into.mts'), stateRoot, contentDir], { cwd: root, timeoutMs: 180_000 });
  if (uploaded.code !== 0) throw new Error(`upload failed:\n${uploaded.output}`);
  console.log(`upload: ${uploaded.output.split('\n').find((l) => l.startsWith('added ')) ?? '?'}`);
  const dev = await startDevServer({
    ns, group, port: PORT, persistTo: join(stateRoot, '.wrangler', 'state'),
    vars: { IMAGE_SIGNING_KEY: devVar('IMAGE_SIGNING_KEY') },
    env: { NODE_EXTRA_CA_CERTS: tls.caFile },
  });

  const seed = await probe(ns, `${dev.origin}/api/articles/${SEED_SLUG}`);
  const seedUrl = /"url":"([^"]+)"/.exec(seed.text ?? '')?.[1];
  if (seed.status !== 200 || !seedUrl) throw new Error(`the seed article is not served: ${JSON.stringify(seed).slice(0, 300)}`);
  const seedPath = new URL(seedUrl).pathname;
  const pages = [
    { name: 'home', url: `http://localhost:${PORT}/` },
    { name: `seed article (${seedPath})`, url: `http://localhost:${PORT}${seedPath}` },
  ];
  // Warm the image route and the edge cache, as a visited site would be.
  for (const p of pages) await group.run(ns, ['npx', '--offline', LIGHTHOUSE, p.url, '--only-categories=performance', `--chrome-flags=${CHROME_FLAGS}`, '--output=json', `--output-path=${join(tmp, 'warm.json')}`, '--quiet'], { cwd: tmp, env: { CHROME_PATH: CHROMIUM }, timeoutMs: 180_000 });

  const reportDir = KEEP ?? join(tmp, 'reports');
  mkdirSync(reportDir, { recursive: true });
  const scores = new Map<string, Record<string, number[]>>();
  const shortfalls = new Map<string, Set<string>>();
  for (const preset of ['mobile', 'desktop'] as const) {
    for (const p of pages) {
      const key = `${p.name} | ${preset}`;
      const byCategory: Record<string, number[]> = Object.fromEntries(CATEGORIES.map((c) => [c, []]));
      scores.set(key, byCategory);
      for (let run = 1; run <= RUNS; run++) {
        const out = join(reportDir, `${p.name.split(' ')[0]}-${preset}-${run}.json`);
        const args = ['npx', '--offline', LIGHTHOUSE, p.url, ...(preset === 'desktop' ? ['--preset=desktop'] : []), `--chrome-flags=${CHROME_FLAGS}`, '--output=json', `--output-path=${out}`, '--quiet'];
        const r = await group.run(ns, args, { cwd: tmp, env: { CHROME_PATH: CHROMIUM }, timeoutMs: 300_000 });
        if (r.code !== 0 || !existsSync(out)) throw new Error(`lighthouse failed (${r.code}) for ${p.url} ${preset}:\n${r.output.slice(-2000)}`);
        const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
        const line = CATEGORIES.map((c) => {
          const score = Math.round((report.categories[c]?.score ?? 0) * 100);
          byCategory[c]!.push(score);
          return `${c} ${score}`;
        });
        console.log(`${key} run ${run}: ${line.join(', ')}${report.runWarnings?.length ? ` (warnings: ${report.runWarnings.join('; ')})` : ''}`);
        for (const c of CATEGORIES) {
          for (const ref of report.categories[c]?.auditRefs ?? []) {
            const audit = report.audits[ref.id];
            if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
              const set = shortfalls.get(key) ?? new Set<string>();
              set.add(`${c}: ${ref.id} (${audit.title}) ${audit.displayValue ?? ''} score ${audit.score}`.trim());
              shortfalls.set(key, set);
            }
          }
        }
      }
    }
  }

  console.log(`\nLighthouse ${version}, median of ${RUNS} run(s):\n`);
  console.log('| page | device | performance | accessibility | best practices | SEO |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  let below = 0;
  for (const [key, byCategory] of scores) {
    const [page, preset] = key.split(' | ');
    const cells = CATEGORIES.map((c) => {
      const m = median(byCategory[c]!);
      if (m < TARGET) below++;
      const range = Math.min(...byCategory[c]!) !== Math.max(...byCategory[c]!) ? ` (${Math.min(...byCategory[c]!)}–${Math.max(...byCategory[c]!)})` : '';
      return `${m}${range}`;
    });
    console.log(`| ${page} | ${preset} | ${cells.join(' | ')} |`);
  }
  if (shortfalls.size > 0) {
    console.log('\nAudits below 1 (any run):');
    for (const [key, set] of shortfalls) for (const s of set) console.log(`  ${key}: ${s}`);
  }
  if (KEEP) console.log(`\nreports kept in ${KEEP}`);
  console.log(`\nlighthouse: ${below === 0 ? `every median ≥ ${TARGET}` : `${below} median(s) under ${TARGET}`}`);
  return below === 0 ? 0 : 1;
}

let cleanedUp = false;
function cleanupSync(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  group.killAllNow();
  for (const pid of ns.pids()) {
    try {
      process.kill(pid, 'SIGKILL'); // only processes inside our own namespace: ours
    } catch {
      /* gone */
    }
  }
  ns.remove();
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}
process.on('exit', cleanupSync);

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`lighthouse: error: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await group.stopAll();
  cleanupSync();
}
process.exit(exitCode);
