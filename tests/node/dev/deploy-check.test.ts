import { describe, expect, it } from 'vitest';
import {
  deploy,
  deployedSiteUrl,
  parseSecretList,
  PUT_SECRET_COMMAND,
  secretListArgs,
  siteUrlProblem,
  wranglerError,
  type WranglerRun,
} from '../../../src/dev/deploy-check';
import { parseWranglerToml } from '../../../src/dev/project-config';

const PUBLIC = parseWranglerToml(
  ['name = "edge-content-proxy"', '[vars]', 'SITE_URL = "https://news.example.com"', '[env.staging.vars]', 'SITE_URL = "https://staging.example.com"', '[env.local.vars]', 'SITE_URL = "http://localhost:8787"'].join('\n'),
);
const LOCAL = parseWranglerToml('name = "edge-content-proxy"\n[vars]\nSITE_URL = "http://localhost:8787"\n');

const secrets = (...names: string[]): WranglerRun => ({ code: 0, stdout: JSON.stringify(names.map((name) => ({ name, type: 'secret_text' })), null, '  '), stderr: '' });

/** Runs deploy() with a scripted wrangler; records every wrangler invocation. */
async function run(args: string[], project = PUBLIC, secretList: WranglerRun = secrets('IMAGE_SIGNING_KEY'), deployCode = 0) {
  const calls: { args: string[]; capture: boolean }[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const code = await deploy({
    args,
    project,
    runWrangler: async (wranglerArgs, { capture }) => {
      calls.push({ args: wranglerArgs, capture });
      if (wranglerArgs[0] === 'secret') return secretList;
      return { code: deployCode, stdout: '', stderr: '' };
    },
    log: (line) => out.push(line),
    error: (line) => err.push(line),
  });
  return { code, calls, out, err };
}

describe('deploy: refusals', () => {
  it('a local SITE_URL → exit 1 before asking the account anything', async () => {
    const r = await run([], LOCAL);
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.err).toEqual([
      'deploy: refused: SITE_URL in wrangler.toml [vars] is http://localhost:8787, a local origin: set it to the site\'s public origin (e.g. SITE_URL = "https://news.example.com")',
    ]);
  });

  it('no IMAGE_SIGNING_KEY among the secrets → exit 1 with the command that sets it; wrangler deploy never runs', async () => {
    const r = await run([], PUBLIC, secrets('OTHER_SECRET'));
    expect(r.code).toBe(1);
    expect(r.calls.map((c) => c.args[0])).toEqual(['secret']);
    expect(r.err[0]).toMatch(/^deploy: refused: the Worker "edge-content-proxy" has no IMAGE_SIGNING_KEY secret/);
    expect(r.err[1]).toBe(`  ${PUT_SECRET_COMMAND}`);
  });

  it('no secrets at all (an empty list) → refused', async () => {
    const r = await run([], PUBLIC, secrets());
    expect(r.code).toBe(1);
    expect(r.calls).toHaveLength(1);
  });

  it('the Worker does not exist yet → refused with the command that creates it with the secret', async () => {
    const r = await run([], PUBLIC, { code: 1, stdout: '', stderr: '✘ [ERROR] Worker "edge-content-proxy" not found.\n\nIf this is a new Worker, run `wrangler deploy` first to create it.' });
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      'deploy: refused: the Worker "edge-content-proxy" does not exist in the account yet, so it has no IMAGE_SIGNING_KEY secret. Create both at once, then deploy again:',
      `  ${PUT_SECRET_COMMAND}`,
    ]);
  });

  it('secret list fails otherwise (not logged in) → refused, with wrangler\'s reason and how to log in', async () => {
    const r = await run([], PUBLIC, { code: 1, stdout: '', stderr: '\x1b[31m✘ [ERROR]\x1b[0m Not logged in.\n\n🪵  Logs were written to "/x.log"\n' });
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      'deploy: refused: could not list the secrets of "edge-content-proxy" (`wrangler secret list --format json` exited 1: Not logged in.).',
      '  Log in with `npx wrangler login` (or set CLOUDFLARE_API_TOKEN) and try again.',
    ]);
    expect(r.calls).toHaveLength(1);
  });

  it('unreadable secret list output → refused', async () => {
    const r = await run([], PUBLIC, { code: 0, stdout: 'Secret Name: IMAGE_SIGNING_KEY', stderr: '' });
    expect(r.code).toBe(1);
    expect(r.calls).toHaveLength(1);
  });
});

