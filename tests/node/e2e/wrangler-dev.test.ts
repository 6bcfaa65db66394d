/**
 * The whole path with the real tools: the upload script writes the real corpus to a local KV
 * store, `wrangler dev` (as `npm run dev` runs it) serves it, and every article is read back as
 * HTML and JSON. Only loopback is contacted; images are not fetched here (see tests/e2e/).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../../src/upload/local-store';
import { projectRoot, readWranglerConfig } from '../../../src/upload/project';
import { upload } from '../../../src/upload/upload';
import { fixtures } from '../upload/helpers';

const slugs = readdirSync(fixtures).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
let base = '';
let child: ChildProcess | null = null;
let root = '';
const output: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ecp-dev-'));
  const wrangler = readWranglerConfig();
  const outcome = await upload({ dir: fixtures, vars: wrangler.vars, migrationsDir: wrangler.migrationsDir }, () =>
    openLocalStore(root, { kvNamespaceId: wrangler.kvNamespaceId, d1DatabaseId: wrangler.d1DatabaseId }),
  );
  expect(outcome.ok).toBe(true);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev', '--ip', '127.0.0.1', '--port', String(port),
      '--persist-to', path.join(root, '.wrangler', 'state'),
      '--var', 'IMAGE_SIGNING_KEY:e2e-test-key', '--show-interactive-dev-session=false',
    ],
    { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } },
  );
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/robots.txt`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}, 120_000);

afterAll(async () => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (root) await rm(root, { recursive: true, force: true });
});

function attributes(html: string): { tag: string; name: string; value: string }[] {
  const { document } = parseHTML(html);
  return [...document.querySelectorAll('*')].flatMap((el) =>
    [...el.attributes].map((a) => ({ tag: el.tagName.toLowerCase(), name: a.name, value: a.value })),
  );
}

describe('upload script → local KV → wrangler dev', () => {
  it('serves the first article with its Chinese title and date, images through our route', async () => {
    const res = await fetch(`${base}/articles/000_1c07ab0e1a8962a0`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const { document } = parseHTML(html);
    expect(document.querySelector('h1')?.textContent).toBe('习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话');
    expect(document.querySelector('time')?.getAttribute('datetime')).toBe('2021-11-13T06:08:05.000Z');
    const srcs = attributes(html).filter((a) => a.tag === 'img' && a.name === 'src');
    expect(srcs.length).toBe(2); // the header image is the body's first image, shown once
    for (const s of srcs) expect(s.value).toMatch(/^\/img\/[\w-]{22}\/[\w-]+$/);
  });

  it.each(slugs)('serves %s as HTML and JSON with no proxy URL and no off-site image', async (slug) => {
    const pageRes = await fetch(`${base}/articles/${encodeURIComponent(slug)}`);
    expect(pageRes.status).toBe(200);
    const attrs = attributes(await pageRes.text());
    expect(attrs.filter((a) => /cors\.zfour\.workers\.dev/i.test(a.value))).toEqual([]);
    for (const a of attrs.filter((x) => ['src', 'srcset', 'poster'].includes(x.name) && ['img', 'source'].includes(x.tag))) {
      expect(a.value).toMatch(/^(\/img\/|data:image\/)/);
    }
    const jsonRes = await fetch(`${base}/api/articles/${encodeURIComponent(slug)}`);
    expect(jsonRes.status).toBe(200);
    const json = (await jsonRes.json()) as { slug: string; html: string; headimg: string | null };
    expect(json.slug).toBe(slug);
    expect(attributes(json.html).filter((a) => /cors\.zfour/i.test(a.value))).toEqual([]);
    // A post whose front matter names an absolute http(s) header image on a default port gets it
    // through our route (the one image on port 8002, a CSRF example URL, is never fetched).
    const source = readFileSync(path.join(fixtures, `${slug}.md`), 'utf8');
    const raw = /^headimg:\s*'?(https?:\/\/[^'\s]+)/m.exec(source)?.[1]?.replace('https://cors.zfour.workers.dev/?', '');
    const routable = raw !== undefined && new URL(raw).port === '';
    if (routable) expect(json.headimg).toMatch(/^\/img\/[\w-]{22}\/[\w-]+$/);
    else expect(json.headimg).toBeNull();
  });

  it('lists all 61 articles across the API pages', async () => {
    const first = (await (await fetch(`${base}/api/articles`)).json()) as { pages: number; total: number };
    expect(first.total).toBe(61);
    const seen = new Set<string>();
    for (let p = 1; p <= first.pages; p++) {
      const page = (await (await fetch(`${base}/api/articles?page=${p}`)).json()) as { articles: { slug: string }[] };
      for (const a of page.articles) seen.add(a.slug);
    }
    expect([...seen].sort()).toEqual([...slugs].sort());
  });
});
