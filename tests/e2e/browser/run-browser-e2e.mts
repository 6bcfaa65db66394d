/**
 * End-to-end browser check of the whole site through `wrangler dev`, fully offline:
 *
 *   node --import tsx tests/e2e/browser/run-browser-e2e.mts          (as root)
 *
 * Needs (checked, never installed here): root, `ip` (iproute2), `openssl`, Debian's Chromium at
 * /usr/bin/chromium (`apt-get install -y chromium fonts-noto-cjk`), and the playwright-core
 * devDependency (it drives that Chromium; it never downloads a browser).
 *
 * 1. Creates the network namespace `ecp-browser` (loopback only). Its /etc/hosts maps every image
 *    host named in content/*.md (front matter, src/srcset/data-*, style url(), links, the originals
 *    inside cors.zfour.workers.dev URLs) and the proxy host itself to 127.0.0.1.
 * 2. Runs a fake image origin there on :80 and :443 (a throw-away CA, trusted by workerd through
 *    NODE_EXTRA_CA_CERTS only) that answers any path with a real PNG and records every request.
 * 3. Uploads content/ with the project's own upload code into a fresh temp KV and starts
 *    `wrangler dev --port 8788 --persist-to <that dir>` inside the namespace.
 * 4. Launches /usr/bin/chromium inside the namespace (through an `ip netns exec` wrapper) and
 *    visits every home page and every article at 360 and 390 px (mobile), 1280 px, and at 390 px
 *    in dark mode. Per visit: 200, every rendered <img> decoded (naturalWidth > 0, after scrolling
 *    for loading="lazy"), no request to any origin but the Worker's, no 4xx/5xx, no console error,
 *    no horizontal overflow, no text under 12 px, text contrast ≥ 4.5:1 (3:1 large), no attribute
 *    still naming the CORS proxy; in dark mode a dark page background.
 * 5. Checks the upstream log: nothing ever reached the proxy host, every host was mapped.
 *
 * Screenshots go to tests/e2e/screenshots/ (git-ignored). Ends with
 * `browser e2e: N passed, M failed`; exit code 0 only when nothing failed. The namespace, every
 * process started and the temp dirs are removed on success, failure or interruption.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectContentHosts } from '../lib/content-hosts.mts';
import { findExecutable, NAMESPACE_PUBLIC_ADDRESS, NetNamespace, sh } from '../lib/netns.mts';
import { ProcessGroup } from '../lib/processes.mts';
import { makeTestTls } from '../lib/tls.mts';
import { startFakeUpstream, type UpstreamRequest } from '../lib/upstream.mts';
import { devVar, projectRoot as root, startDevServer } from '../lib/wrangler.mts';

type Playwright = typeof import('playwright-core');
type Browser = import('playwright-core').Browser;
type BrowserContext = import('playwright-core').BrowserContext;

const NS_NAME = 'ecp-browser';
const PORT = 8788;
const CHROMIUM = '/usr/bin/chromium';
const PROXY_HOST = 'cors.zfour.workers.dev';
const OVERALL_TIMEOUT_MS = 25 * 60_000;
const here = dirname(fileURLToPath(import.meta.url));
const contentDir = join(root, 'content');
const screenshotDir = join(root, 'tests/e2e/screenshots');
const PAGE_CHECKS = readFileSync(join(here, 'page-checks.js'), 'utf8').replace(/^\s*\/\/.*$/gm, '').trim();

interface Variant {
  name: string;
  width: number;
  height: number;
  mobile: boolean;
  dark: boolean;
}
const VARIANTS: Variant[] = [
  { name: '360', width: 360, height: 740, mobile: true, dark: false },
  { name: '390', width: 390, height: 844, mobile: true, dark: false },
  { name: '1280', width: 1280, height: 900, mobile: false, dark: false },
  { name: 'dark-390', width: 390, height: 844, mobile: true, dark: true },
];
/** Articles also photographed (besides the home page): images, a table, code, many images. */
const SCREENSHOT_SLUGS = new Set([
  '01-zaker-win11-offline-activation',
  '13-oschina-cubic-table-pctencoded',
  '18-juejin-csrf-port-url-in-code',
  '24-codeceo-linux-vm-8-images',
  '50-woshipm-3d-h5-largest-many-images',
]);
const DARK_SCREENSHOT_SLUGS = new Set(['01-zaker-win11-offline-activation']);

const ns = new NetNamespace(NS_NAME);
const group = new ProcessGroup();
const tmp = mkdtempSync(join(tmpdir(), 'ecp-browser-e2e-'));
let browser: Browser | null = null;
let wranglerOutput = () => '';

