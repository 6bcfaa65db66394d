/**
 * The --remote path against a local fake of the Cloudflare API (wrangler honours
 * CLOUDFLARE_API_BASE_URL): real wrangler processes, real HTTP, failures on purpose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvKeys } from '../../../src/store/kv-layout';
import { BINDING, projectRoot } from '../../../src/upload/project';
import { openRemoteKv } from '../../../src/upload/remote-kv';
import { upload } from '../../../src/upload/upload';
import { postsFolder } from './store-helpers';

interface FakeApi {
  store: Map<string, string>;
  requests: string[];
  /** Status codes to answer the next requests with, in order (then 200s). */
  failures: number[];
  url: string;
  close(): Promise<void>;
}

async function fakeCloudflareApi(): Promise<FakeApi> {
  const api = { store: new Map<string, string>(), requests: [] as string[], failures: [] as number[] };
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    api.requests.push(`${req.method} ${req.url?.replace(/^.*\/namespaces\/[^/]+/, '')}`);
    const reply = (status: number, result: unknown, errors: unknown[] = []) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: status < 300, errors, messages: [], result }));
    };
    const failure = api.failures.shift();
    if (failure) return reply(failure, null, [{ code: 10000 + failure, message: `fake failure ${failure}` }]);
    const url = req.url ?? '';
    if (!url.includes('/storage/kv/namespaces/')) return reply(404, null, [{ code: 7003, message: 'no route' }]);
    if (url.endsWith('/bulk') && req.method === 'PUT') {
      const entries = JSON.parse(body) as { key: string; value: string }[];
      for (const e of entries) api.store.set(e.key, e.value);
      return reply(200, { successful_key_count: entries.length, unsuccessful_keys: [] });
    }
    if (url.endsWith('/bulk/get')) {
      const { keys } = JSON.parse(body) as { keys: string[] };
      return reply(200, { values: Object.fromEntries(keys.map((k) => [k, api.store.get(k) ?? null])) });
    }
    if ((url.endsWith('/bulk') && req.method === 'DELETE') || url.endsWith('/bulk/delete')) {
      for (const k of JSON.parse(body) as string[]) api.store.delete(k);
      return reply(200, { successful_key_count: 0, unsuccessful_keys: [] });
    }
    return reply(404, null, [{ code: 7003, message: 'no route' }]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { ...api, url: `http://127.0.0.1:${port}/client/v4`, close: () => new Promise((r) => server.close(() => r())) };
}

let api: FakeApi;
const saved = { ...process.env };

beforeAll(async () => {
  api = await fakeCloudflareApi();
  Object.assign(process.env, {
    CLOUDFLARE_API_BASE_URL: api.url,
    CLOUDFLARE_API_TOKEN: 'fake-token',
    CLOUDFLARE_ACCOUNT_ID: 'fake-account',
    WRANGLER_SEND_METRICS: 'false',
  });
});

afterAll(async () => {
  process.env = saved;
  await api.close();
});

describe('upload --remote through wrangler', () => {
  const open = (log: string[], retries = 4) => () =>
    openRemoteKv({ projectRoot, binding: BINDING, retries, baseDelayMs: 50, log: (l) => log.push(l) });

  it('retries 429 and 5xx with backoff, then writes everything; a rerun writes nothing', async () => {
    const dir = await postsFolder(['000_1c07ab0e1a8962a0.md', '01-zaker-win11-offline-activation.md', '02-jandan-chromeos-typo.md']);
    api.failures.push(429, 503, 500);
    const log: string[] = [];
    const outcome = await upload({ dir }, open(log));
    expect(outcome.ok && outcome.summary).toMatch(/^added 3, updated 0, unchanged 0, deleted 0/);
    expect(log.filter((l) => /failed \(attempt \d\); retrying in \d+ ms/.test(l))).toHaveLength(3);
    expect(api.store.has(kvKeys.article('000_1c07ab0e1a8962a0'))).toBe(true);
    expect(api.store.has(kvKeys.meta)).toBe(true);
    expect(api.store.has(kvKeys.manifest)).toBe(true);
    expect(api.requests.some((r) => r === 'PUT /bulk')).toBe(true);

    const puts = api.requests.filter((r) => r === 'PUT /bulk').length;
    const again = await upload({ dir }, open([]));
    expect(again.ok && again.summary).toMatch(/^added 0, updated 0, unchanged 3, deleted 0 \(0 keys written/);
    expect(api.requests.filter((r) => r === 'PUT /bulk').length).toBe(puts);
  }, 120_000);

  it('reports what failed when the API keeps failing, and a rerun finishes the job', async () => {
    api.store.clear();
    const dir = await postsFolder(['03-jandan-turing-0day.md']);
    // The manifest read succeeds; then every write fails more times than we retry.
    const log: string[] = [];
    const failing = upload({ dir }, async () => {
      const target = await open(log, 1)();
      return {
        ...target,
        getMany: async (keys: string[]) => {
          const values = await target.getMany(keys);
          api.failures.push(500, 500);
          return values;
        },
      };
    });
    await expect(failing).rejects.toThrow(/writing articles \(1 keys\) to remote KV \(binding ARTICLES\) failed: wrangler kv bulk put failed after 2 attempts.*Already written: nothing\. Run the upload again to finish\./s);
    expect(api.store.has(kvKeys.meta)).toBe(false);
    const rerun = await upload({ dir }, open([]));
    expect(rerun.ok && rerun.summary).toMatch(/^added 1/);
    expect(api.store.has(kvKeys.article('03-jandan-turing-0day'))).toBe(true);
  }, 120_000);
});
