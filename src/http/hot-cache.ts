/**
 * A small per-isolate memory cache in front of KV and the Cache API, for the steady state.
 *
 * A Worker isolate serves many requests; for a popular page the KV read and Cache API lookup on
 * every request cost more than everything else the Worker does. Entries live for `ttlMs` (config
 * HOT_CACHE_MS, default 1 s, 0 disables), so a changed article is seen within that time after
 * KV shows it — far inside KV's own propagation window (up to 60 s). Bounded by bytes, oldest
 * entries evicted first.
 */

export interface HotEntry {
  status: number;
  headers: [string, string][];
  body: string | ArrayBuffer;
  /** ETag and Last-Modified, for conditional requests answered from memory. */
  etag: string | null;
  lastModified: string | null;
}

interface Stored extends HotEntry {
  expires: number;
  bytes: number;
}

export interface HotLookup {
  entry: HotEntry;
  /** Within its lifetime. A stale entry may still answer while one request refreshes it. */
  fresh: boolean;
}

/** How long past its lifetime an entry may stand in while a refresh is running. */
const STALE_GRACE_MS = 10_000;

export class HotCache {
  private readonly entries = new Map<string, Stored>();
  private readonly refreshing = new Set<string>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes: number,
  ) {}

  get(key: string, now = Date.now()): HotEntry | null {
    const hit = this.entries.get(key);
    if (!hit) return null;
    if (hit.expires <= now) {
      this.delete(key);
      return null;
    }
    return hit;
  }

  /**
   * Like `get`, but also returns an expired entry (up to STALE_GRACE_MS) as not fresh, so
   * concurrent requests need not all refresh the same key when it expires (request collapsing:
   * one refreshes, the others are answered from the previous copy meanwhile).
   */
  lookup(key: string, now = Date.now()): HotLookup | null {
    const hit = this.entries.get(key);
    if (!hit) return null;
    if (hit.expires + STALE_GRACE_MS <= now) {
      this.delete(key);
      return null;
    }
    return { entry: hit, fresh: hit.expires > now };
  }

  /** Claims the refresh of `key`; false when another request already refreshes it. */
  claimRefresh(key: string): boolean {
    if (this.refreshing.has(key)) return false;
    this.refreshing.add(key);
    return true;
  }

  releaseRefresh(key: string): void {
    this.refreshing.delete(key);
  }

  set(key: string, entry: HotEntry, ttlMs: number, now = Date.now()): void {
    if (ttlMs <= 0) return;
    const bytes = (typeof entry.body === 'string' ? entry.body.length * 2 : entry.body.byteLength) + key.length * 2 + 256;
    if (bytes > this.maxEntryBytes) return;
    this.delete(key);
    while (this.bytes + bytes > this.maxBytes && this.entries.size > 0) {
      this.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { ...entry, expires: now + ttlMs, bytes });
    this.bytes += bytes;
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.bytes -= old.bytes;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
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
