import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kvKeys, type IndexMeta, type IndexShard, type StoredArticle } from '../../../src/store/kv-layout';
import { openLocalKv } from '../../../src/upload/local-kv';
import { upload } from '../../../src/upload/upload';
import { NAMESPACE, type Recording, dumpStore, fixtures, postsFolder, recordingTarget, tempDir, writePost } from './store-helpers';

const run = promisify(execFile);
const open = (root: string) => () => openLocalKv(root, NAMESPACE);
const FIRST = '000_1c07ab0e1a8962a0.md';

function listedSlugs(store: Map<string, string>): string[] {
  const meta = JSON.parse(store.get(kvKeys.meta)!) as IndexMeta;
  const slugs: string[] = [];
  for (let p = 1; p <= meta.pages; p++) {
    slugs.push(...(JSON.parse(store.get(kvKeys.page(p))!) as IndexShard).items.map((i) => i.slug));
  }
  return slugs;
}

describe('upload to local KV', () => {
  it('writes every article, its navigation and the index, newest first', async () => {
    const root = await tempDir('ecp-root-');
    const outcome = await upload({ dir: fixtures }, open(root));
    expect(outcome.ok && outcome.summary).toMatch(/^added 61, updated 0, unchanged 0, deleted 0/);
    const store = await dumpStore(root);
    const first = JSON.parse(store.get(kvKeys.article('000_1c07ab0e1a8962a0'))!) as StoredArticle;
    expect(first.title).toBe('习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话');
    expect(first.body).toBe((await readFile(path.join(fixtures, FIRST), 'utf8')).split('\n---\n').slice(2).join('\n---\n'));
    const meta = JSON.parse(store.get(kvKeys.meta)!) as IndexMeta;
    expect(meta).toMatchObject({ total: 61, pageSize: 20, pages: 4 });
    const listed = listedSlugs(store);
    expect(listed).toHaveLength(61);
    expect(new Set(listed).size).toBe(61);
    for (const slug of listed) expect(store.has(kvKeys.article(slug))).toBe(true);
    const dates = listed.map((s) => (JSON.parse(store.get(kvKeys.article(s))!) as StoredArticle).date!);
    expect([...dates].sort().reverse()).toEqual(dates);
    const zaker = meta.categories.find((c) => c.name === 'ZAKER');
    expect(zaker?.count).toBeGreaterThan(5);
    expect(store.has(kvKeys.category('ZAKER', 1))).toBe(true);
  });

  it('writes nothing when nothing changed', async () => {
    const root = await tempDir('ecp-root-');
    await upload({ dir: fixtures }, open(root));
    const before = await dumpStore(root);
    const rec: Recording = { puts: [], deletes: [] };
    const outcome = await upload({ dir: fixtures }, recordingTarget(root, rec));
    expect(outcome.ok && outcome.summary).toMatch(/^added 0, updated 0, unchanged 61, deleted 0 \(0 keys written, 0 deleted\)/);
    expect(rec).toEqual({ puts: [], deletes: [] });
    expect(await dumpStore(root)).toEqual(before);
  });

  it('rewrites only the changed article and the shards that list it', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await postsFolder();
    await upload({ dir }, open(root));
    const source = await readFile(path.join(dir, FIRST), 'utf8');
    await writePost(dir, FIRST, source.replace('<p>', '<p>更新：'));
    const rec: Recording = { puts: [], deletes: [] };
    const outcome = await upload({ dir }, recordingTarget(root, rec));
    expect(outcome.ok && outcome.summary).toMatch(/^added 0, updated 1, unchanged 60, deleted 0/);
    // Body-only change: summary (title, date, thumbnail) unchanged except its hash, so the lists
    // that show it change (home page, its three categories, sitemap untouched), nothing else.
    const store = await dumpStore(root);
    const meta = JSON.parse(store.get(kvKeys.meta)!) as IndexMeta;
    const shardListing = (keyOf: (p: number) => string) =>
      keyOf([1, 2, 3, 4].find((p) => {
        const raw = store.get(keyOf(p));
        return raw && (JSON.parse(raw) as IndexShard).items.some((i) => i.slug === '000_1c07ab0e1a8962a0');
      })!);
    const expected = [
      kvKeys.article('000_1c07ab0e1a8962a0'),
      shardListing(kvKeys.page),
      ...['新媒体', 'ZAKER', 'source'].map((c) => shardListing((p) => kvKeys.category(c, p))),
      kvKeys.meta,
    ];
    expect(rec.puts.filter((k) => !k.startsWith(kvKeys.manifest))).toEqual(expect.arrayContaining(expected));
    expect(rec.puts.filter((k) => !k.startsWith(kvKeys.manifest))).toHaveLength(expected.length);
    expect(rec.puts.filter((k) => k.startsWith(`${kvKeys.manifest}:`))).toHaveLength(1);
    expect(rec.deletes).toEqual([]);
    expect(meta.total).toBe(61);
    expect((JSON.parse(store.get(kvKeys.article('000_1c07ab0e1a8962a0'))!) as StoredArticle).body).toContain('更新：');
  });

  it('keeps articles missing from the folder unless --prune, then deletes and unlists them', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await postsFolder();
    await upload({ dir }, open(root));
    await rm(path.join(dir, '19-199it-tiny-no-image.md'));
    const kept = await upload({ dir }, open(root));
    expect(kept.ok && kept.summary).toMatch(/^added 0, updated 0, unchanged 60, deleted 0/);
    expect(listedSlugs(await dumpStore(root))).toContain('19-199it-tiny-no-image');

    const pruned = await upload({ dir, prune: true }, open(root));
    expect(pruned.ok && pruned.summary).toMatch(/deleted 1/);
    const store = await dumpStore(root);
    expect(store.has(kvKeys.article('19-199it-tiny-no-image'))).toBe(false);
    expect(store.has(kvKeys.nav('19-199it-tiny-no-image'))).toBe(false);
    expect(listedSlugs(store)).not.toContain('19-199it-tiny-no-image');
    expect(listedSlugs(store)).toHaveLength(60);
  });

  it('says what it would do on --dry-run and writes nothing', async () => {
    const root = await tempDir('ecp-root-');
    const lines: string[] = [];
    const outcome = await upload({ dir: fixtures, dryRun: true, log: (l) => lines.push(l) }, open(root));
    expect(outcome.ok && outcome.summary).toMatch(/^dry run: would write \d+ keys and delete 0: added 61/);
    expect(lines).toContain('would add 000_1c07ab0e1a8962a0');
    expect((await dumpStore(root)).size).toBe(0);
  });

  it('validates every file before writing anything: one bad file, zero writes, file and line named', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await postsFolder([FIRST, '01-zaker-win11-offline-activation.md']);
    await upload({ dir }, open(root));
    const before = await dumpStore(root);
    await writePost(dir, 'zz-new-good.md', '---\ntitle: New\n---\n<p>new</p>');
    await writePost(dir, 'broken.md', '\n---\ntitle: Broken\ncategories: [a, b\nauthor: x\n---\n<p>x</p>');
    await writePost(dir, 'untitled.md', '---\nauthor: x\n---\n');
    let opened = false;
    const outcome = await upload({ dir }, async () => {
      opened = true;
      return open(root)();
    });
    expect(opened).toBe(false);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toHaveLength(2);
    expect(outcome.errors[0]).toMatch(new RegExp(`broken\\.md:\\d+: invalid YAML`));
    expect(outcome.errors[1]).toMatch(/untitled\.md:1: missing or empty `title`/);
    expect(await dumpStore(root)).toEqual(before);
  });

  it('refuses a post over the KV value limit', async () => {
    const dir = await tempDir('ecp-posts-');
    await writePost(dir, 'huge.md', `---\ntitle: Huge\n---\n<p>${'x'.repeat(26 * 1024 * 1024)}</p>`);
    const outcome = await upload({ dir }, async () => {
      throw new Error('must not open the store');
    });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors[0]).toMatch(/huge\.md: too large: 26\.0 MiB stored, over Workers KV's 25 MiB value limit/);
  });

  it('never lists a missing article when killed mid-upload, and a rerun finishes the job', async () => {
    for (const killAfter of [0, 1, 30, 61, 70, 100]) {
      const root = await tempDir('ecp-root-');
      const rec: Recording = { puts: [], deletes: [] };
      await expect(upload({ dir: fixtures }, recordingTarget(root, rec, killAfter))).rejects.toThrow('killed');
      const store = await dumpStore(root);
      if (store.has(kvKeys.meta)) {
        for (const slug of listedSlugs(store)) expect(store.has(kvKeys.article(slug))).toBe(true);
      }
      const rerun = await upload({ dir: fixtures }, open(root));
      expect(rerun.ok).toBe(true);
      expect(listedSlugs(await dumpStore(root))).toHaveLength(61);
      const again = await upload({ dir: fixtures }, open(root));
      expect(again.ok && again.plan.writes).toBe(0);
    }
  });
});

describe('upload CLI', () => {
  const cli = path.resolve(__dirname, '../../../src/upload/cli.ts');

  it('exits 1 naming the bad file and line, and writes nothing', async () => {
    const dir = await postsFolder([FIRST]);
    await writePost(dir, 'bad.md', '---\ntitle: x\nauthor: a: b\n---\n');
    const result = await run(process.execPath, ['--import', 'tsx', cli, '--dir', dir]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.join(dir, 'bad.md')}:3: invalid YAML front matter`);
    expect(result.stderr).toMatch(/1 invalid file\(s\) in .*; nothing was written\./);
  });

  it('rejects unknown options with a usage message', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', cli, '--nope']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: npm run upload/);
  });
});
