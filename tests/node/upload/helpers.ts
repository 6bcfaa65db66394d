/**
 * Test helpers around the real local store (Miniflare KV and D1 on disk, as `npm run dev` reads
 * them): temporary projects and post trees, a store that records (and can be killed after N
 * writes), and snapshots of everything the store holds.
 */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { localStatePath, openLocalStore } from '../../../src/upload/local-store';
import type { Statement } from '../../../src/upload/plan';
import { projectRoot } from '../../../src/upload/project';
import type { D1Counts, Store } from '../../../src/upload/targets';
import { type UploadOptions, upload } from '../../../src/upload/upload';

export const fixtures = path.resolve(__dirname, '../../fixtures');
export const IDS = { kvNamespaceId: 'test-kv', d1DatabaseId: 'test-d1' };
export const MIGRATIONS = path.join(projectRoot, 'migrations');
/** The upload settings of wrangler.toml (the real site's permalinks). */
export const VARS = new Map([
  ['PERMALINK', 'p/:abbrlink.html'],
  ['ABBRLINK_ALG', 'crc16'],
  ['ABBRLINK_REP', 'hex'],
]);

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes `files` (path under `dir` → text) into `dir`, creating folders. */
export async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

/** A folder holding copies of the named fixtures (all when omitted). */
export async function fixtureFolder(names?: string[]): Promise<string> {
  const dir = await tempDir('ecp-posts-');
  if (!names) await cp(fixtures, dir, { recursive: true });
  else for (const n of names) await cp(path.join(fixtures, n), path.join(dir, n));
  return dir;
}

/** A generated post: the shape of the real site's (quoted title, a 3-level hierarchy, RFC date). */
export function post(title: string, date: string, categories: string[] = ['新媒体', 'ZAKER', 'channel'], body = `<div><p>${title}。正文。</p></div>`): string {
  const cats = categories.map((c) => ` - ${c}`).join('\n');
  return `\n---\ntitle: '${title.replace(/'/g, "''")}'\ncategories: \n${cats}\nauthor: ZAKER\ncomments: false\ndate: ${date}\n---\n\n${body}\n`;
}

export interface Killable {
  /** Writes done so far: every KV key put or deleted counts 1, every D1 batch counts 1. */
  writes: number;
  /** Throw once this many writes are done (Infinity: never). */
  killAfter: number;
  /** Every D1 statement run, in order. */
  statements: Statement[];
  kvPuts: string[];
  kvDeletes: string[];
  d1: D1Counts;
}

export class Killed extends Error {
  override name = 'Killed';
}

/**
 * The real store, recording what it is asked to write and dying (like a killed process) after
 * `killAfter` writes: a KV put batch is written key by key up to that point.
 */
export function killableStore(real: Store, rec: Killable, maxBatch?: number): Store {
  const step = () => {
    if (rec.writes >= rec.killAfter) throw new Killed(`killed after ${rec.writes} writes`);
    rec.writes++;
  };
  return {
    name: real.name,
    kv: {
      getMany: (keys) => real.kv.getMany(keys),
      async putMany(entries) {
        for (const e of entries) {
          step();
          await real.kv.putMany([e]);
          rec.kvPuts.push(e.key);
        }
      },
      async deleteMany(keys) {
        for (const k of keys) {
          step();
          await real.kv.deleteMany([k]);
          rec.kvDeletes.push(k);
        }
      },
    },
    d1: {
      maxBatch: maxBatch ?? real.d1.maxBatch,
      all: (s) => real.d1.all(s),
      async batch(statements) {
        step();
        const c = await real.d1.batch(statements);
        rec.statements.push(...statements);
        rec.d1.rowsRead += c.rowsRead;
        rec.d1.rowsWritten += c.rowsWritten;
        return c;
      },
    },
    close: async () => {},
  };
}

export function recording(killAfter = Infinity): Killable {
  return { writes: 0, killAfter, statements: [], kvPuts: [], kvDeletes: [], d1: { rowsRead: 0, rowsWritten: 0 } };
}

/** The local store of a (temporary) project root. */
export const openStore = (root: string) => openLocalStore(root, IDS);

/** Runs the upload of `dir` into the project at `root` (through `wrap` when given). */
export function runUpload(root: string, dir: string, extra: Partial<UploadOptions> = {}, wrap?: (s: Store) => Store) {
  return upload({ dir, vars: VARS, migrationsDir: MIGRATIONS, ...extra }, async () => {
    const store = await openStore(root);
    if (!wrap) return store;
    const wrapped = wrap(store);
    return { ...wrapped, close: () => store.close() };
  });
}

export interface Snapshot {
  kv: Map<string, string>;
  articles: Record<string, unknown>[];
  lists: Record<string, unknown>[];
  entries: Record<string, unknown>[];
  meta: Record<string, unknown>[];
}

/** Everything the store at `root` holds, read back through a separate Miniflare. */
export async function snapshot(root: string): Promise<Snapshot> {
  const state = localStatePath(root);
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null) } }',
    kvNamespaces: { KV: IDS.kvNamespaceId },
    kvPersist: path.join(state, 'kv'),
    d1Databases: { DB: IDS.d1DatabaseId },
    d1Persist: path.join(state, 'd1'),
  });
  try {
    const kv = await mf.getKVNamespace('KV');
    const db = await mf.getD1Database('DB');
    const out = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await kv.list({ cursor });
      for (const k of page.keys) out.set(k.name, (await kv.get(k.name)) ?? '');
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    const table = async (sql: string) => {
      try {
        return (await db.prepare(sql).all<Record<string, unknown>>()).results;
      } catch {
        return []; // no schema yet
      }
    };
    return {
      kv: out,
      // `id` is SQLite's rowid: two uploads may number rows differently; compare by slug.
      articles: (await table('SELECT slug, path, abbrlink, title, date, tags, summary, content_hash, value_hash FROM articles ORDER BY slug')),
      lists: await table('SELECT * FROM lists ORDER BY key'),
      entries: await table('SELECT * FROM entries ORDER BY list, pos'),
      meta: await table("SELECT * FROM meta WHERE key <> 'changed_at' ORDER BY key"),
    };
  } finally {
    await mf.dispose();
  }
}
