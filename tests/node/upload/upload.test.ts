/**
 * The upload against the real local store (Miniflare KV and D1 on disk): what it writes, that it
 * writes nothing for bad input, and that a reader never sees a listed article that is missing —
 * whenever the upload is killed.
 */
import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kvKeys } from '../../../src/store/kv-layout';
import {
  type Snapshot,
  fixtureFolder,
  killableStore,
  post,
  recording,
  runUpload,
  snapshot,
  tempDir,
  writeTree,
} from './helpers';

const NOW = () => new Date('2026-01-01T00:00:00.000Z');

/** Bitwise CRC-16/ARC (poly 0xA001 reflected, init 0): an oracle independent of src/hexo/crc.ts. */
function crc16(text: string): number {
  let crc = 0;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Listed ⇒ present: every article a list or the search index names has its KV value. */
function assertReadersSafe(s: Snapshot, when: string) {
  const missing: string[] = [];
  for (const e of s.entries) if (!s.kv.has(kvKeys.article(e.slug as string))) missing.push(`entry ${String(e.list)}#${String(e.pos)} → ${String(e.slug)}`);
  for (const a of s.articles) if (!s.kv.has(kvKeys.article(a.slug as string))) missing.push(`articles row ${String(a.slug)}`);
  expect(missing, when).toEqual([]);
}

describe('uploading a Hexo posts tree', () => {
  it('gives every post its abbrlink URL, lists it on every level of its categories, and writes it in order', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    const titles = ['苹果发布 iPhone 13', 'Win11 漏洞 "修复" 100% & more', '#标签？测试 + emoji 🎉'];
    await writeTree(dir, {
      [`新媒体/ZAKER/channel/${titles[0]}.md`]: post(titles[0]!, 'Sun, 12 Sep 2021 18:08:39 GMT'),
      [`新媒体/ZAKER/channel/${titles[1]}.md`]: post(titles[1]!, 'Mon, 13 Sep 2021 18:08:39 GMT'),
      // the same file name in another channel: another article
      [`新媒体/ZAKER/科技/${titles[0]}.md`]: post(titles[0]!, 'Tue, 14 Sep 2021 18:08:39 GMT', ['新媒体', 'ZAKER', '科技']),
      [`图片/煎蛋/首页/${titles[2]}.md`]: post(titles[2]!, '2021-09-15 10:00:00', ['图片', '煎蛋', '首页']),
      '新媒体/.hidden.md': post('hidden', 'Sun, 12 Sep 2021 18:08:39 GMT'),
      '_drafts/draft.md': post('draft', 'Sun, 12 Sep 2021 18:08:39 GMT'),
      '新媒体/notes.txt': 'not a post',
    });
    const outcome = await runUpload(root, dir, { now: NOW });
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.summary).toMatchObject({ added: 4, updated: 0, deleted: 0 });
    const s = await snapshot(root);
    const paths = s.articles.map((a) => [a.slug, a.path]);
    const hex = (t: string) => crc16(t).toString(16);
    const sameTitle = hex(titles[0]!);
    // Collisions are bumped +1 in (date, path) order: the older of the two keeps the CRC.
    expect(Object.fromEntries(paths)).toEqual({
      [`新媒体/ZAKER/channel/${titles[0]}`]: `/p/${sameTitle}.html`,
      [`新媒体/ZAKER/科技/${titles[0]}`]: `/p/${(crc16(titles[0]!) + 1).toString(16)}.html`,
      [`新媒体/ZAKER/channel/${titles[1]}`]: `/p/${hex(titles[1]!)}.html`,
      [`图片/煎蛋/首页/${titles[2]}`]: `/p/${hex(titles[2]!)}.html`,
    });
    const count = (key: string) => s.lists.find((l) => l.key === key)?.count;
    expect(count('home')).toBe(4);
    expect(count('cat:新媒体')).toBe(3);
    expect(count('cat:新媒体/ZAKER')).toBe(3);
    expect(count('cat:新媒体/ZAKER/channel')).toBe(2);
    expect(count('cat:新媒体/ZAKER/科技')).toBe(1);
    expect(count('cat:图片/煎蛋/首页')).toBe(1);
    expect(count('month:2021/09')).toBe(4);
    // Every article and every link key is in KV; the index record is there and matches D1.
    for (const a of s.articles) {
      expect(s.kv.has(kvKeys.article(a.slug as string))).toBe(true);
      expect(s.kv.get(kvKeys.link(a.path as string))).toBe(a.slug);
    }
    const record = JSON.parse(s.kv.get(kvKeys.index)!) as { version: string };
    expect(record.version).toBe(s.meta.find((m) => m.key === 'version')?.value);
    assertReadersSafe(s, 'after the upload');
  });

  it('writes nothing at all when nothing changed', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await fixtureFolder();
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    const before = await snapshot(root);
    const rec = recording();
    const outcome = await runUpload(root, dir, { now: NOW }, (s) => killableStore(s, rec));
    expect(outcome.ok && outcome.line).toMatch(/^added 0, updated 0, unchanged 61, deleted 0, relinked 0 \(0 KV keys written, 0 deleted; 0 D1 rows written\)$/);
    expect(rec.writes).toBe(0);
    expect(await snapshot(root)).toEqual(before);
  });

  it('adds the newest post with a constant number of writes: ≤ 4 KV keys, ≤ 50 D1 rows (D1 counts them)', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      const day = new Date(Date.UTC(2021, 0, 1) + i * 3_600_000).toUTCString();
      files[`新媒体/源${i % 7}/频道${i % 3}/文章 ${i}.md`] = post(`文章 ${i}`, day, ['新媒体', `源${i % 7}`, `频道${i % 3}`]);
    }
    await writeTree(dir, files);
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    await writeTree(dir, { '新媒体/源1/频道1/最新的文章.md': post('最新的文章', 'Sat, 01 Jan 2022 23:59:59 GMT', ['新媒体', '源1', '频道1']) });
    const rec = recording();
    const outcome = await runUpload(root, dir, { now: NOW }, (s) => killableStore(s, rec));
    expect(outcome.ok && outcome.summary, JSON.stringify(outcome.ok && outcome.summary)).toMatchObject({ added: 1, relinked: 1, unchanged: 299 });
    // the new article, its link key, the previous newest (its "newer" neighbour), the index record
    expect(rec.kvPuts.length).toBeLessThanOrEqual(4);
    expect(rec.kvPuts).toContain(kvKeys.index);
    expect(rec.d1.rowsWritten).toBeGreaterThan(0);
    expect(rec.d1.rowsWritten).toBeLessThanOrEqual(50);
  });

  it('keeps the abbrlink of an existing post when a newer post with the same title arrives', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    await writeTree(dir, { 'a/同名.md': post('同名', 'Tue, 14 Sep 2021 18:08:39 GMT') });
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    // An older-dated twin arrives later: the first keeps its URL, the newcomer is bumped.
    await writeTree(dir, { 'b/同名.md': post('同名', 'Sun, 12 Sep 2021 18:08:39 GMT') });
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    const paths = Object.fromEntries((await snapshot(root)).articles.map((a) => [a.slug, a.path]));
    expect(paths).toEqual({ 'a/同名': `/p/${crc16('同名').toString(16)}.html`, 'b/同名': `/p/${(crc16('同名') + 1).toString(16)}.html` });
  });
});

