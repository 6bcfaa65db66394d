/**
 * A small per-isolate memory cache in front of KV and the Cache API, for the steady state.
 *
 * A Worker isolate serves many requests; for a popular page the KV read and Cache API lookup on
 * every request cost more than everything else the Worker does. Entries live for a short time
 * (HOT_CACHE_MS, default 1 s, 0 disables), so a change is seen within that time after KV shows it —
 * far inside KV's own propagation window (up to 60 s). A real LRU bounded by bytes (lru-cache):
 * the least recently used entries go first when the budget is full.
 */
import { LRUCache } from 'lru-cache';

export interface HotEntry {
  status: number;
  headers: [string, string][];
  body: string | ArrayBuffer;
  /** ETag and Last-Modified, for conditional requests answered from memory. */
  etag: string | null;
  lastModified: string | null;
}

function entryBytes(entry: HotEntry, key: string): number {
  const body = typeof entry.body === 'string' ? entry.body.length * 2 : entry.body.byteLength;
  let headers = 0;
  for (const [n, v] of entry.headers) headers += (n.length + v.length) * 2;
  return body + headers + key.length * 2 + 128;
}

export class HotCache {
  private readonly lru: LRUCache<string, HotEntry>;

  constructor(
    maxBytes: number,
    private readonly maxEntryBytes: number,
  ) {
    this.lru = new LRUCache<string, HotEntry>({ maxSize: maxBytes, sizeCalculation: entryBytes, ttlAutopurge: false });
  }

  get(key: string): HotEntry | null {
    return this.lru.get(key) ?? null;
  }

  /** Keeps `entry` for `ttlMs` (nothing when 0 or when the entry alone is over the per-entry bound). */
  set(key: string, entry: HotEntry, ttlMs: number): void {
    if (ttlMs <= 0 || entryBytes(entry, key) > this.maxEntryBytes) return;
    this.lru.set(key, entry, { ttl: ttlMs });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get totalBytes(): number {
    return this.lru.calculatedSize;
  }
}

/** Pages and API responses: 8 MiB, entries up to 1 MiB. */
export const pageHotCache = new HotCache(8 * 1024 * 1024, 1024 * 1024);
/** Images: 16 MiB, entries up to 512 KiB. */
export const imageHotCache = new HotCache(16 * 1024 * 1024, 512 * 1024);

/** The cache key of a request: path and query (responses never depend on the Host header). */
export function hotKey(requestUrl: string): string {
  const url = new URL(requestUrl);
  return `${url.pathname}${url.search}`;
}
