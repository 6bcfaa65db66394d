/**
 * The upload as a user runs it (`node --import tsx src/upload/cli.ts`): exit codes, the summary
 * line, --json, a Hexo site root with its _config.yml, and the same store whatever the machine's
 * time zone is.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/upload/project';
import { post, tempDir, writeTree } from './helpers';
import { Miniflare } from 'miniflare';

const exec = promisify(execFile);
const CLI = path.join(projectRoot, 'src/upload/cli.ts');
const WRANGLER = { kv: '0f2ac74b3b4c4d8b9d2a1e5c6b7a8f90', d1: '6b1e9a52-3c47-4d8e-9f20-5a7c1d3e8b64' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: projectRoot,
      env: { ...process.env, INIT_CWD: projectRoot, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The D1 rows and KV values under a --persist-to folder (the project's wrangler.toml ids). */
async function stored(persistTo: string) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null) } }',
    kvNamespaces: { KV: WRANGLER.kv },
    kvPersist: path.join(persistTo, 'v3', 'kv'),
    d1Databases: { DB: WRANGLER.d1 },
    d1Persist: path.join(persistTo, 'v3', 'd1'),
  });
  try {
    const db = await mf.getD1Database('DB');
    const kv = await mf.getKVNamespace('KV');
    const keys = (await kv.list()).keys.map((k) => k.name);
    const values = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await kv.get(k)] as const)));
    const articles = (await db.prepare('SELECT slug, path, date, summary, value_hash FROM articles ORDER BY slug').all()).results;
    const lists = (await db.prepare('SELECT key, count, first FROM lists ORDER BY key').all()).results;
    const meta = (await db.prepare("SELECT key, value FROM meta WHERE key IN ('version', 'site') ORDER BY key").all()).results;
    return { articles, lists, meta, values };
  } finally {
    await mf.dispose();
  }
}

const CONFIG = `# Hexo Configuration
title: 小冰 RSSHub
description: ''
author: 冰卡诺
language: zh-CN
timezone: 'Asia/Shanghai'
url: https://news.zfe.space
permalink: p/:abbrlink.html
per_page: 100
pagination_dir: page
abbrlink:
  alg: crc16
  rep: hex
`;

describe('the upload command', () => {
  it('exits 1 with the file named when a post is invalid, and writes nothing', async () => {
    const dir = await tempDir('ecp-tree-');
    const state = await tempDir('ecp-state-');
    await writeTree(dir, { 'a/ok.md': post('ok', 'Sat, 13 Nov 2021 06:08:05 GMT'), 'a/bad.md': '---\ntitle: x\ndate: tomorrow\n---\n' });
    const run = await cli(['--dir', dir, '--persist-to', state]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: ${path.join(dir, 'a/bad.md')}:3: `);
    expect(run.stderr).toMatch(/nothing was written/);
    expect((await stored(state).catch(() => ({ values: {} }))).values).toEqual({});
  });

  it('exits 1 for a folder with no posts, never a silent no-op', async () => {
    const dir = await tempDir('ecp-empty-');
    await writeTree(dir, { 'readme.txt': 'no posts here', '.hidden/a.md': post('h', 'Sat, 13 Nov 2021 06:08:05 GMT') });
    const run = await cli(['--dir', dir, '--persist-to', await tempDir('ecp-state-')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no posts found/);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--local', '--remote'], /exclusive/],
    [['--allow-empty'], /only makes sense with --prune/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 for --remote without a token, naming what is missing', async () => {
    const run = await cli(['--remote', '--dir', await tempDir('ecp-tree-')], { CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CLOUDFLARE_API_TOKEN/);
  });

  it('reads a Hexo site root: posts from source/_posts, settings from _config.yml, and prints one summary line (or JSON)', async () => {
    const site = await tempDir('ecp-site-');
    const state = await tempDir('ecp-state-');
    await writeTree(site, {
      '_config.yml': CONFIG,
      // A zoneless date: read in the site's zone (Asia/Shanghai), so 2021-11-01 02:00 there is 10-31 UTC.
      'source/_posts/新媒体/ZAKER/channel/凌晨的新闻.md': post('凌晨的新闻', '2021-11-01 02:00:00'),
      'source/_drafts/草稿.md': post('草稿', '2021-11-01 02:00:00'),
    });
    const run = await cli(['--dir', site, '--persist-to', state]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^added 1, updated 0, unchanged 0, deleted 0, relinked 0 \(3 KV keys written, 0 deleted; \d+ D1 rows written\)\n$/);
    const s = await stored(state);
    expect(s.articles).toHaveLength(1);
    expect(s.articles[0]).toMatchObject({ slug: '新媒体/ZAKER/channel/凌晨的新闻', date: '2021-10-31T18:00:00.000Z' });
    // Archives are grouped in the site's zone: November, not October.
    expect(s.lists.map((l) => l.key)).toContain('month:2021/11');
    const site0 = JSON.parse((s.meta.find((m) => m.key === 'site') as { value: string }).value);
    expect(site0).toEqual({ title: '小冰 RSSHub', author: '冰卡诺', language: 'zh-CN', url: 'https://news.zfe.space', perPage: 100, timezone: 'Asia/Shanghai' });
    const json = await cli(['--dir', site, '--persist-to', state, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, added: 0, unchanged: 1, kvWritten: 0, d1RowsWritten: 0 });
  });

  it('lets a flag win over wrangler.toml and _config.yml (--timezone)', async () => {
    const site = await tempDir('ecp-site-');
    const state = await tempDir('ecp-state-');
    await writeTree(site, { '_config.yml': CONFIG, 'source/_posts/a/b.md': post('b', '2021-11-01 02:00:00') });
    const run = await cli(['--dir', site, '--persist-to', state, '--timezone', 'UTC', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/setting timezone from flag/);
    expect(run.stderr).toMatch(/setting permalink from wrangler\.toml/);
    expect((await stored(state)).articles[0]).toMatchObject({ date: '2021-11-01T02:00:00.000Z' });
  });

  it('stores the same thing whatever the machine time zone is (TZ=UTC and TZ=Asia/Shanghai)', async () => {
    const dir = await tempDir('ecp-tree-');
    await writeTree(dir, {
      // RFC 2822 without a zone and a YAML timestamp: both read in SITE_TIMEZONE (unset: UTC).
      'a/rfc.md': post('rfc', 'Sat, 13 Nov 2021 06:08:05'),
      'a/yaml.md': post('yaml', '2021-10-28 14:08:07'),
    });
    const results = [];
    for (const tz of ['UTC', 'Asia/Shanghai']) {
      const state = await tempDir('ecp-state-');
      const run = await cli(['--dir', dir, '--persist-to', state], { TZ: tz });
      expect(run.code, run.stderr).toBe(0);
      const s = await stored(state);
      // The index record and article values carry the upload time; compare everything else.
      results.push({ articles: s.articles.map((a) => ({ ...a, value_hash: undefined })), lists: s.lists });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.articles.map((a) => (a as { date?: string }).date)).toEqual(['2021-11-13T06:08:05.000Z', '2021-10-28T14:08:07.000Z']);
  });
});
