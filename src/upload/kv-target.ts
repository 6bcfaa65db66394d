/**
 * Where the upload writes: the local KV that `wrangler dev` reads (through Miniflare, on the
 * same on-disk store) or the Cloudflare namespace (through wrangler's own CLI and auth).
 * Everything above this interface (parsing, validation, diffing, ordering) is shared.
 */
export interface KvEntry {
  key: string;
  value: string;
}

export interface KvTarget {
  readonly name: string;
  getMany(keys: string[]): Promise<Map<string, string | null>>;
  /** Resolves once every entry is durably written. */
  putMany(entries: KvEntry[]): Promise<void>;
  deleteMany(keys: string[]): Promise<void>;
  close(): Promise<void>;
}