describe('names that are JavaScript object keys', () => {
  it('uploads __proto__.md and constructor.md like any post, writes nothing the second time, and prunes them', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    await writeTree(dir, {
      '__proto__.md': post('原型', 'Sat, 13 Nov 2021 06:08:05 GMT'),
      'a/constructor.md': post('构造', 'Sun, 14 Nov 2021 06:08:05 GMT'),
      'a/ok.md': post('正常', 'Mon, 15 Nov 2021 06:08:05 GMT'),
    });
    const first = await runUpload(root, dir, { now: NOW });
    expect(first.ok && first.summary).toMatchObject({ added: 3 });
    expect(first.warnings.join('\n')).toMatch(/__proto__\.md: warning: Hexo would hide this name/);
    const s = await snapshot(root);
    expect(s.articles.map((a) => a.slug).sort()).toEqual(['__proto__', 'a/constructor', 'a/ok']);
    expect(JSON.parse(s.kv.get(kvKeys.article('__proto__'))!).title).toBe('原型');
    const rec = recording();
    const again = await runUpload(root, dir, { now: NOW }, (st) => killableStore(st, rec));
    expect(again.ok && again.summary).toMatchObject({ added: 0, unchanged: 3 });
    expect(rec.writes).toBe(0);
    await rm(path.join(dir, '__proto__.md'));
    await rm(path.join(dir, 'a/constructor.md'));
    const pruned = await runUpload(root, dir, { now: NOW, prune: true });
    expect(pruned.ok && pruned.summary, JSON.stringify(pruned.ok && pruned.summary)).toMatchObject({ deleted: 2, relinked: 1 });
    const after = await snapshot(root);
    expect(after.articles.map((a) => a.slug)).toEqual(['a/ok']);
    expect(after.kv.has(kvKeys.article('__proto__'))).toBe(false);
    expect(after.kv.has(kvKeys.article('a/constructor'))).toBe(false);
  });
});