describe('deploy: when the checks pass', () => {
  it('runs `wrangler deploy` with the same arguments (output shown) and returns its exit code', async () => {
    const r = await run(['--minify', '--keep-vars']);
    expect(r.calls).toEqual([
      { args: ['secret', 'list', '--format', 'json'], capture: true },
      { args: ['deploy', '--minify', '--keep-vars'], capture: false },
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual(['deploy: IMAGE_SIGNING_KEY is set for "edge-content-proxy"; SITE_URL https://news.example.com (wrangler.toml [vars])']);
    expect((await run([], PUBLIC, secrets('IMAGE_SIGNING_KEY'), 7)).code).toBe(7);
  });

  it('--env staging: checks that environment\'s SITE_URL and secrets', async () => {
    const r = await run(['--env', 'staging']);
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => c.args)).toEqual([
      ['secret', 'list', '--format', 'json', '--env', 'staging'],
      ['deploy', '--env', 'staging'],
    ]);
  });

  it('--env with a local SITE_URL, or none, is refused', async () => {
    expect((await run(['--env', 'local'])).code).toBe(1);
    const none = await run(['-e', 'missing']);
    expect(none.code).toBe(1);
    expect(none.err[0]).toBe(
      'deploy: refused: SITE_URL is not set in wrangler.toml [env.missing.vars] (the Worker would use http://localhost:8787): set it to the site\'s public origin (e.g. SITE_URL = "https://news.example.com")',
    );
  });

  it('--var SITE_URL:<public> overrides a local wrangler.toml value; --var SITE_URL:<local> is refused', async () => {
    expect((await run(['--var', 'SITE_URL:https://news.example.com'], LOCAL)).code).toBe(0);
    expect((await run(['--var', 'SITE_URL:http://127.0.0.1:8787'], PUBLIC)).code).toBe(1);
  });

  it('--dry-run deploys nothing, so it checks nothing', async () => {
    const r = await run(['--dry-run', '--outdir', 'dist'], LOCAL);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([{ args: ['deploy', '--dry-run', '--outdir', 'dist'], capture: false }]);
  });
});

describe('helpers', () => {
  it.each([
    ['[\n  {\n    "name": "IMAGE_SIGNING_KEY",\n    "type": "secret_text"\n  }\n]', ['IMAGE_SIGNING_KEY']],
    ['a warning first\n[{"name":"A","type":"secret_text"},{"name":"B","type":"secret_text"}]', ['A', 'B']],
    ['[]', []],
    ['', null],
    ['{"name":"A"}', null],
    ['[{"nom":"A"}]', null],
    ['[not json', null],
  ])('parseSecretList(%j) → %j', (stdout, expected) => {
    expect(parseSecretList(stdout)).toEqual(expected);
  });

  it.each([
    [[], ['secret', 'list', '--format', 'json']],
    [['--env', 'staging', '--name', 'w', '--config', 'x.toml', '--minify'], ['secret', 'list', '--format', 'json', '--env', 'staging', '--name', 'w', '--config', 'x.toml']],
    [['-e=prod'], ['secret', 'list', '--format', 'json', '--env', 'prod']],
  ])('secretListArgs(%j)', (args, expected) => {
    expect(secretListArgs(args)).toEqual(expected);
  });

  it.each([
    [null, /^SITE_URL is not set in x/],
    ['', /^SITE_URL is not set in x/],
    ['news.example.com', /^SITE_URL in x is not a URL \(news\.example\.com\)/],
    ['ftp://news.example.com', /^SITE_URL in x is not an http\(s\) origin/],
    ['http://[::1]:8787', /^SITE_URL in x is http:\/\/\[::1\]:8787, a local origin/],
  ])('siteUrlProblem(%j) refuses', (value, expected) => {
    expect(siteUrlProblem(value, 'x')).toMatch(expected);
  });

  it('siteUrlProblem accepts a public https origin', () => {
    expect(siteUrlProblem('https://news.example.com', 'x')).toBeNull();
  });

  it('deployedSiteUrl says where the value comes from', () => {
    expect(deployedSiteUrl([], PUBLIC)).toEqual({ value: 'https://news.example.com', where: 'wrangler.toml [vars]' });
    expect(deployedSiteUrl(['--env=staging'], PUBLIC)).toEqual({ value: 'https://staging.example.com', where: 'wrangler.toml [env.staging.vars]' });
    expect(deployedSiteUrl(['--var', 'X:1', 'SITE_URL:https://a.example.com'], PUBLIC)).toEqual({ value: 'https://a.example.com', where: '--var SITE_URL' });
  });

  it('wranglerError picks the [ERROR] line, else the last meaningful one', () => {
    expect(wranglerError('\n ⛅️ wrangler 4.86.0\n───\n✘ [ERROR] Authentication error [code: 10000]\n\n🪵  Logs were written to "x"\n')).toBe('Authentication error [code: 10000]');
    expect(wranglerError('first\nsecond\n🪵  Logs were written to "x"')).toBe('second');
    expect(wranglerError('')).toBe('');
  });
});
