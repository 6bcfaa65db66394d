/**
 * The remote store: the Workers KV namespace and the D1 database named in wrangler.toml, through
 * Cloudflare's REST API (cloudflare-api.ts: retries, backoff). Needs CLOUDFLARE_API_TOKEN (a token
 * with "Workers KV Storage: Edit" and "D1: Edit") and the account id (CLOUDFLARE_ACCOUNT_ID, or
 * `account_id` in wrangler.toml).
 */
import type { CloudflareApi } from './cloudflare-api.js';
import type { Statement } from './plan.js';
import type { D1Counts, KvEntry, Store } from './targets.js';

/** Cloudflare's bulk KV API: up to 10,000 pairs and 100 MB per write, 100 keys per read. */
const BULK_ENTRIES = 5_000;
const BULK_BYTES = 64 * 1024 * 1024;
const BULK_GET = 100;
/** Statements per D1 request; each request is one atomic batch. */
export const D1_REQUEST_STATEMENTS = 200;

export interface RemoteIds {
  kvNamespaceId: string;
  d1DatabaseId: string;
}

interface D1Result {
  results?: unknown[];
  meta?: { rows_read?: number; rows_written?: number };
}

export function openRemoteStore(api: CloudflareApi, ids: RemoteIds): Store {
  const kvPath = `/accounts/${api.accountId}/storage/kv/namespaces/${ids.kvNamespaceId}`;
  const d1Path = `/accounts/${api.accountId}/d1/database/${ids.d1DatabaseId}/query`;
  const sum = (results: D1Result[]): D1Counts =>
    results.reduce<D1Counts>(
      (s, r) => ({ rowsRead: s.rowsRead + (r.meta?.rows_read ?? 0), rowsWritten: s.rowsWritten + (r.meta?.rows_written ?? 0) }),
      { rowsRead: 0, rowsWritten: 0 },
    );
  return {
    name: `Cloudflare (KV namespace ${ids.kvNamespaceId}, D1 database ${ids.d1DatabaseId})`,
    kv: {
      async getMany(keys) {
        const out = new Map<string, string | null>();
        for (let i = 0; i < keys.length; i += BULK_GET) {
          const slice = keys.slice(i, i + BULK_GET);
          const result = await api.call<{ values?: Record<string, unknown> }>('POST', `${kvPath}/bulk/get`, { keys: slice });
          for (const k of slice) {
            const v = result?.values?.[k];
            out.set(k, typeof v === 'string' ? v : null);
          }
        }
        return out;
      },
      async putMany(entries) {
        let batch: KvEntry[] = [];
        let bytes = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          await api.call('PUT', `${kvPath}/bulk`, batch);
          batch = [];
          bytes = 0;
        };
        for (const e of entries) {
          const size = e.key.length + e.value.length * 3;
          if (batch.length >= BULK_ENTRIES || bytes + size > BULK_BYTES) await flush();
          batch.push(e);
          bytes += size;
        }
        await flush();
      },
      async deleteMany(keys) {
        for (let i = 0; i < keys.length; i += BULK_ENTRIES) await api.call('POST', `${kvPath}/bulk/delete`, keys.slice(i, i + BULK_ENTRIES));
      },
    },
    d1: {
      maxBatch: D1_REQUEST_STATEMENTS,
      async all<T>(statement: Statement) {
        const [result] = await api.call<D1Result[]>('POST', d1Path, { sql: statement.sql, params: statement.params });
        return { rows: (result?.results ?? []) as T[], counts: sum(result ? [result] : []) };
      },
      async batch(statements) {
        if (statements.length === 0) return { rowsRead: 0, rowsWritten: 0 };
        const results = await api.call<D1Result[]>('POST', d1Path, { batch: statements.map((s) => ({ sql: s.sql, params: s.params })) });
        return sum(results ?? []);
      },
    },
    async close() {},
  };
}
