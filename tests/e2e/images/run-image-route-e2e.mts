/**
 * End-to-end checks of the image route, fully offline:
 *
 *   node --import tsx tests/e2e/images/run-image-route-e2e.mts      (as root; needs `ip netns`)
 *
 * Everything runs in the network namespace `ecp-img` (loopback only). Its hosts file sends the
 * article's image hosts (zkres1/zkres2.myzaker.com) to a fake PNG origin on 203.0.113.80 (an
 * address that exists only inside the namespace and that workerd counts as public), and two
 * names to 127.0.0.1, where a recording server stands for an internal service:
 * `intranet-host` (caught by the URL rules already) and `img.intranet-test.com` (a dotted name
 * that passes every string rule, so only the outbound network can stop it).
 *
 * 1. The Worker started the way `npm run dev` starts it (scripts/dev.ts): a miss, a hit, a
 *    tampered URL, SITE_URL following --port, both internal names answered with an error while
 *    the recording server receives nothing, and a 1 byte per 250 ms origin cut at the deadline
 *    (IMAGE_TIMEOUT_MS=3000), never completed and never cached: a 504 when it declared no
 *    length, a connection cut short of its Content-Length when it did.
 * 2. The bundle under plain workerd with docs/workerd.capnp: images served, the internal name
 *    refused, the recording server still untouched; with the development key and that file's
 *    public SITE_URL, 500 "server misconfigured".
 * 3. Control: plain `wrangler dev` (unguarded, as docs/image-route.md says) does reach the
 *    recording server through `img.intranet-test.com`, which shows the checks above can fail.
 *
 * Prints one line per check and `images e2e: N passed, M failed`; exit code 0 only when nothing
 * failed. Processes, temporary files and the namespace are removed on success, failure or
 * interruption.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRoutePath } from '../../../src/images/image-url.ts';
import { NAMESPACE_PUBLIC_ADDRESS, NetNamespace } from '../lib/netns.mts';
import { ProcessGroup, waitFor } from '../lib/processes.mts';
import { type FakeUpstream, startFakeUpstream } from '../lib/upstream.mts';
import { devVar, probe as probeIn, projectRoot as root, startDevServer, startWranglerDev, type ProbeResult } from '../lib/wrangler.mts';

const ns = new NetNamespace('ecp-img');
const IMAGE_HOSTS = ['zkres1.myzaker.com', 'zkres2.myzaker.com'];
const INTERNAL_NAMES = ['intranet-host', 'img.intranet-test.com'];
const IMAGE = 'http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg';
const IMAGE2 = 'http://zkres2.myzaker.com/202111/618fb910b15ec028f46380f9_1024.jpg';
const TRICKLE = 'http://zkres1.myzaker.com/__trickle/618fb910b15ec028f46380fa_1024.jpg';
const TRICKLE_LENGTH = 'http://zkres1.myzaker.com/__trickle-length/618fb910b15ec028f46380fb_1024.jpg';
const INTERNAL = ['http://intranet-host/secret.png', 'http://img.intranet-test.com/secret.png'];
const DEV_PORT = 8790;
const WORKERD_PORT = 8786;
const PLAIN_PORT = 8788;
const TIMEOUT_MS = 3000;
/** 56 bytes after the first 8 at this pace take 14 s: far past the deadline, well within the probe's 20 s. */
const TRICKLE_MS = 250;
const OVERALL_TIMEOUT_MS = 300_000;
const WORKERD = join(root, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd');

const group = new ProcessGroup();
let lastOutput = () => '';
const work = mkdtempSync(join(tmpdir(), 'ecp-img-e2e-'));

let passed = 0;
let failed = 0;
function check(name: string, ok: boolean, detail?: unknown): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ` — ${JSON.stringify(detail)}`}`);
}

/** One request from inside the namespace, then a moment for the servers' log lines to arrive. */
async function probe(origin: string, path: string): Promise<ProbeResult> {
  const result = await probeIn(ns, `${origin}${path}`);
  await new Promise((r) => setTimeout(r, 150));
  return result;
}

async function guardedDevServer(origin: FakeUpstream, internal: FakeUpstream, key: string): Promise<void> {
  const dev = await startDevServer({
    ns,
    group,
    port: DEV_PORT,
    persistTo: join(work, 'state'),
    vars: { IMAGE_SIGNING_KEY: key, IMAGE_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  lastOutput = dev.output;
  const at = dev.origin;
  check('npm run dev: start-up line confirms the outbound restriction', /^dev: outbound fetches: public addresses only;/m.test(dev.output()), dev.output().slice(-600));

  const robots = await probe(at, '/robots.txt');
  check('npm run dev --port 8790: SITE_URL follows the port', robots.text?.includes(`Sitemap: http://localhost:${DEV_PORT}/sitemap.xml`) === true, robots.text);

  const path = imageRoutePath(IMAGE, key, `http://localhost:${DEV_PORT}`);
  const first = await probe(at, path);
  check('first request: 200', first.status === 200, first);
  check('first request: image/png', first.headers?.['content-type'] === 'image/png', first.headers);
  check('first request: PNG bytes', first.head === '89504e470d0a1a0a', first.head);
  check('first request: cache miss', /cache;desc="miss"/.test(first.headers?.['server-timing'] ?? ''), first.headers);
  check('no Set-Cookie from upstream', first.headers?.['set-cookie'] === undefined, first.headers);
  check('sandbox CSP', first.headers?.['content-security-policy'] === "default-src 'none'; sandbox", first.headers);
  const hit = origin.log[0];
  check('upstream got exactly the original path', origin.log.length === 1 && hit?.url === '/202111/618fb910b15ec028f46380f8_1024.jpg', origin.log);
  check('upstream got the original host', hit?.headers.host === 'zkres1.myzaker.com', hit?.headers);
  check('upstream got our User-Agent', hit?.headers['user-agent'] === 'edge-content-proxy/1.0 (+image route)', hit?.headers);
  check('upstream got no Referer/Cookie', hit !== undefined && hit.headers.referer === undefined && hit.headers.cookie === undefined, hit?.headers);

  // The cache write runs in waitUntil after the body: give it a moment, then expect a hit.
  let second: ProbeResult = {};
  await waitFor('a cache hit', async () => {
    second = await probe(at, path);
    return /cache;desc="hit"/.test(second.headers?.['server-timing'] ?? '');
  }, 10_000).catch(() => {});
  check('second request: 200 image/png', second.status === 200 && second.headers?.['content-type'] === 'image/png', second);
  check('second request: cache hit', second.headers?.['server-timing'] === 'cache;desc="hit"', second.headers);
  check('second request: upstream not contacted again', origin.log.length === 1, origin.log.length);

  const other = await probe(at, imageRoutePath(IMAGE2, key, `http://localhost:${DEV_PORT}`));
  check('second image host (zkres2) served', other.status === 200 && other.head === '89504e470d0a1a0a', other);

  const tampered = await probe(at, path.replace(/\/img\/(.)/, (_m, c: string) => `/img/${c === 'A' ? 'B' : 'A'}`));
  check('tampered signature: 404', tampered.status === 404, tampered);
  check('tampered signature: upstream not contacted', origin.log.length === 2, origin.log.length);

  // SSRF through host names: both names resolve to 127.0.0.1, where the recording server listens.
  const [byName, dotted] = INTERNAL;
  const single = await probe(at, imageRoutePath(byName!, key, `http://localhost:${DEV_PORT}`));
  check('signed http://intranet-host/… → 403 (URL rules: single-label name)', single.status === 403, single);
  const viaDns = await probe(at, imageRoutePath(dotted!, key, `http://localhost:${DEV_PORT}`));
  check('signed http://img.intranet-test.com/… (resolves to 127.0.0.1) → 502', viaDns.status === 502, viaDns);
  check('npm run dev: the loopback service behind those names received no request', internal.log.length === 0, internal.log);
  check('npm run dev: the refusal is one line, no stack trace', /dev: outbound fetch refused/.test(dev.output()) && !/restrictPeers|^stack: /m.test(dev.output()), dev.output().slice(-1500));

  // One deadline for headers and body: a trickling origin is cut, never completed, never cached.
  // Without a declared length the image is read whole before answering: a 504.
  const trickle = imageRoutePath(TRICKLE, key, `http://localhost:${DEV_PORT}`);
  const started = Date.now();
  const timedOut = await probe(at, trickle);
  console.log(`info: a 1 byte/${TRICKLE_MS} ms origin with no length was answered after ${Date.now() - started} ms (deadline ${TIMEOUT_MS} ms)`);
  await waitFor('the origin to see the connection close', () => origin.trickles.length >= 1, 10_000, 100).catch(() => {});
  check('trickling origin, no length: 504 image upstream timed out', timedOut.status === 504 && timedOut.text === 'image upstream timed out\n', timedOut);
  check('trickling origin, no length: the Worker hung up before the origin finished', origin.trickles[0]?.complete === false, origin.trickles);
  const again = await probe(at, trickle);
  const asked = (prefix: string) => origin.log.filter((r) => r.url.startsWith(prefix)).length;
  check('trickling origin, no length: nothing cached (the origin is asked again)', asked('/__trickle/') === 2 && again.status === 504, { asked: asked('/__trickle/'), again });
  // With a declared length it streams with that Content-Length and is cut short of it.
  const trickleLength = imageRoutePath(TRICKLE_LENGTH, key, `http://localhost:${DEV_PORT}`);
  const startedLength = Date.now();
  const cut = await probe(at, trickleLength);
  console.log(`info: a 1 byte/${TRICKLE_MS} ms origin with Content-Length 64 was cut after ${Date.now() - startedLength} ms, ${cut.length ?? '?'} bytes (deadline ${TIMEOUT_MS} ms)`);
  await waitFor('the origin to see the connection close', () => origin.trickles.length >= 3, 10_000, 100).catch(() => {});
  check('trickling origin, Content-Length 64: 200 with Content-Length 64', cut.status === 200 && cut.headers?.['content-length'] === '64', cut);
  check('trickling origin, Content-Length 64: the client sees the body cut short (an error, not an end)', cut.bodyError !== undefined && (cut.length ?? 64) < 64, cut);
  check('trickling origin, Content-Length 64: the Worker hung up before the origin finished', origin.trickles[2]?.complete === false, origin.trickles);
  const againLength = await probe(at, trickleLength);
  check('trickling origin, Content-Length 64: nothing cached (the origin is asked again)', asked('/__trickle-length/') === 2 && againLength.bodyError !== undefined, { asked: asked('/__trickle-length/'), againLength });
}

