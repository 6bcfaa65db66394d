/** Test helpers around the real local KV (Miniflare on disk), as the upload script uses it. */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import type { KvTarget } from '../../../src/upload/kv-target';
import { localPersistPath, openLocalKv } from '../../../src/upload/local-kv';

export const fixtures = path.resolve(__dirname, '../../fixtures');
export const NAMESPACE = 'test-namespace';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A folder with copies of the named fixtures (all when `names` is omitted). */
export async function postsFolder(names?: string[]): Promise<string> {
  const dir = await tempDir('ecp-posts-');
  if (!names) await cp(fixtures, dir, { recursive: true });
  else for (const n of names) await cp(path.join(fixtures, n), path.join(dir, n));
  return dir;
}

export async function writePost(dir: string, name: string, text: string): Promise<void> {
  await writeFile(path.join(dir, name), text);
}

/** Every key and value in the store under `root`, read back through a separate Miniflare. */
export async function dumpStore(root: string): Promise<Map<string, string>> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null) } }',
    kvNamespaces: { KV: NAMESPACE },
    kvPersist: localPersistPath(root),
  });
  try {
    const kv = await mf.getKVNamespace('KV');
    const out = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await kv.list({ cursor });
      for (const k of page.keys) out.set(k.name, (await kv.get(k.name)) ?? '');
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return out;
  } finally {
    await mf.dispose();
  }
}

export interface Recording {
  puts: string[];
  deletes: string[];
}

/** The real local target, recording which keys were written; optionally dies after N puts. */
export function recordingTarget(root: string, rec: Recording, failAfterPuts = Infinity): () => Promise<KvTarget> {
  return async () => {
    const real = await openLocalKv(root, NAMESPACE);
    return {
      name: real.name,
      getMany: (keys) => real.getMany(keys),
      async putMany(entries) {
        for (const e of entries) {
          if (rec.puts.length >= failAfterPuts) throw new Error('killed');
          await real.putMany([e]);
          rec.puts.push(e.key);
        }
      },
      async deleteMany(keys) {
        await real.deleteMany(keys);
        rec.deletes.push(...keys);
      },
      close: () => real.close(),
    };
  };
}
