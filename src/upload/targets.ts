/**
 * Where an upload writes: Workers KV (article values, link keys, the index record) and D1 (the
 * index). Locally both are Miniflare's, on the same on-disk state `wrangler dev` reads
 * (local-store.ts); remotely they are Cloudflare's, through its HTTP API (remote-store.ts).
 * Everything above these interfaces (reading, validation, planning, ordering) is shared.
 */
import type { Statement } from './plan.js';

export interface KvEntry {
  key: string;
  value: string;
}

export interface KvTarget {
  getMany(keys: string[]): Promise<Map<string, string | null>>;
  /** Resolves once every entry is durably written. */
  putMany(entries: KvEntry[]): Promise<void>;
  deleteMany(keys: string[]): Promise<void>;
}

/** What D1 says a statement did (its own counters: https://developers.cloudflare.com/d1/platform/pricing/). */
export interface D1Counts {
  rowsRead: number;
  rowsWritten: number;
}

export interface D1Target {
  /** Most statements one batch may carry (one request to D1). */
  readonly maxBatch: number;
  /** Runs one read statement. */
  all<T>(statement: Statement): Promise<{ rows: T[]; counts: D1Counts }>;
  /** Runs the statements as one batch: in order, atomically (all or none). */
  batch(statements: Statement[]): Promise<D1Counts>;
}

export interface Store {
  /** For messages: which store this is. */
  readonly name: string;
  readonly kv: KvTarget;
  readonly d1: D1Target;
  close(): Promise<void>;
}