async function plainWorkerd(origin: FakeUpstream, internal: FakeUpstream): Promise<void> {
  // The config references ../dist/index.js: lay the bundle out next to a copy of it.
  const site = join(work, 'workerd');
  mkdirSync(join(site, 'docs'), { recursive: true });
  cpSync(join(root, 'docs/workerd.capnp'), join(site, 'docs/workerd.capnp'));
  const build = spawnSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', join(site, 'dist')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });
  if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stderr || build.stdout}`);

  const serve = async (key: string) => {
    let output = '';
    const child = group.start(ns, [WORKERD, 'serve', join(site, 'docs/workerd.capnp'), '--socket-addr', `http=127.0.0.1:${WORKERD_PORT}`], {
      cwd: site,
      env: { IMAGE_SIGNING_KEY: key },
      onLine: (line) => {
        output += `${line}\n`;
      },
    });
    lastOutput = () => output;
    await waitFor('workerd to answer', async () => {
      if (child.exitCode !== null) throw new Error(`workerd exited:\n${output}`);
      // Any answer means it is up (a misconfigured Worker answers 500 on purpose).
      return ((await probeIn(ns, `http://127.0.0.1:${WORKERD_PORT}/robots.txt`)).status ?? 0) > 0;
    }, 30_000, 250);
    return child;
  };
  const stopChild = async (child: ReturnType<typeof group.start>) => {
    child.kill('SIGTERM');
    await waitFor('workerd to stop', () => child.exitCode !== null || child.signalCode !== null, 10_000, 100);
  };

  const at = `http://127.0.0.1:${WORKERD_PORT}`;
  const site_ = 'https://news.example.com'; // SITE_URL in docs/workerd.capnp
  const key = 'e2e-workerd-key';
  const worker = await serve(key);
  const before = origin.log.length;
  const image = await probe(at, imageRoutePath(IMAGE, key, site_));
  check('workerd + docs/workerd.capnp: an image on a public address → 200 PNG', image.status === 200 && image.head === '89504e470d0a1a0a', image);
  check('workerd: the origin was asked once', origin.log.length === before + 1, origin.log.length - before);
  const viaDns = await probe(at, imageRoutePath(INTERNAL[1]!, key, site_));
  check('workerd: signed http://img.intranet-test.com/… → 502', viaDns.status === 502, viaDns);
  check('workerd: the loopback service received no request', internal.log.length === 0, internal.log);
  await stopChild(worker);

  const devKey = devVar('IMAGE_SIGNING_KEY');
  const exposed = await serve(devKey);
  const refused = await probe(at, imageRoutePath(IMAGE, devKey, 'http://localhost:8787'));
  check('workerd with the development key and a public SITE_URL → 500 server misconfigured', refused.status === 500 && refused.text === 'server misconfigured\n', refused);
  await stopChild(exposed);
}