describe('bad input: a clear error naming the file, and nothing written', () => {
  const cases: [string, Record<string, string | Buffer>, RegExp][] = [
    ['broken YAML', { 'a/b.md': '---\ntitle: [unclosed\n---\nbody' }, /a\/b\.md:\d+: invalid YAML/],
    ['a missing title', { 'a/b.md': '---\ndate: 2021-01-01\n---\nbody' }, /a\/b\.md:\d*:? ?.*title/],
    ['minutes ≥ 60', { 'a/b.md': "---\ntitle: x\ndate: 'Sat, 13 Nov 2021 06:60:05 GMT'\n---\nb" }, /a\/b\.md:3: /],
    ['a YAML alias bomb', { 'a/b.md': `---\ntitle: x\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ncategories: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n---\nb` }, /a\/b\.md:\d+: .*alias/i],
    ['a 60-character Chinese category (its KV-era key was over 512 bytes)', { 'a/b.md': post('x', 'Sat, 13 Nov 2021 06:08:05 GMT', ['中'.repeat(2000)]) }, /category or tag name is too long/],
    ['a path too long for a KV key', { [`${'长'.repeat(80)}/${'长'.repeat(80)}/${'名'.repeat(80)}.md`]: post('x', 'Sat, 13 Nov 2021 06:08:05 GMT') }, /too long for a KV key/],
    ['a backslash in a name', { 'a/evil\\victim.md': post('x', 'Sat, 13 Nov 2021 06:08:05 GMT') }, /evil\\victim\.md: contains a backslash/],
    ['a right-to-left override in a name', { 'a/txt\u202Egpj.md': post('x', 'Sat, 13 Nov 2021 06:08:05 GMT') }, /U\+202E/],
    ['a file name that is not UTF-8', { [Buffer.from('a/caf\xe9.md', 'latin1').toString('latin1')]: post('x', 'Sat, 13 Nov 2021 06:08:05 GMT') }, /not valid UTF-8/],
  ];

  it.each(cases)('%s', async (_name, files, message) => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    // A valid post beside the bad one: it must not be written either.
    await writeTree(dir, { 'good/ok.md': post('ok', 'Sat, 13 Nov 2021 06:08:05 GMT') });
    for (const [rel, text] of Object.entries(files)) {
      if (rel.includes('caf')) {
        // A Latin-1 file name, written through a Buffer path so the bytes stay as they are.
        const { writeFileSync, mkdirSync } = await import('node:fs');
        mkdirSync(path.join(dir, 'a'), { recursive: true });
        writeFileSync(Buffer.concat([Buffer.from(`${dir}/a/caf`), Buffer.from([0xe9]), Buffer.from('.md')]), text);
      } else await writeTree(dir, { [rel]: text });
    }
    let opened = false;
    const outcome = await runUpload(root, dir, { now: NOW }, (s) => {
      opened = true;
      return s;
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.join('\n')).toMatch(message);
    expect(opened).toBe(false);
    expect((await snapshot(root)).kv.size).toBe(0);
  });

  it('refuses two names that differ only in Unicode normalisation (NFC and NFD)', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    await writeTree(dir, { 'a/café.md': post('one', 'Sat, 13 Nov 2021 06:08:05 GMT'), ['a/cafe\u0301.md']: post('two', 'Sat, 13 Nov 2021 06:08:05 GMT') });
    const outcome = await runUpload(root, dir, { now: NOW });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.join('\n')).toMatch(/differ only in Unicode normalisation/);
  });

  it('treats a folder with no posts as an error, and --prune of everything needs --allow-empty', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await tempDir('ecp-tree-');
    await writeTree(dir, { 'a/b.md': post('x', 'Sat, 13 Nov 2021 06:08:05 GMT') });
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    await rm(path.join(dir, 'a'), { recursive: true });
    const empty = await runUpload(root, dir, { now: NOW, prune: true });
    expect(empty.ok).toBe(false);
    expect(!empty.ok && empty.errors.join('\n')).toMatch(/no posts found.*--allow-empty/s);
    expect((await snapshot(root)).articles).toHaveLength(1);
    const allowed = await runUpload(root, dir, { now: NOW, prune: true, allowEmpty: true });
    expect(allowed.ok && allowed.summary).toMatchObject({ deleted: 1 });
    const s = await snapshot(root);
    expect(s.articles).toHaveLength(0);
    expect([...s.kv.keys()].filter((k) => k.startsWith(kvKeys.articlePrefix))).toEqual([]);
  });

  it('does not follow a symbolic link out of the posts folder', async () => {
    const root = await tempDir('ecp-root-');
    const outside = await tempDir('ecp-outside-');
    await writeTree(outside, { 'secret.md': post('secret', 'Sat, 13 Nov 2021 06:08:05 GMT') });
    const dir = await tempDir('ecp-tree-');
    await writeTree(dir, { 'a/in.md': post('in', 'Sat, 13 Nov 2021 06:08:05 GMT') });
    await symlink(outside, path.join(dir, 'escape'));
    await symlink(path.join(dir, 'a'), path.join(dir, 'inside-link'));
    const outcome = await runUpload(root, dir, { now: NOW });
    expect(outcome.ok).toBe(true);
    expect(outcome.warnings.join('\n')).toMatch(/escape: warning: symbolic link to outside/);
    expect((await snapshot(root)).articles.map((a) => a.slug)).toEqual(['a/in']);
  });
});

describe('an interrupted upload', () => {
  it('leaves readers safe and is finished by running it again (the full kill-point matrix is in tests/worker/upload)', async () => {
    const root = await tempDir('ecp-root-');
    const dir = await fixtureFolder();
    const full = recording();
    const reference = await tempDir('ecp-ref-');
    expect((await runUpload(reference, dir, { now: NOW }, (s) => killableStore(s, full))).ok).toBe(true);
    // Killed half-way through the KV writes of a first upload of 61 posts.
    const rec = recording(Math.floor(full.writes / 2));
    await expect(runUpload(root, dir, { now: NOW }, (s) => killableStore(s, rec))).rejects.toThrow(/killed after \d+ writes.*run the upload again/);
    const killed = await snapshot(root);
    expect(killed.kv.size).toBeGreaterThan(0);
    assertReadersSafe(killed, 'after the kill');
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    expect(await snapshot(root)).toEqual(await snapshot(reference));
  });
});
