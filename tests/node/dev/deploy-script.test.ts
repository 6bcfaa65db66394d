/**
 * `npm run deploy` end to end: the real scripts/deploy.ts and the real wrangler, against a local
 * fake of the Cloudflare API (wrangler honours CLOUDFLARE_API_BASE_URL). Nothing reaches the
 * internet; the fake answers the secrets listing per case and fails every other call, so a
 * deployment that gets past the checks shows up as wrangler's first deploy request.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/dev/project-config';

interface FakeApi {
  url: string;
  requests: string[];
  /** The answer to GET …/workers/scripts/<name>/secrets. */
  secrets: { status: number; body: unknown };
  close(): Promise<void>;
}

const envelope = (result: unknown, errors: unknown[] = []) => ({ success: errors.length === 0, errors, messages: [], result });

async function fakeCloudflareApi(): Promise<FakeApi> {
  const api = { requests: [] as string[], secrets: { status: 200, body: envelope([]) as unknown } };
  const server = http.createServer(async (req, res) => {
    for await (const _chunk of req) {
      // drain
    }
    api.requests.push(`${req.method} ${(req.url ?? '').replace('/client/v4', '')}`);
    const secrets = /\/workers\/scripts\/[^/]+\/secrets$/.test(req.url ?? '');
    res.writeHead(secrets ? api.secrets.status : 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(secrets ? api.secrets.body : envelope(null, [{ code: 10013, message: 'fake API: not scripted' }])));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}/client/v4`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

function runDeploy(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts/deploy.ts'), ...args], {
      cwd: projectRoot,
      env: {
        ...process.env,
        CLOUDFLARE_API_BASE_URL: api.url,
        CLOUDFLARE_API_TOKEN: 'fake-token',
        CLOUDFLARE_ACCOUNT_ID: 'fake-account',
        WRANGLER_SEND_METRICS: 'false',
        NO_COLOR: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

let api: FakeApi;
beforeAll(async () => {
  api = await fakeCloudflareApi();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.requests.length = 0;
});

const SECRETS_REQUEST = 'GET /accounts/fake-account/workers/scripts/edge-content-proxy/secrets';
const PUBLIC = ['--var', 'SITE_URL:https://news.example.com'];

describe('npm run deploy (scripts/deploy.ts + wrangler + fake API)', () => {
  it('refuses without asking the account when wrangler.toml SITE_URL is local', async () => {
    const { code, output } = await runDeploy([]);
    expect(code).toBe(1);
    expect(output).toContain('deploy: refused: SITE_URL in wrangler.toml [vars] is http://localhost:8787, a local origin');
    expect(api.requests).toEqual([]);
  });

  it('refuses when the account has no IMAGE_SIGNING_KEY secret, and names the command to set it', async () => {
    api.secrets = { status: 200, body: envelope([{ name: 'SOMETHING_ELSE', type: 'secret_text' }]) };
    const { code, output } = await runDeploy(PUBLIC);
    expect(code).toBe(1);
    expect(output).toContain('deploy: refused: the Worker "edge-content-proxy" has no IMAGE_SIGNING_KEY secret');
    expect(output).toContain('openssl rand -base64 32 | npx wrangler secret put IMAGE_SIGNING_KEY');
    expect(api.requests).toEqual([SECRETS_REQUEST]);
  });

  it('refuses when the Worker does not exist yet (wrangler: not found)', async () => {
    api.secrets = { status: 404, body: envelope(null, [{ code: 10007, message: 'This Worker does not exist on your account.' }]) };
    const { code, output } = await runDeploy(PUBLIC);
    expect(code).toBe(1);
    expect(output).toContain('does not exist in the account yet, so it has no IMAGE_SIGNING_KEY secret');
    expect(api.requests).toEqual([SECRETS_REQUEST]);
  });

  it('refuses when the account cannot be read (authentication error)', async () => {
    api.secrets = { status: 403, body: envelope(null, [{ code: 10000, message: 'Authentication error' }]) };
    const { code, output } = await runDeploy(PUBLIC);
    expect(code).toBe(1);
    expect(output).toContain('deploy: refused: could not list the secrets of "edge-content-proxy"');
    expect(output).toContain('Log in with `npx wrangler login`');
    expect(api.requests[0]).toBe(SECRETS_REQUEST);
    // (wrangler then verifies the token by itself) and nothing is deployed:
    expect(api.requests.filter((r) => r.includes('/workers/services/') || r.startsWith('PUT '))).toEqual([]);
  });

  it('with the secret in the account, goes on to `wrangler deploy` (its first API call arrives)', async () => {
    api.secrets = { status: 200, body: envelope([{ name: 'IMAGE_SIGNING_KEY', type: 'secret_text' }]) };
    const { code, output } = await runDeploy(PUBLIC);
    expect(output).toContain('deploy: IMAGE_SIGNING_KEY is set for "edge-content-proxy"; SITE_URL https://news.example.com (--var SITE_URL)');
    expect(api.requests[0]).toBe(SECRETS_REQUEST);
    expect(api.requests[1]).toBe('GET /accounts/fake-account/workers/services/edge-content-proxy');
    expect(code).toBe(1); // the fake API fails the deployment itself, and its exit code is passed on
  });
});