async function plainWranglerDev(internal: FakeUpstream, key: string): Promise<void> {
  const dev = await startWranglerDev({ ns, group, port: PLAIN_PORT, persistTo: join(work, 'plain-state'), vars: { IMAGE_SIGNING_KEY: key } });
  lastOutput = dev.output;
  const res = await probe(dev.origin, imageRoutePath(INTERNAL[1]!, key, 'http://localhost:8787'));
  check('control: plain `wrangler dev` (unguarded) does reach the loopback service', internal.log.length === 1 && internal.log[0]?.headers.host === 'img.intranet-test.com', { res, log: internal.log });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root (ip netns needs it)');
  const key = devVar('IMAGE_SIGNING_KEY');
  ns.create(IMAGE_HOSTS, { address: NAMESPACE_PUBLIC_ADDRESS, extra: new Map(INTERNAL_NAMES.map((name) => [name, '127.0.0.1'])) });
  const origin = await startFakeUpstream({ ns, group, cwd: root, host: NAMESPACE_PUBLIC_ADDRESS, trickleMs: TRICKLE_MS });
  const internal = await startFakeUpstream({ ns, group, cwd: root, host: '127.0.0.1' });
  await guardedDevServer(origin, internal, key);
  await plainWorkerd(origin, internal);
  await plainWranglerDev(internal, key);
}

function cleanUp(): void {
  group.killAllNow();
  ns.remove();
  rmSync(work, { recursive: true, force: true });
}

const overall = setTimeout(() => {
  console.error('images e2e: overall timeout');
  console.log(`images e2e: ${passed} passed, ${failed + 1} failed`);
  cleanUp();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

let errored = false;
try {
  await main();
} catch (error) {
  errored = true;
  console.error(`images e2e: error: ${error instanceof Error ? error.message : String(error)}`);
  if (lastOutput()) console.error(`--- last server output ---\n${lastOutput().slice(-4000)}`);
} finally {
  clearTimeout(overall);
  await group.stopAll();
  ns.remove();
  rmSync(work, { recursive: true, force: true });
  if (existsSync(ns.etcDir)) console.error(`images e2e: could not remove ${ns.etcDir}`);
}
console.log(`images e2e: ${passed} passed, ${failed + (errored ? 1 : 0)} failed`);
process.exit(failed === 0 && !errored ? 0 : 1);
