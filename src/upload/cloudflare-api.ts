/**
 * A small client for Cloudflare's REST API (https://developers.cloudflare.com/api/), used by
 * `--remote` for KV and D1. Honours CLOUDFLARE_API_BASE_URL like wrangler does (tests point it at a
 * local fake). Retries what may succeed later — 429, 5xx and network errors — with exponential
 * backoff, or after the server's Retry-After (RFC 9110 §10.2.3) when it sends one; any other 4xx
 * fails at once, with the API's own error messages.
 */

export interface ApiOptions {
  token: string;
  accountId: string;
  baseUrl?: string;
  /** Attempts after the first. */
  retries?: number;
  /** First backoff delay; doubled on each retry, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export class CloudflareApiError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'CloudflareApiError';
  }
}

interface Envelope<T> {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: T;
}

/** Whether a failed attempt may succeed if repeated. */
export function isRetryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface CloudflareApi {
  readonly accountId: string;
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function cloudflareApi(options: ApiOptions): CloudflareApi {
  const base = (options.baseUrl ?? process.env.CLOUDFLARE_API_BASE_URL ?? 'https://api.cloudflare.com/client/v4').replace(/\/+$/, '');
  const retries = options.retries ?? 5;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = options.log ?? (() => {});

  async function attempt<T>(method: string, path: string, body: unknown): Promise<{ ok: true; value: T } | { ok: false; status: number | null; message: string; retryAfter: number | null }> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      return { ok: false, status: null, message: `network error: ${(error as Error).message}`, retryAfter: null };
    }
    const text = await res.text();
    let envelope: Envelope<T> | null = null;
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      envelope = null;
    }
    if (res.ok && envelope?.success !== false) return { ok: true, value: envelope?.result as T };
    const messages = envelope?.errors?.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ') || text.slice(0, 200);
    return { ok: false, status: res.status, message: `HTTP ${res.status}: ${messages}`, retryAfter: retryAfterMs(res.headers.get('retry-after')) };
  }

  return {
    accountId: options.accountId,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      for (let n = 0; ; n++) {
        const result = await attempt<T>(method, path, body);
        if (result.ok) return result.value;
        const what = `${method} ${path.replace(/^\/accounts\/[^/]+/, '')}`;
        if (!isRetryable(result.status)) throw new CloudflareApiError(result.status, `${what} failed: ${result.message}`);
        if (n >= retries) throw new CloudflareApiError(result.status, `${what} failed after ${n + 1} attempts: ${result.message}`);
        const wait = Math.min(maxDelay, result.retryAfter ?? baseDelay * 2 ** n);
        log(`${what}: ${result.message}; retrying in ${wait} ms (attempt ${n + 2} of ${retries + 1})`);
        await sleep(wait);
      }
    },
  };
}
