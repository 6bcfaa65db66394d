import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import app from '../../../src/index';

const worker = (exports as unknown as { default: Fetcher }).default;

export const SITE = 'http://localhost:8787';

/** Requests the Worker's default export, as a client would. */
export function get(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`${SITE}${path}`, init));
}

/**
 * Calls the app with an env of our choosing (config overrides, a fault-injecting or counting
 * binding) and waits for its background work (edge-cache writes) before returning, so the next
 * request sees it. Each call gets a new env object (the configuration is parsed again).
 */
export async function fetchApp(path: string, init: RequestInit = {}, overrides: Partial<Env> = {}): Promise<Response> {
  return fetchWithEnv({ ...env, ...overrides } as Env, path, init);
}

/** Like fetchApp with one env object, as an isolate has across its requests. */
export async function fetchWithEnv(bindings: Env, path: string, init: RequestInit = {}, origin = SITE): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${origin}${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export interface Faults {
  /** Every read rejects, like a KV outage. */
  fail: boolean;
  /** Every read never settles, like a KV stall. */
  hang: boolean;
}

type AnyFn = (...a: unknown[]) => unknown;

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
          return (value as AnyFn).apply(target, args);
        };
      }
      return (value as AnyFn).bind(target);
    },
  });
}

export interface KvReads {
  kv: KVNamespace;
  /** Every key read (get/getWithMetadata), in order. */
  keys: string[];
}

/** The real KV binding, recording every read. */
export function countingKv(real: KVNamespace = env.ARTICLES): KvReads {
  const keys: string[] = [];
  const kv = new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'get' || prop === 'getWithMetadata' || prop === 'list') {
        return (...args: unknown[]) => {
          keys.push(typeof args[0] === 'string' ? args[0] : `(${String(prop)})`);
          return (value as AnyFn).apply(target, args);
        };
      }
      return (value as AnyFn).bind(target);
    },
  });
  return { kv, keys };
}

export interface DbCalls {
  db: D1Database;
  /** prepare/batch/exec calls on the database and its sessions, by name. */
  calls: string[];
  /** SQL of every prepared statement. */
  sql: string[];
  /** D1's own `meta.rows_read` of every statement run through batch(). */
  rowsRead: number[];
}

export interface DbFaults {
  /** Every query rejects, like a D1 outage. */
  fail?: boolean;
  /** Every query never settles. */
  hang?: boolean;
}

/**
 * The real D1 binding (and the sessions it opens), recording every call that can reach the
 * database and D1's own `rows_read` of each statement a batch ran; optionally failing.
 */
export function countingDb(real: D1Database = env.DB, faults: DbFaults = {}): DbCalls {
  const out: DbCalls = { db: real, calls: [], sql: [], rowsRead: [] };
  const run = (name: string, go: () => Promise<unknown>) => {
    out.calls.push(name);
    if (faults.hang) return new Promise(() => {});
    if (faults.fail) return Promise.reject(new Error('D1_ERROR: internal error at d1.internal:443'));
    return go();
  };
  const wrap = <T extends object>(target: T, label: string): T =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop) as unknown;
        if (typeof value !== 'function') return value;
        const fn = value as AnyFn;
        if (prop === 'prepare') {
          return (sql: string) => {
            out.calls.push(`${label}.prepare`);
            out.sql.push(sql);
            return fn.call(t, sql);
          };
        }
        if (prop === 'batch') {
          return (statements: unknown[]) =>
            run(`${label}.batch`, async () => {
              const results = (await fn.call(t, statements)) as D1Result[];
              for (const r of results) out.rowsRead.push(r.meta?.rows_read ?? 0);
              return results;
            });
        }
        if (prop === 'exec') return (...args: unknown[]) => run(`${label}.exec`, () => fn.apply(t, args) as Promise<unknown>);
        if (prop === 'withSession') {
          return (...args: unknown[]) => {
            out.calls.push(`${label}.withSession`);
            return wrap(fn.apply(t, args) as object, 'session');
          };
        }
        return fn.bind(t);
      },
    });
  out.db = wrap(real, 'db');
  return out;
}

/** Calls that reach D1 (prepared statements are only run through batch in src/store). */
export const queries = (d: DbCalls) => d.calls.filter((c) => c.endsWith('.batch') || c.endsWith('.exec'));
