/**
 * `npm run dev [-- <wrangler dev arguments>]`: `wrangler dev` itself (same wrangler.toml,
 * .dev.vars, local state in .wrangler/state, hot keys, reloads), with three differences:
 *
 * 1. The Worker's outbound network is restricted to public addresses by workerd (the image route
 *    cannot be turned against loopback or the LAN through a hostname; src/dev/outbound-restriction.cjs).
 *    If that restriction cannot be confirmed, the server is stopped instead of running unguarded.
 * 2. A local SITE_URL follows `--port` (src/dev/dev-plan.ts), so absolute URLs name the real port.
 * 3. No online `Request.cf` lookup (CLOUDFLARE_CF_FETCH_ENABLED=false unless set): Miniflare's
 *    placeholder object is used, instead of a stack trace when offline. The Worker does not read
 *    request.cf.
 *
 * Run with: node --import tsx scripts/dev.ts [args]. Exits with wrangler's exit code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { configPathFromArgs, type DevPlan, planDev } from '../src/dev/dev-plan';
import { projectRoot, readDevVars, readWranglerProject } from '../src/dev/project-config';
import { filterRefusedConnectionNoise } from '../src/dev/workerd-log-filter';

const require = createRequire(import.meta.url);
const RESTRICTED_EVENT: string = require('../src/dev/outbound-restriction.cjs').RESTRICTED_EVENT;
/** ECP_DEV_PRELOAD replaces the preload for tests/node/dev (to show an unrestricted Worker is stopped). */
const PRELOAD = process.env.ECP_DEV_PRELOAD ?? path.join(projectRoot, 'src/dev/preload-restrict-outbound.cjs');
const WRANGLER_CLI = path.join(path.dirname(require.resolve('wrangler/package.json')), 'wrangler-dist/cli.js');
/** The start-up request waits for the first build; a cold one takes a few seconds. */
const PROBE_TIMEOUT_MS = 120_000;
/** How long wrangler gets to stop after a signal before it is killed. */
const STOP_GRACE_MS = 10_000;

function fail(message: string): never {
  console.error(`dev: ${message}`);
  process.exit(1);
}

function prepare(): DevPlan {
  try {
    const args = process.argv.slice(2);
    const config = configPathFromArgs(args);
    const configFile = path.resolve(projectRoot, config ?? 'wrangler.toml');
    // wrangler reads .dev.vars next to the configuration file.
    return planDev({ args, project: readWranglerProject(configFile), devVars: readDevVars(path.dirname(configFile)) });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const plan = prepare();

const env: NodeJS.ProcessEnv = {
  ...process.env,
  ECP_RESTRICT_OUTBOUND_WORKER: plan.workerName,
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
};

// The same node flags as wrangler's own bin/wrangler.js, plus the preload.
const child: ChildProcess = spawn(
  process.execPath,
  ['--no-warnings', '--experimental-vm-modules', '--require', PRELOAD, WRANGLER_CLI, 'dev', ...plan.wranglerArgs],
  { cwd: projectRoot, env, stdio: ['inherit', 'inherit', 'pipe', 'ipc'] },
);
child.stderr?.pipe(filterRefusedConnectionNoise()).pipe(process.stderr);

let restricted = false;
let stopping = false;
child.on('message', (raw: unknown) => {
  let message: { event?: string; ip?: string; port?: number } = {};
  try {
    message = typeof raw === 'string' ? JSON.parse(raw) : (raw as typeof message);
  } catch {
    return;
  }
  if (message.event === RESTRICTED_EVENT) {
    restricted = true;
  } else if (message.event === 'DEV_SERVER_READY') {
    void confirmRestricted(message.ip ?? '127.0.0.1', message.port ?? plan.port);
  }
});

/**
 * wrangler reports ready when its proxy listens, before our Worker runs. A first request is held
 * by that proxy until the Worker has started, so once it is answered the preload must have
 * reported the restriction; otherwise the Worker runs unrestricted and is stopped.
 */
async function confirmRestricted(ip: string, port: number): Promise<void> {
  if (!plan.remote) {
    const answered = await probe(ip, port);
    // The preload's IPC message was sent before the Worker started; give it a moment to arrive.
    for (let i = 0; i < 20 && !restricted; i++) await new Promise((r) => setTimeout(r, 50));
    if (!restricted) {
      console.error(
        answered
          ? 'dev: the Worker started without the outbound restriction (did a wrangler upgrade bypass src/dev/preload-restrict-outbound.cjs?); stopping it'
          : 'dev: the Worker did not answer the start-up request; stopping it',
      );
      stop('SIGTERM', 1);
      return;
    }
  }
  const network = plan.remote ? 'on Cloudflare (the platform refuses private destinations)' : 'public addresses only';
  const source = plan.siteUrlSource === 'port' ? 'follows the port' : plan.siteUrlSource === 'argument' ? 'from --var' : 'configured';
  const cf = env.CLOUDFLARE_CF_FETCH_ENABLED === 'false' ? "Miniflare's placeholder, not fetched" : 'fetched';
  console.log(`dev: outbound fetches: ${network}; SITE_URL ${plan.siteUrl} (${source}); Request.cf: ${cf}`);
}

/** GET /robots.txt on the dev server; true when anything answered (any status). */
function probe(ip: string, port: number): Promise<boolean> {
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip;
  const request = (plan.localProtocol === 'https' ? httpsRequest : httpRequest)({
    host,
    port,
    path: '/robots.txt',
    method: 'GET',
    timeout: PROBE_TIMEOUT_MS,
    // wrangler's local https certificate is self-signed; only the status matters here.
    rejectUnauthorized: false,
  });
  return new Promise((resolve) => {
    request.on('response', (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

let exitCode: number | null = null;
function stop(signal: NodeJS.Signals, code: number | null = null): void {
  if (code !== null) exitCode = code;
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, STOP_GRACE_MS).unref();
}

// Ctrl-C reaches wrangler too (same process group); a signal sent to us alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));

child.on('exit', (code, signal) => {
  process.exitCode = exitCode ?? code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
});
child.on('error', (error) => fail(`could not start wrangler: ${error.message}`));
