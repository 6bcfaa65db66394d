/**
 * `--remote`: the upload through Cloudflare's REST API, against a local fake of that API whose D1
 * endpoint runs the statements on a real SQLite database (Miniflare's D1) and whose KV endpoints keep
 * values in memory. Failures on purpose: 429 with Retry-After, 5xx and a refused connection are
 * retried with backoff; any other 4xx fails at once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Miniflare } from 'miniflare';

type D1Database = Awaited<ReturnType<Miniflare['getD1Database']>>;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvKeys } from '../../../src/store/kv-layout';
import { cloudflareApi, isRetryable, retryAfterMs } from '../../../src/upload/cloudflare-api';
import { openRemoteStore } from '../../../src/upload/remote-store';
import { upload } from '../../../src/upload/upload';
import { MIGRATIONS, VARS, fixtureFolder, runUpload, snapshot, tempDir } from './helpers';

const NOW = () => new Date('2026-01-01T00:00:00.000Z');
const ACCOUNT = 'acc0unt';
const NS = 'kv-ns';
const DB = 'd1-db';

interface Failure {
  status: number;
  retryAfter?: string;
}

interface FakeApi {
  kv: Map<string, string>;
  db: D1Database;
  requests: string[];
  /** Answers for the next requests, in order (then the real thing). */
  failures: Failure[];
  /** Fail every request whose path ends with this, with this failure (until cleared). */
  failEvery: { suffix: string; failure: Failure } | null;
  url: string;
  close(): Promise<void>;
}

