/**
 * A real shared cache in front of the Worker: nginx (Debian's nginx-light) with proxy_cache on
 * loopback, in front of `wrangler dev` on a fresh local KV. Shows:
 *   1. a repeat request is a cache HIT (the Worker is not asked again),
 *   2. after s-maxage, an unchanged page is REVALIDATED with a conditional request (304 upstream),
 *   3. after a re-upload, the expired page is refetched with the new content and a new ETag,
 *   4. HEAD and lists go through the same rules.
 *
 *   node --import tsx tests/e2e/shared-cache/run-nginx-e2e.mts     (needs /usr/sbin/nginx)
 *
 * Only 127.0.0.1 is contacted. Processes and temp dirs are removed on exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uploadInto } from '../lib/upload-into.mts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const WORKER_PORT = 8793;
const NGINX_PORT = 8794;
const work = mkdtempSync(join(tmpdir(), 'ecp-nginx-e2e-'));
const children: ChildProcess[] = [];
let passed = 0;
let failed = 0;

function check(name: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : ` — ${detail}`}`);
}

function cleanup(): void {
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function start(cmd: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(cmd, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  children.push(child);
  return child;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not come up within ${ms} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  // Content: a copy of content/ in a temp folder we can edit.
  const posts = join(work, 'posts');
  cpSync(join(root, 'content'), posts, { recursive: true });
  const projectRoot = join(work, 'project');
  mkdirSync(projectRoot, { recursive: true });
  const doUpload = async () => {
    const out = await uploadInto(join(projectRoot, '.wrangler', 'state'), posts);
    if (!out.ok) throw new Error(out.errors.join('\n'));
    return out.line;
  };
  console.log(`upload: ${await doUpload()}`);

  // Short shared lifetime so expiry can be observed; browsers get no caching at all.
  const wranglerLog: string[] = [];
  start(
    'npx',
    [
      'wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(WORKER_PORT),
      '--persist-to', join(projectRoot, '.wrangler', 'state'),
      '--var', 'CACHE_ARTICLE:public, max-age=0, s-maxage=2',
      '--var', 'CACHE_LIST:public, max-age=0, s-maxage=2',
      '--var', 'IMAGE_SIGNING_KEY:e2e-key', '--show-interactive-dev-session=false',
    ],
    wranglerLog,
  );
  await waitFor(`http://127.0.0.1:${WORKER_PORT}/robots.txt`, 90_000).catch((e) => {
    console.error(wranglerLog.join(''));
    throw e;
  });

  const conf = join(work, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${work}/access.log;
  proxy_cache_path ${work}/cache levels=1:2 keys_zone=pages:1m max_size=50m inactive=10m use_temp_path=off;
  server {
    listen 127.0.0.1:${NGINX_PORT};
    location / {
      proxy_pass http://127.0.0.1:${WORKER_PORT};
      proxy_http_version 1.1;
      proxy_cache pages;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`,
  );
  const nginxLog: string[] = [];
  start('/usr/sbin/nginx', ['-c', conf, '-p', work], nginxLog);
  await waitFor(`http://127.0.0.1:${NGINX_PORT}/robots.txt`, 10_000);

  const via = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${NGINX_PORT}${path}`, init);
  const status = (r: Response) => r.headers.get('x-cache-status');
  const workerHits = (path: string) =>
    wranglerLog.join('').split('\n').filter((l) => l.includes(`GET ${path} `)).length;

  // The articles' own URLs (their permalinks), asked of the Worker directly.
  const permalink = async (slug: string) =>
    new URL(((await (await fetch(`http://127.0.0.1:${WORKER_PORT}/api/articles/${encodeURIComponent(slug)}`)).json()) as { url: string }).url).pathname;
  const article = await permalink('000_1c07ab0e1a8962a0');
  const other = await permalink('01-zaker-win11-offline-activation');

  const a1 = await via(article);
  const body1 = await a1.text();
  check('the article comes through nginx with 200', a1.status === 200, `got ${a1.status}`);
  check('first article request is a MISS', status(a1) === 'MISS', `got ${status(a1)}`);
  const a2 = await via(article);
  await a2.text();
  check('repeat article request is a HIT', status(a2) === 'HIT', `got ${status(a2)}`);
  check('the HIT did not reach the Worker', workerHits(article) === 1, `Worker saw ${workerHits(article)} GETs`);
  check('the HIT carries the same ETag', a1.headers.get('etag') !== null && a2.headers.get('etag') === a1.headers.get('etag'));

  const h1 = await via('/');
  await h1.text();
  const h2 = await via('/');
  await h2.text();
  check('home page: MISS then HIT', status(h1) === 'MISS' && status(h2) === 'HIT', `${status(h1)}, ${status(h2)}`);

  const o1 = await via(other);
  const otherEtag = o1.headers.get('etag');
  await o1.text();

  // Change the first article, upload, let s-maxage pass.
  const file = join(posts, '000_1c07ab0e1a8962a0.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('<p>', '<p>更新后的内容。'));
  console.log(`upload: ${await doUpload()}`);
  await sleep(3_000);

  const a3 = await via(article);
  const body3 = await a3.text();
  check('after expiry a changed article is refetched (EXPIRED)', status(a3) === 'EXPIRED', `got ${status(a3)}`);
  check('the refetched article has the new content', body3.includes('更新后的内容。') && body3 !== body1);
  check('the refetched article has a new ETag', a3.headers.get('etag') !== null && a3.headers.get('etag') !== a1.headers.get('etag'));
  const a4 = await via(article);
  await a4.text();
  check('and is then a HIT again', status(a4) === 'HIT', `got ${status(a4)}`);

  const o2 = await via(other);
  await o2.text();
  check('after expiry an unchanged article is REVALIDATED (upstream 304)', status(o2) === 'REVALIDATED', `got ${status(o2)}`);
  check('the revalidated article keeps its ETag', otherEtag !== null && o2.headers.get('etag') === otherEtag);

  const access = readFileSync(join(work, 'access.log'), 'utf8');
  check('nginx logged the requests', access.split('\n').filter(Boolean).length >= 8);

  const head = await via(article, { method: 'HEAD' });
  check('HEAD through the cache answers 200 with the ETag', head.status === 200 && head.headers.get('etag') === a3.headers.get('etag'));
}

main()
  .catch((error: unknown) => {
    failed++;
    console.error(`error: ${error instanceof Error ? error.stack : String(error)}`);
  })
  .finally(() => {
    console.log(`shared-cache e2e: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
