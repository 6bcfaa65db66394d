/**
 * Local KV through Miniflare, persisted exactly where `wrangler dev` keeps it
 * (<project>/.wrangler/state/v3/kv, namespace = the binding's id in wrangler.toml), so a plain
 * `npx wrangler dev` sees what we wrote. Batches go to a tiny Worker inside workerd that does the
 * KV calls there: one HTTP round trip per batch instead of one per key.
 */
import path from 'node:path';
import { Miniflare } from 'miniflare';
import type { KvEntry, KvTarget } from './kv-target.js';

const BATCH_SCRIPT = `
export default {
  async fetch(request, env) {
    const { op, keys, entries } = await request.json();
    if (op === 'get') {
      const values = await Promise.all(keys.map((k) => env.KV.get(k)));
      return Response.json(values);
    }
    if (op === 'put') {
      await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
      return Response.json({ ok: true });
    }
    if (op === 'delete') {
      await Promise.all(keys.map((k) => env.KV.delete(k)));
      return Response.json({ ok: true });
    }
    return new Response('bad op', { status: 400 });
  },
};`;

/** Entries per round trip, and a byte budget so a batch stays well under workerd's body limits. */
const BATCH_ENTRIES = 500;
const BATCH_BYTES = 32 * 1024 * 1024;

function* batches(entries: KvEntry[]): Generator<KvEntry[]> {
  let batch: KvEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = e.key.length + e.value.length * 3;
    if (batch.length > 0 && (batch.length >= BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

export function localPersistPath(projectRoot: string): string {
  return path.join(projectRoot, '.wrangler', 'state', 'v3', 'kv');
}

export async function openLocalKv(projectRoot: string, namespaceId: string): Promise<KvTarget> {
  const mf = new Miniflare({
    modules: true,
    script: BATCH_SCRIPT,
    kvNamespaces: { KV: namespaceId },
    kvPersist: localPersistPath(projectRoot),
  });
  await mf.ready;
  const call = async (body: unknown): Promise<unknown> => {
    const res = await mf.dispatchFetch('http://upload.local/', { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`local KV ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    name: `local KV (${localPersistPath(projectRoot)})`,
    async getMany(keys) {
      const out = new Map<string, string | null>();
      for (let i = 0; i < keys.length; i += BATCH_ENTRIES) {
        const slice = keys.slice(i, i + BATCH_ENTRIES);
        const values = (await call({ op: 'get', keys: slice })) as (string | null)[];
        slice.forEach((k, j) => out.set(k, values[j] ?? null));
      }
      return out;
    },
    async putMany(entries) {
      for (const batch of batches(entries)) await call({ op: 'put', entries: batch });
    },
    async deleteMany(keys) {
      for (let i = 0; i < keys.length; i += BATCH_ENTRIES) await call({ op: 'delete', keys: keys.slice(i, i + BATCH_ENTRIES) });
    },
    async close() {
      await mf.dispose();
    },
  };
}