async function fakeCloudflareApi(): Promise<FakeApi> {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null) } }', d1Databases: { DB } });
  const db = await mf.getD1Database('DB');
  // One object, shared by the server and the tests (they set `failEvery` on it).
  const api = { kv: new Map<string, string>(), db, requests: [] as string[], failures: [] as Failure[], failEvery: null as FakeApi['failEvery'], url: '', close: async () => {} } as FakeApi;
  const server = http.createServer(async (req, res) => {
    // Decode once: a multi-byte character may span two chunks.
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    api.requests.push(`${req.method} ${url.replace(/^\/client\/v4\/accounts\/[^/]+/, '')}`);
    const reply = (status: number, result: unknown, errors: unknown[] = [], headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ success: status < 300, errors, messages: [], result }));
    };
    if (req.headers.authorization !== 'Bearer test-token') return reply(401, null, [{ code: 10000, message: 'Authentication error' }]);
    const failure = api.failures.shift() ?? (api.failEvery && url.endsWith(api.failEvery.suffix) ? api.failEvery.failure : undefined);
    if (failure) {
      return reply(failure.status, null, [{ code: 10000 + failure.status, message: `fake failure ${failure.status}` }], failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    const kvBase = `/client/v4/accounts/${ACCOUNT}/storage/kv/namespaces/${NS}`;
    if (url === `${kvBase}/bulk` && req.method === 'PUT') {
      const entries = JSON.parse(body) as { key: string; value: string }[];
      for (const e of entries) api.kv.set(e.key, e.value);
      return reply(200, { successful_key_count: entries.length, unsuccessful_keys: [] });
    }
    if (url === `${kvBase}/bulk/get` && req.method === 'POST') {
      const { keys } = JSON.parse(body) as { keys: string[] };
      return reply(200, { values: Object.fromEntries(keys.map((k) => [k, api.kv.get(k) ?? null])) });
    }
    if (url === `${kvBase}/bulk/delete` && req.method === 'POST') {
      for (const k of JSON.parse(body) as string[]) api.kv.delete(k);
      return reply(200, { successful_key_count: 0, unsuccessful_keys: [] });
    }
    if (url === `/client/v4/accounts/${ACCOUNT}/d1/database/${DB}/query` && req.method === 'POST') {
      const q = JSON.parse(body) as { sql?: string; params?: unknown[]; batch?: { sql: string; params?: unknown[] }[] };
      const statements = q.batch ?? [{ sql: q.sql!, params: q.params }];
      try {
        // Like D1: one batch is one transaction.
        const results = await db.batch(statements.map((s) => db.prepare(s.sql).bind(...(s.params ?? []))));
        return reply(200, results.map((r) => ({ results: r.results, success: true, meta: r.meta })));
      } catch (error) {
        return reply(400, null, [{ code: 7500, message: (error as Error).message }]);
      }
    }
    return reply(404, null, [{ code: 7003, message: 'no route' }]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  api.url = `http://127.0.0.1:${port}/client/v4`;
  api.close = async () => {
    await new Promise((r) => server.close(() => r(undefined)));
    await mf.dispose();
  };
  return api;
}

let api: FakeApi;
beforeAll(async () => {
  api = await fakeCloudflareApi();
});
afterAll(async () => {
  await api.close();
});

function remoteUpload(dir: string, sleeps: number[] = [], extra: { prune?: boolean } = {}) {
  const client = cloudflareApi({
    token: 'test-token',
    accountId: ACCOUNT,
    baseUrl: api.url,
    retries: 4,
    baseDelayMs: 10,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return upload({ dir, vars: VARS, migrationsDir: MIGRATIONS, now: NOW, ...extra }, async () => openRemoteStore(client, { kvNamespaceId: NS, d1DatabaseId: DB }));
}

async function table(sql: string) {
  return (await api.db.prepare(sql).all()).results;
}

describe('the retry rule', () => {
  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [null, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
  ])('status %s is retried: %s', (status, retried) => {
    expect(isRetryable(status)).toBe(retried);
  });

  it.each([
    ['7', 7000],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['soon', null],
    [null, null],
  ])('Retry-After %s waits %s ms', (header, ms) => {
    expect(retryAfterMs(header, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });
});

describe('upload --remote against the (fake) Cloudflare API', () => {
  it('writes what a local upload writes: the same KV values and the same D1 rows', async () => {
    const dir = await fixtureFolder();
    const outcome = await remoteUpload(dir);
    expect(outcome.ok, JSON.stringify(!outcome.ok && outcome.errors)).toBe(true);
    const root = await tempDir('ecp-root-');
    expect((await runUpload(root, dir, { now: NOW })).ok).toBe(true);
    const local = await snapshot(root);
    const differing = [...new Set([...api.kv.keys(), ...local.kv.keys()])].filter((k) => api.kv.get(k) !== local.kv.get(k));
    expect(differing.map((k) => [k, api.kv.get(k)?.slice(0, 300), local.kv.get(k)?.slice(0, 300)])).toEqual([]);
    expect(await table('SELECT slug, path, abbrlink, title, date, tags, summary, content_hash, value_hash FROM articles ORDER BY slug')).toEqual(local.articles);
    expect(await table('SELECT * FROM entries ORDER BY list, pos')).toEqual(local.entries);
    expect(await table('SELECT * FROM lists ORDER BY key')).toEqual(local.lists);
    // and a second run writes nothing
    api.requests.length = 0;
    const again = await remoteUpload(dir);
    expect(again.ok && again.summary).toMatchObject({ unchanged: 61, kvWritten: 0, d1RowsWritten: 0 });
    expect(api.requests.filter((r) => r.startsWith('PUT') || r.includes('bulk/delete'))).toEqual([]);
  });

  it('retries 429 (after its Retry-After), 500 and 503 and finishes', async () => {
    const dir = await fixtureFolder(['01-zaker-win11-offline-activation.md', '02-jandan-chromeos-typo.md']);
    // Start from an empty remote.
    api.kv.clear();
    await api.db.batch(['articles', 'lists', 'entries', 'meta'].map((t) => api.db.prepare(`DELETE FROM ${t}`)));
    api.failures.push({ status: 429, retryAfter: '3' }, { status: 503 }, { status: 500 });
    const sleeps: number[] = [];
    const outcome = await remoteUpload(dir, sleeps, { prune: true });
    expect(outcome.ok, JSON.stringify(!outcome.ok && outcome.errors)).toBe(true);
    expect(sleeps).toEqual([3000, 20, 40]);
    expect(await table('SELECT slug FROM articles ORDER BY slug')).toEqual([
      { slug: '01-zaker-win11-offline-activation' },
      { slug: '02-jandan-chromeos-typo' },
    ]);
  });

  it('fails at once on a 400, names the call, and a rerun finishes the job', async () => {
    const dir = await fixtureFolder(['03-jandan-turing-0day.md', '04-zaker-asahi-linux-m1.md']);
    api.failEvery = { suffix: '/bulk', failure: { status: 400 } };
    const sleeps: number[] = [];
    await expect(remoteUpload(dir, sleeps, { prune: true })).rejects.toThrow(/PUT \/storage\/kv\/namespaces\/kv-ns\/bulk failed: HTTP 400/);
    expect(sleeps).toEqual([]);
    api.failEvery = null;
    const outcome = await remoteUpload(dir, [], { prune: true });
    expect(outcome.ok && outcome.summary).toMatchObject({ added: 2, deleted: 2 });
    expect(api.kv.has(kvKeys.article('03-jandan-turing-0day'))).toBe(true);
    expect(api.kv.has(kvKeys.article('01-zaker-win11-offline-activation'))).toBe(false);
  });

  it('gives up after the retries on a server that keeps failing, and says how often it tried', async () => {
    const dir = await fixtureFolder(['05-oschina-alda2-code.md']);
    api.failEvery = { suffix: '/query', failure: { status: 503 } };
    const sleeps: number[] = [];
    await expect(remoteUpload(dir, sleeps)).rejects.toThrow(/failed after 5 attempts: HTTP 503/);
    expect(sleeps).toEqual([10, 20, 40, 80]);
    api.failEvery = null;
  });
});
