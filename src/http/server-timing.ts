/** Server-Timing (W3C Server Timing) for KV, D1 (`db`), render and edge-cache status. */
export class ServerTiming {
  private readonly parts: string[] = [];
  private readonly totals = new Map<string, number>();

  /** Times `fn` and records it as `name;dur=ms`. */
  async time<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, performance.now() - start);
    }
  }

  add(name: string, durationMs: number): void {
    this.parts.push(`${name};dur=${durationMs.toFixed(2)}`);
    this.totals.set(name, (this.totals.get(name) ?? 0) + durationMs);
  }

  /** Milliseconds recorded so far under `name`. */
  total(name: string): number {
    return this.totals.get(name) ?? 0;
  }

  cache(status: 'hit' | 'miss' | 'stale'): void {
    this.parts.push(`cache;desc="${status}"`);
  }

  toString(): string {
    return this.parts.join(', ');
  }
}
