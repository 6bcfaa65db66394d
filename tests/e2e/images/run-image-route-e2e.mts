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
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageRoutePath } from '../../../src/images/image-url.ts';

const NS = 'ecp-img';
const HOSTS = ['zkres1.myzaker.com', 'zkres2.myzaker.com'];
const IMAGE = 'http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg';
const IMAGE2 = 'http://zkres2.myzaker.com/202111/618fb910b15ec028f46380f9_1024.jpg';
const PORT = 8787;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const OVERALL_TIMEOUT_MS = 180_000;

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const children: ChildProcess[] = [];
const upstreamLog: { method: string; url: string; headers: Record<string, string> }[] = [];
let wranglerOutput = '';
/** Fresh local state (Cache API, KV) per run, so the first request is always a miss. */
const persistDir = mkdtempSync(join(tmpdir(), 'ecp-img-e2e-'));

function sh(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

function signingKey(): string {
  const line = readFileSync(join(root, '.dev.vars'), 'utf8')
    .split('\n')
    .find((l) => /^\s*IMAGE_SIGNING_KEY\s*=/.test(l));
  const value = line?.split('=').slice(1).join('=').trim().replace(/^(['"])(.*)\1$/, '$2') ?? '';
  if (!value) throw new Error('IMAGE_SIGNING_KEY missing from .dev.vars');
  return value;
}

function removeNamespace(): void {
  if (sh('ip', ['netns', 'list'], true).split('\n').some((l) => l.split(' ')[0] === NS)) sh('ip', ['netns', 'del', NS], true);
  rmSync(`/etc/netns/${NS}`, { recursive: true, force: true });
}

function createNamespace(): void {
  removeNamespace();
  sh('ip', ['netns', 'add', NS]);
  sh('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
  mkdirSync(`/etc/netns/${NS}`, { recursive: true });
  writeFileSync(`/etc/netns/${NS}/hosts`, `127.0.0.1 localhost\n::1 localhost\n127.0.0.1 ${HOSTS.join(' ')}\n`);
  // No resolver inside: any name not in hosts fails at once instead of leaking anywhere.
  writeFileSync(`/etc/netns/${NS}/resolv.conf`, 'nameserver 127.0.0.1\n');
}

/** Starts `args` inside the namespace in its own process group. */
function startInNamespace(args: string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', NS, ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  children.push(child);
  let buffer = '';
  const feed = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    lines.forEach(onLine);
  };
  child.stdout?.on('data', feed);
  child.stderr?.on('data', feed);
  return child;
}

function stopChildren(): void {
  for (const child of children) {
    if (child.pid === undefined || child.exitCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGTERM'); // the group we created with detached: true
    } catch {
      /* already gone */
    }
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface ProbeResult {
  status?: number;
  headers?: Record<string, string>;
  length?: number;
  head?: string;
  error?: string;
}

const run = promisify(execFile);

/** One request from inside the namespace (async, so the upstream's log keeps flowing in). */
async function probe(path: string, method = 'GET'): Promise<ProbeResult> {
  const { stdout } = await run('ip', ['netns', 'exec', NS, process.execPath, join(here, 'probe.mjs'), `${ORIGIN}${path}`, method]);
  await new Promise((r) => setTimeout(r, 100)); // let the fake upstream's log lines arrive
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeResult;
}

const failures: string[] = [];
function check(name: string, ok: boolean, detail?: unknown): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ` — ${JSON.stringify(detail)}`}`);
  if (!ok) failures.push(name);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root (ip netns needs it)');
  const key = signingKey();
  createNamespace();

  startInNamespace([process.execPath, join(here, 'fake-upstream.mjs')], (line) => {
    if (line.startsWith('{')) upstreamLog.push(JSON.parse(line));
  });
  const wrangler = startInNamespace(
    [join(root, 'node_modules/.bin/wrangler'), 'dev', '--port', String(PORT), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', '--persist-to', persistDir],
    (line) => {
      wranglerOutput += `${line}\n`;
    },
  );
  await waitFor('wrangler dev to be ready', () => {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${wranglerOutput}`);
    return /Ready on/.test(wranglerOutput);
  }, 120_000);
  await waitFor('the worker to answer', async () => (await probe('/img/')).status !== undefined, 30_000);

  const path = imageRoutePath(IMAGE, key);
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

  const other = await probe(imageRoutePath(IMAGE2, key));
  check('second image host (zkres2) served', other.status === 200 && other.head === '89504e470d0a1a0a', other);

  const tampered = await probe(path.replace(/\/img\/(.)/, (_m, c: string) => `/img/${c === 'A' ? 'B' : 'A'}`));
  check('tampered signature: 404', tampered.status === 404, tampered);
  check('tampered signature: upstream not contacted', upstreamLog.length === 2, upstreamLog.length);
}

let exitCode = 1;
const overall = setTimeout(() => {
  console.error('e2e: overall timeout');
  stopChildren();
  removeNamespace();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopChildren();
    removeNamespace();
    process.exit(130);
  });
}

try {
  await main();
  exitCode = failures.length === 0 ? 0 : 1;
  console.log(failures.length === 0 ? 'e2e: PASS' : `e2e: ${failures.length} check(s) failed`);
} catch (error) {
  console.error(`e2e: error: ${error instanceof Error ? error.message : String(error)}`);
  if (wranglerOutput) console.error(`--- wrangler dev output ---\n${wranglerOutput.slice(-4000)}`);
} finally {
  clearTimeout(overall);
  stopChildren();
  await new Promise((r) => setTimeout(r, 500));
  removeNamespace();
  rmSync(persistDir, { recursive: true, force: true });
  if (existsSync(`/etc/netns/${NS}`)) console.error(`e2e: could not remove /etc/netns/${NS}`);
}
process.exit(exitCode);
