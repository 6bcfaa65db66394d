/**
 * A misconfigured deployment (issue 12.12/12.13): no IMAGE_SIGNING_KEY, the public development key
 * on a public SITE_URL, or a malformed var — every page answers 500 "server misconfigured" (HTML
 * on the site, JSON under /api), nothing is cached, nothing internal is shown, and the reason is
 * logged once per isolate.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEV_SIGNING_KEY } from '../../../src/images/signing-key';
import { fetchWithEnv } from '../helpers/app';
import { findOne, parseDocument, textOf } from '../helpers/html';
import { apiArticlePath, expectedPermalink, hrefOf } from '../helpers/oracle';
import { clearStore, seed } from '../helpers/seed';
import { TREE, treeFiles } from '../helpers/tree';

beforeAll(async () => {
  await clearStore();
  await seed(treeFiles());
});

afterEach(() => {
  vi.restoreAllMocks();
});

const HTML_PAGES = [
  expectedPermalink(TREE[0]!),
  '/',
  '/page/2/',
  hrefOf(['categories', '新媒体', 'ZAKER']),
  '/categories/',
  '/tags/',
  hrefOf(['tags', 'Windows']),
  '/archives/',
  '/archives/2021/07/',
  '/p/0.html',
  '/robots.txt',
];
const XML_PAGES = ['/atom.xml', '/rss2.xml', '/sitemap.xml'];
const API_PAGES = ['/api/articles', apiArticlePath(TREE[0]!), '/api/categories/', `/api${hrefOf(['tags', 'Windows'])}`];

/** Requests every page with one env (one isolate); returns the responses and the log lines. */
async function everyPage(bindings: Env) {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  const out: { path: string; res: Response; body: string }[] = [];
  for (const path of [...HTML_PAGES, ...XML_PAGES, ...API_PAGES]) {
    const res = await fetchWithEnv(bindings, path);
    out.push({ path, res, body: await res.text() });
  }
  return { out, logs: errors.mock.calls.map((args) => args.map(String).join(' ')) };
}

function expectMisconfigured(results: Awaited<ReturnType<typeof everyPage>>['out'], title: string) {
  for (const { path, res, body } of results) {
    expect(res.status, path).toBe(500);
    expect(res.headers.get('cache-control'), path).toBe('no-store');
    expect(body, path).not.toMatch(/IMAGE_SIGNING_KEY|SITE_URL|PER_PAGE|ConfigError|\.ts:\d+|\bat \w+ \(/);
    if (path.startsWith('/api/')) {
      expect(res.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
      expect(JSON.parse(body), path).toEqual({ error: title, status: 500 });
    } else {
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const h1 = findOne(parseDocument(body), 'h1');
      expect(h1, path).not.toBeNull();
      expect(textOf(h1!), path).toBe(title);
    }
  }
}

describe('the configured test deployment (control)', () => {
  it('serves every page', async () => {
    const { out, logs } = await everyPage({ ...env } as Env);
    for (const { path, res } of out) expect(res.status, path).toBe(path === '/p/0.html' ? 404 : 200);
    expect(logs).toEqual([]);
  });
});

describe('no IMAGE_SIGNING_KEY', () => {
  // One isolate runs this file: the reason is logged once in it, whatever the env objects.
  it('answers every page 500 "站点配置有误", JSON under /api, logs the reason once, and English on an English site', async () => {
    const { out, logs } = await everyPage({ ...env, IMAGE_SIGNING_KEY: '' } as Env);
    expectMisconfigured(out, '站点配置有误');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^server misconfigured: IMAGE_SIGNING_KEY is not set/);
    vi.restoreAllMocks();
    const english = await everyPage({ ...env, IMAGE_SIGNING_KEY: '', SITE_LANG: 'en' } as Env);
    expectMisconfigured(english.out, 'Site misconfigured');
    expect(english.logs).toEqual([]);
  });
});

describe('the public development key', () => {
  it('is refused with SITE_URL=https://news.example.com: every page 500 misconfigured', async () => {
    const { out, logs } = await everyPage({ ...env, IMAGE_SIGNING_KEY: DEV_SIGNING_KEY, SITE_URL: 'https://news.example.com' } as Env);
    expectMisconfigured(out, '站点配置有误');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('development key');
    expect(logs[0]).toContain('https://news.example.com');
  });

  it.each(['http://localhost:8787', 'http://127.0.0.1:8787', 'http://news.localhost'])('is accepted on the local origin %s', async (siteUrl) => {
    const { out, logs } = await everyPage({ ...env, IMAGE_SIGNING_KEY: DEV_SIGNING_KEY, SITE_URL: siteUrl } as Env);
    for (const { path, res } of out) expect(res.status, path).toBe(path === '/p/0.html' ? 404 : 200);
    expect(logs).toEqual([]);
  });
});

describe('malformed vars', () => {
  it.each([
    ['PER_PAGE', 'ten', /PER_PAGE must be a whole number/],
    ['SITE_URL', 'news.example.com', /SITE_URL must be an http\(s\) origin/],
    ['SITE_TIMEZONE', 'Mars/Olympus', /SITE_TIMEZONE must be an IANA zone/],
    ['HOT_CACHE_MS', '-1', /HOT_CACHE_MS must be a whole number/],
  ])('%s=%j: every page 500 misconfigured, one log line naming it', async (name, value, message) => {
    const { out, logs } = await everyPage({ ...env, [name]: value } as Env);
    expectMisconfigured(out, '站点配置有误');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(message);
  });
});