let passed = 0;
let failed = 0;
function record(name: string, problems: string[], note = ''): void {
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${name}${note ? ` ${note}` : ''}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${note ? ` ${note}` : ''}`);
    for (const p of problems.slice(0, 12)) console.log(`       - ${p}`);
    if (problems.length > 12) console.log(`       - … ${problems.length - 12} more`);
  }
}

// ---------------------------------------------------------------------------------------------
// Prerequisites

async function checkPrerequisites(): Promise<Playwright> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('run as root (ip netns needs it)');
  if (!findExecutable('ip')) missing.push('`ip` not found: apt-get install -y iproute2');
  if (!findExecutable('openssl')) missing.push('`openssl` not found: apt-get install -y openssl');
  if (!findExecutable(CHROMIUM)) missing.push(`${CHROMIUM} not found: apt-get update && apt-get install -y chromium fonts-noto-cjk`);
  if (!existsSync(join(root, 'node_modules/.bin/wrangler'))) missing.push('node_modules missing: npm ci');
  let playwright: Playwright | null = null;
  try {
    playwright = await import('playwright-core');
  } catch {
    missing.push('playwright-core is not installed: npm ci (it is a devDependency)');
  }
  if (missing.length > 0 || !playwright) {
    for (const m of missing) console.error(`browser e2e: missing prerequisite: ${m}`);
    throw new Error('prerequisites missing');
  }
  if (findExecutable('fc-list') && sh('fc-list', [':lang=zh'], true).trim() === '') {
    console.warn('browser e2e: warning: no CJK font installed (apt-get install -y fonts-noto-cjk); screenshots will show boxes');
  }
  return playwright;
}

// ---------------------------------------------------------------------------------------------
// Environment

function chromiumWrapper(): string {
  const path = join(tmp, 'chromium-in-netns.sh');
  writeFileSync(path, `#!/bin/sh\n# Chromium inside the loopback-only test namespace.\nexec ip netns exec ${NS_NAME} ${CHROMIUM} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

function routedOriginal(src: string): string | null {
  const m = /\/img\/[A-Za-z0-9_-]+\/([A-Za-z0-9_-]+)$/.exec(src.split('?')[0] ?? '');
  return m?.[1] ? Buffer.from(m[1], 'base64url').toString('utf8') : null;
}

interface VisitResult {
  problems: string[];
  images: number;
  originals: string[];
  nextPage: string | null;
  listItems: number;
}

interface PageReport {
  title: string;
  images: { src: string; currentSrc: string; complete: boolean; naturalWidth: number; rendered: boolean; renderedWidth: number; loading: string; where: string }[];
  scrollWidth: number;
  innerWidth: number;
  clientWidth: number;
  offenders: string[];
  pageBg: number[];
  pageBgLuminance: number;
  bodyFontSize: number;
  bodyFontFamily: string;
  paragraph: { fontSize: number; lineHeight: number | null } | null;
  textElements: number;
  tinyText: string[];
  contrastIssues: string[];
  contrastIssueCount: number;
  proxyRefs: string[];
  listItems: number;
  nextPage: string | null;
}

async function visit(context: BrowserContext, origin: string, path: string, variant: Variant, screenshot: string | null): Promise<VisitResult> {
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')) return;
    if (!url.startsWith(`${origin}/`)) problems.push(`request to another origin: ${url}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url().replace(origin, '')}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed (${req.failure()?.errorText}): ${req.url().replace(origin, '')}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}${msg.location().url ? ` (${msg.location().url.replace(origin, '')})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  try {
    const response = await page.goto(`${origin}${path}`, { waitUntil: 'load', timeout: 30_000 });
    if (response?.status() !== 200) problems.push(`status ${response?.status()}`);
    const report = (await page.evaluate(`(${PAGE_CHECKS})(${JSON.stringify({ width: variant.width, lazyTimeoutMs: 20_000, proxyHost: PROXY_HOST })})`)) as PageReport;
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => problems.push('network not idle after 10 s'));

    let loaded = 0;
    const originals: string[] = [];
    for (const img of report.images) {
      const original = routedOriginal(img.currentSrc || img.src);
      if (original) originals.push(original);
      if (!img.rendered) continue; // display:none (a lazy one never loads): not shown, not judged
      if (img.naturalWidth > 0) loaded++;
      else problems.push(`image not loaded (${img.complete ? 'broken' : 'still loading'}): ${original ?? img.src} in ${img.where}`);
      if (!img.src.startsWith('/img/') && !img.src.startsWith('data:')) problems.push(`image not on the image route: ${img.src}`);
    }
    if (report.innerWidth !== variant.width) problems.push(`layout viewport is ${report.innerWidth}px, not ${variant.width}px (page zoomed out to fit wide content?)`);
    if (report.scrollWidth > variant.width) {
      problems.push(`horizontal overflow: scrollWidth ${report.scrollWidth} > ${variant.width}${report.offenders.length ? `: ${report.offenders.join('; ')}` : ''}`);
    }
    for (const t of report.tinyText) problems.push(`text under 12px: ${t}`);
    if (report.contrastIssueCount > 0) problems.push(`${report.contrastIssueCount} low-contrast text element(s): ${report.contrastIssues.join('; ')}`);
    if (report.proxyRefs.length > 0) problems.push(`attributes still naming ${PROXY_HOST}: ${report.proxyRefs.join(', ')}`);
    if (variant.mobile && report.bodyFontSize < 15) problems.push(`body font ${report.bodyFontSize}px on mobile`);
    if (report.paragraph && report.paragraph.lineHeight !== null && report.paragraph.lineHeight / report.paragraph.fontSize < 1.4) {
      problems.push(`paragraph line-height ${report.paragraph.lineHeight}px for ${report.paragraph.fontSize}px text`);
    }
    if (variant.dark && report.pageBgLuminance > 0.1) problems.push(`dark mode: page background rgb(${report.pageBg.join(',')}) is not dark`);
    if (!variant.dark && report.pageBgLuminance < 0.5) problems.push(`light mode: page background rgb(${report.pageBg.join(',')}) is dark`);

    const shot = screenshot ?? (problems.length > 0 ? `FAIL-${path === '/' ? 'home' : path.replace(/[^A-Za-z0-9_-]+/g, '_')}-${variant.name}` : null);
    if (shot) await page.screenshot({ path: join(screenshotDir, `${shot}.png`), fullPage: true, timeout: 30_000 });
    return { problems, images: loaded, originals, nextPage: report.nextPage, listItems: report.listItems };
  } catch (error) {
    problems.push(`error: ${(error as Error).message.split('\n')[0]}`);
    return { problems, images: 0, originals: [], nextPage: null, listItems: 0 };
  } finally {
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { chromium } = await checkPrerequisites();
  const key = devVar('IMAGE_SIGNING_KEY');
  mkdirSync(screenshotDir, { recursive: true });
  for (const f of readdirSync(screenshotDir)) if (f.endsWith('.png')) rmSync(join(screenshotDir, f));

  // Hosts to map: everything the content names, and the proxy host (a recorder: must stay unused).
  const { hosts, files, ports } = collectContentHosts(contentDir);
  hosts.add(PROXY_HOST);
  const slugs = files.map((f) => f.replace(/\.md$/, ''));
  // The fake origin listens on 80/443 and on every other port the content names (www.a.com:8002).
  const httpPorts = [80, ...[...ports.http].sort((a, b) => a - b)];
  const httpsPorts = [443, ...[...ports.https].sort((a, b) => a - b)];
  console.log(`browser e2e: ${slugs.length} articles, ${hosts.size} hosts mapped to ${NAMESPACE_PUBLIC_ADDRESS} in netns ${NS_NAME}; fake origin on http ${httpPorts.join(',')} / https ${httpsPorts.join(',')}`);

  const tls = makeTestTls(tmp, [...hosts].sort());
  // A public address inside the namespace: `npm run dev` lets the Worker reach public addresses only.
  ns.create(hosts, { address: NAMESPACE_PUBLIC_ADDRESS });
  const upstream = await startFakeUpstream({
    ns, group, cwd: root, host: NAMESPACE_PUBLIC_ADDRESS, ports: httpPorts, image: 'mix',
    tls: { ports: httpsPorts, certFile: tls.certFile, keyFile: tls.keyFile },
  });

  // `openLocalKv(X)` writes X/.wrangler/state/v3/kv; `wrangler dev --persist-to X/.wrangler/state` reads it.
  const stateRoot = join(tmp, 'state-root');
  const persistTo = join(stateRoot, '.wrangler', 'state');
  const uploaded = await group.run(ns, [process.execPath, '--import', 'tsx', join(root, 'tests/e2e/lib/upload-into.mts'), stateRoot, contentDir], { cwd: root, timeoutMs: 120_000 });
  const summary = uploaded.output.split('\n').find((l) => l.startsWith('added ')) ?? '';
  console.log(`upload: ${summary || uploaded.output.trim().split('\n').slice(-3).join(' | ')}`);
  if (uploaded.code !== 0 || !new RegExp(`^added ${slugs.length}, `).test(summary)) throw new Error(`upload failed (exit ${uploaded.code}):\n${uploaded.output}`);
  if (!existsSync(join(persistTo, 'v3', 'kv'))) throw new Error(`upload did not write ${join(persistTo, 'v3', 'kv')}`);

  const dev = await startDevServer({
    ns, group, port: PORT, persistTo,
    vars: { IMAGE_SIGNING_KEY: key },
    env: { NODE_EXTRA_CA_CERTS: tls.caFile },
  });
  wranglerOutput = dev.output;
  const origin = dev.origin;

  browser = await chromium.launch({
    executablePath: chromiumWrapper(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    timeout: 60_000,
  });
  console.log(`chromium ${browser.version()} (in netns ${NS_NAME}), worker at ${origin}`);

  const originals = new Set<string>();
  let imagesLoaded = 0;
  let visits = 0;
  for (const variant of VARIANTS) {
    const context = await browser.newContext({
      viewport: { width: variant.width, height: variant.height },
      isMobile: variant.mobile,
      hasTouch: variant.mobile,
      deviceScaleFactor: 1,
      colorScheme: variant.dark ? 'dark' : 'light',
      serviceWorkers: 'block',
    });
    try {
      // Every page of the home list (followed through the pager), then every article.
      let homePath: string | null = '/';
      let homeItems = 0;
      for (let n = 1; homePath && n <= 20; n++) {
        const shot = n === 1 ? `home-${variant.name}` : null;
        const r = await visit(context, origin, homePath, variant, shot);
        visits++;
        imagesLoaded += r.images;
        r.originals.forEach((o) => originals.add(o));
        homeItems += r.listItems;
        record(`${variant.name} ${homePath}`, r.problems, `(${r.images} images)`);
        homePath = r.nextPage;
      }
      record(`${variant.name} home list shows every article`, homeItems === slugs.length ? [] : [`${homeItems} items listed, ${slugs.length} articles uploaded`]);
      for (const slug of slugs) {
        const path = `/articles/${encodeURIComponent(slug)}`;
        const wanted = variant.name === '360' ? false : variant.dark ? DARK_SCREENSHOT_SLUGS.has(slug) : SCREENSHOT_SLUGS.has(slug);
        const r = await visit(context, origin, path, variant, wanted ? `${slug}-${variant.name}` : null);
        visits++;
        imagesLoaded += r.images;
        r.originals.forEach((o) => originals.add(o));
        record(`${variant.name} ${path}`, r.problems, `(${r.images} images)`);
      }
    } finally {
      await context.close().catch(() => {});
    }
  }

  // What reached the fake origin, and what the pages asked for.
  await new Promise((r) => setTimeout(r, 300)); // let the last log lines arrive
  const log: UpstreamRequest[] = upstream.log;
  const hostOf = (r: UpstreamRequest) => (r.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const toProxy = log.filter((r) => hostOf(r) === PROXY_HOST);
  record(`no request ever reached ${PROXY_HOST}`, toProxy.map((r) => `${r.method} ${r.url}`));
  const unmapped = [...originals].map((u) => new URL(u).hostname.toLowerCase()).filter((h) => !hosts.has(h));
  record('every routed image host was found in content/ and mapped', [...new Set(unmapped)].map((h) => `not mapped: ${h}`));
  const upstreamHosts = new Set(log.map(hostOf));
  record('the image route fetched from the fake origin', log.length > 0 ? [] : ['no upstream request at all']);
  const https = [...originals].filter((u) => u.startsWith('https:'));
  console.log(
    `images: ${imagesLoaded} loaded in ${visits} page visits; ${originals.size} distinct originals ` +
      `(${originals.size - https.length} http, ${https.length} https) from ${new Set([...originals].map((u) => new URL(u).hostname)).size} hosts; ` +
      `upstream saw ${log.length} requests (${log.filter((r) => r.tls).length} over TLS) to ${upstreamHosts.size} hosts`,
  );
  if (https.length > 0) console.log(`https originals (served by the fake origin's :443): ${[...new Set(https.map((u) => new URL(u).hostname))].sort().join(', ')}`);
}

// ---------------------------------------------------------------------------------------------

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

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => {});
  await group.stopAll();
  cleanupSync();
}

const overall = setTimeout(() => {
  console.error('browser e2e: overall timeout');
  cleanupSync();
  console.log(`browser e2e: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}
process.on('exit', cleanupSync);

let exitCode = 1;
try {
  await main();
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
} catch (error) {
  failed++;
  console.error(`browser e2e: error: ${error instanceof Error ? error.message : String(error)}`);
  const out = wranglerOutput();
  if (out) console.error(`--- wrangler dev output (tail) ---\n${out.slice(-4000)}`);
} finally {
  clearTimeout(overall);
  await cleanup();
  if (existsSync(ns.etcDir)) console.error(`browser e2e: could not remove ${ns.etcDir}`);
}
console.log(`screenshots: ${screenshotDir}`);
console.log(`browser e2e: ${passed} passed, ${failed} failed`);
process.exit(exitCode);
