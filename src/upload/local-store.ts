/**
 * The local store: KV and D1 through Miniflare, persisted exactly where `wrangler dev` keeps them
 * (<project>/.wrangler/state/v3/{kv,d1}; the KV namespace is the binding's `id` and the database
 * its `database_id` in wrangler.toml), so `npm run dev` serves what we wrote. KV batches go to a
 * tiny Worker inside workerd that does the calls there: one round trip per batch, not per key.
 */
import path from 'node:path';
import { Miniflare } from 'miniflare';
import type { Statement } from './plan.js';
import type { D1Counts, KvEntry, Store } from './targets.js';

const BATCH_SCRIPT = `
export default {
  async fetch(request, env) {
    const { op, keys, entries, statements } = await request.json();
    if (op === 'get') return Response.json(await Promise.all(keys.map((k) => env.KV.get(k))));
    if (op === 'put') {
      await Promise.all(entries.map((e) => env.KV.put(e.key, e.value)));
      return Response.json({ ok: true });
    }
    if (op === 'delete') {
      await Promise.all(keys.map((k) => env.KV.delete(k)));
      return Response.json({ ok: true });
    }
    if (op === 'd1') {
      try {
        const results = await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
        return Response.json(results.map((r) => ({ results: r.results, meta: r.meta })));
      } catch (e) {
        return Response.json({ error: String(e && e.message || e) }, { status: 500 });
      }
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

export function localStatePath(projectRoot: string): string {
  return path.join(projectRoot, '.wrangler', 'state', 'v3');
}

export interface LocalIds {
  kvNamespaceId: string;
  d1DatabaseId: string;
}

type D1Meta = { rows_read?: number; rows_written?: number };

const counts = (meta: D1Meta | undefined): D1Counts => ({ rowsRead: meta?.rows_read ?? 0, rowsWritten: meta?.rows_written ?? 0 });

/** `persistTo`: the state folder, as `wrangler dev --persist-to` takes it (default .wrangler/state). */
export async function openLocalStore(projectRoot: string, ids: LocalIds, persistTo?: string): Promise<Store> {
  const state = persistTo ? path.join(persistTo, 'v3') : localStatePath(projectRoot);
  const mf = new Miniflare({
    modules: true,
    script: BATCH_SCRIPT,
    kvNamespaces: { KV: ids.kvNamespaceId },
    kvPersist: path.join(state, 'kv'),
    d1Databases: { DB: ids.d1DatabaseId },
    d1Persist: path.join(state, 'd1'),
  });
  await mf.ready;
  const call = async (body: unknown): Promise<unknown> => {
    const res = await mf.dispatchFetch('http://upload.local/', { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) {
      const text = await res.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // plain text
      }
      throw new Error(`local store: ${message}`);
    }
    return res.json();
  };
  // D1 through the same Worker (an async request into workerd) rather than Miniflare's Node proxy
  // of the binding, whose synchronous prepare() can fail an internal assertion on a loaded machine.
  const d1 = (statements: Statement[]) => call({ op: 'd1', statements }) as Promise<{ results: unknown[]; meta: D1Meta }[]>;
  return {
    name: `local store (${state})`,
    kv: {
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
    },
    d1: {
      maxBatch: 1000,
      async all<T>(statement: Statement) {
        const [result] = await d1([statement]);
        return { rows: (result?.results ?? []) as T[], counts: counts(result?.meta) };
      },
      async batch(statements) {
        if (statements.length === 0) return { rowsRead: 0, rowsWritten: 0 };
        const results = await d1(statements);
        return results.reduce<D1Counts>(
          (sum, r) => {
            const c = counts(r.meta);
            return { rowsRead: sum.rowsRead + c.rowsRead, rowsWritten: sum.rowsWritten + c.rowsWritten };
          },
          { rowsRead: 0, rowsWritten: 0 },
        );
      },
    },
    async close() {
      await mf.dispose();
    },
  };
}
