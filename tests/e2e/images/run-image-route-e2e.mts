/**
 * End-to-end check of the image route through `wrangler dev`, fully offline:
 *
 *   node --import tsx tests/e2e/images/run-image-route-e2e.mts      (as root; needs `ip netns`)
 *
 * Creates the network namespace `ecp-img` (loopback only) whose /etc/hosts maps the article's
 * image hosts (zkres1/zkres2.myzaker.com) to 127.0.0.1, runs a fake PNG origin on port 80 and
 * `wrangler dev` on 127.0.0.1:8787 inside it, and requests image-route URLs (signed with the key
 * from .dev.vars) from inside it. Every request stays on the namespace's loopback. Processes and
 * the namespace are removed on success, failure or interruption. Exit code 0 = pass.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRoutePath } from '../../../src/images/image-url.ts';
import { NetNamespace } from '../lib/netns.mts';
import { ProcessGroup, waitFor } from '../lib/processes.mts';
import { startFakeUpstream, type UpstreamRequest } from '../lib/upstream.mts';
import { devVar, probe as probeIn, projectRoot as root, startWranglerDev, type ProbeResult } from '../lib/wrangler.mts';

const ns = new NetNamespace('ecp-img');
const HOSTS = ['zkres1.myzaker.com', 'zkres2.myzaker.com'];
const IMAGE = 'http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg';
const IMAGE2 = 'http://zkres2.myzaker.com/202111/618fb910b15ec028f46380f9_1024.jpg';
const PORT = 8787;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const OVERALL_TIMEOUT_MS = 180_000;

const group = new ProcessGroup();
let upstreamLog: UpstreamRequest[] = [];
let wranglerOutput = () => '';
/** Fresh local state (Cache API, KV) per run, so the first request is always a miss. */
const persistDir = mkdtempSync(join(tmpdir(), 'ecp-img-e2e-'));

/** One request from inside the namespace (async, so the upstream's log keeps flowing in). */
async function probe(path: string, method = 'GET'): Promise<ProbeResult> {
  const result = await probeIn(ns, `${ORIGIN}${path}`, method);
  await new Promise((r) => setTimeout(r, 100)); // let the fake upstream's log lines arrive
  return result;
}

const failures: string[] = [];
function check(name: string, ok: boolean, detail?: unknown): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ` — ${JSON.stringify(detail)}`}`);
  if (!ok) failures.push(name);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root (ip netns needs it)');
  const key = devVar('IMAGE_SIGNING_KEY');
  ns.create(HOSTS);
  upstreamLog = (await startFakeUpstream({ ns, group, cwd: root })).log;
  const dev = await startWranglerDev({ ns, group, port: PORT, persistTo: persistDir, vars: { IMAGE_SIGNING_KEY: key } });
  wranglerOutput = dev.output;

  const path = imageRoutePath(IMAGE, key, 'http://localhost:8787');
  const first = await probe(path);
  check('first request: 200', first.status === 200, first);
  check('first request: image/png', first.headers?.['content-type'] === 'image/png', first.headers);
  check('first request: PNG bytes', first.head === '89504e470d0a1a0a', first.head);
  check('first request: cache miss', /cache;desc="miss"/.test(first.headers?.['server-timing'] ?? ''), first.headers);
  check('no Set-Cookie from upstream', first.headers?.['set-cookie'] === undefined, first.headers);
  check('sandbox CSP', first.headers?.['content-security-policy'] === "default-src 'none'; sandbox", first.headers);
  const hit = upstreamLog[0];
  check('upstream got exactly the original path', upstreamLog.length === 1 && hit?.url === '/202111/618fb910b15ec028f46380f8_1024.jpg', upstreamLog);
  check('upstream got the original host', hit?.headers.host === 'zkres1.myzaker.com', hit?.headers);
  check('upstream got our User-Agent', hit?.headers['user-agent'] === 'edge-content-proxy/1.0 (+image route)', hit?.headers);
  check('upstream got no Referer/Cookie', hit !== undefined && hit.headers.referer === undefined && hit.headers.cookie === undefined, hit?.headers);

  // The cache write runs in waitUntil after the body: give it a moment, then expect a hit.
  let second: ProbeResult = {};
  await waitFor('a cache hit', async () => {
    second = await probe(path);
    return /cache;desc="hit"/.test(second.headers?.['server-timing'] ?? '');
  }, 10_000).catch(() => {});
  check('second request: 200 image/png', second.status === 200 && second.headers?.['content-type'] === 'image/png', second);
  check('second request: cache hit', second.headers?.['server-timing'] === 'cache;desc="hit"', second.headers);
  check('second request: upstream not contacted again', upstreamLog.length === 1, upstreamLog.length);

  const other = await probe(imageRoutePath(IMAGE2, key, 'http://localhost:8787'));
  check('second image host (zkres2) served', other.status === 200 && other.head === '89504e470d0a1a0a', other);

  const tampered = await probe(path.replace(/\/img\/(.)/, (_m, c: string) => `/img/${c === 'A' ? 'B' : 'A'}`));
  check('tampered signature: 404', tampered.status === 404, tampered);
  check('tampered signature: upstream not contacted', upstreamLog.length === 2, upstreamLog.length);
}

let exitCode = 1;
const overall = setTimeout(() => {
  console.error('e2e: overall timeout');
  group.killAllNow();
  ns.remove();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    group.killAllNow();
    ns.remove();
    process.exit(130);
  });
}

try {
  await main();
  exitCode = failures.length === 0 ? 0 : 1;
  console.log(failures.length === 0 ? 'e2e: PASS' : `e2e: ${failures.length} check(s) failed`);
} catch (error) {
  console.error(`e2e: error: ${error instanceof Error ? error.message : String(error)}`);
  if (wranglerOutput()) console.error(`--- wrangler dev output ---\n${wranglerOutput().slice(-4000)}`);
} finally {
  clearTimeout(overall);
  await group.stopAll();
  ns.remove();
  rmSync(persistDir, { recursive: true, force: true });
  if (existsSync(ns.etcDir)) console.error(`e2e: could not remove ${ns.etcDir}`);
}
process.exit(exitCode);
