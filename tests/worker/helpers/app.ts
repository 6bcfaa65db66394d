import { exports } from 'cloudflare:workers';

const worker = (exports as unknown as { default: Fetcher }).default;

/** Requests the Worker's default export, as a client would. */
export function get(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`http://localhost:8787${path}`, init));
}

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import app from '../../../src/index';

/**
 * Calls the app with an env of our choosing (config overrides, a fault-injecting KV) and waits
 * for its background work (edge-cache writes) before returning, so the next request sees it.
 */
export async function fetchApp(path: string, init: RequestInit = {}, overrides: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`http://localhost:8787${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export interface Faults {
  /** Every read rejects, like a KV outage. */
  fail: boolean;
  /** Every read never settles, like a KV stall. */
  hang: boolean;
}

/** The real KV binding with reads that fail or hang on demand. */
export function faultyKv(real: KVNamespace, faults: Faults): KVNamespace {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'get' || prop === 'getWithMetadata') {
        return (...args: unknown[]) => {
          if (faults.hang) return new Promise(() => {});
          if (faults.fail) return Promise.reject(new Error('KV GET failed: 500 Internal Server Error at kv.internal:443'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
