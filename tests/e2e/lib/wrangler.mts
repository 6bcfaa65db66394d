/** `wrangler dev` for the e2e scripts: started inside a namespace, with a fresh persist dir. */
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { NetNamespace } from './netns.mts';
import { waitFor, type ProcessGroup } from './processes.mts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const libDir = dirname(fileURLToPath(import.meta.url));

/**
 * A variable from .dev.vars, or from .dev.vars.example when .dev.vars does not exist (a fresh
 * clone, as in CI: `npm run dev` is what creates .dev.vars).
 */
export function devVar(name: string, root = projectRoot): string {
  const file = [join(root, '.dev.vars'), join(root, '.dev.vars.example')].find((f) => existsSync(f));
  if (!file) throw new Error('neither .dev.vars nor .dev.vars.example exists');
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => new RegExp(`^\\s*${name}\\s*=`).test(l));
  const value = line?.split('=').slice(1).join('=').trim().replace(/^(['"])(.*)\1$/, '$2') ?? '';
  if (!value) throw new Error(`${name} missing from ${file}`);
  return value;
}

export interface WranglerDev {
  child: ChildProcess;
  origin: string;
  output(): string;
}

export interface WranglerOptions {
  ns: NetNamespace;
  group: ProcessGroup;
  port: number;
  /** Passed as --persist-to (wrangler keeps KV under <dir>/v3/kv). */
  persistTo: string;
  /** --var NAME:VALUE pairs (override wrangler.toml and .dev.vars). */
  vars?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  root?: string;
  readyTimeoutMs?: number;
}

/** Starts `wrangler dev` on 127.0.0.1:<port> inside the namespace and waits until it answers. */
export async function startWranglerDev(options: WranglerOptions): Promise<WranglerDev> {
  const root = options.root ?? projectRoot;
  let output = '';
  const args = [
    join(root, 'node_modules/.bin/wrangler'), 'dev',
    '--port', String(options.port), '--ip', '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--persist-to', options.persistTo,
  ];
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push('--var', `${k}:${v}`);
  const child = options.group.start(options.ns, args, {
    cwd: root,
    env: options.env,
    onLine: (line) => {
      output += `${line}\n`;
    },
  });
  const origin = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor('wrangler dev to be ready', () => {
      if (child.exitCode !== null) throw new Error('wrangler dev exited');
      return /Ready on/.test(output);
    }, options.readyTimeoutMs ?? 120_000);
    await waitFor('the worker to answer', async () => (await probe(options.ns, `${origin}/robots.txt`)).status !== undefined, 30_000, 500);
  } catch (error) {
    throw new Error(`${(error as Error).message}; wrangler dev output:\n${output.slice(-4000)}`);
  }
  return { child, origin, output: () => output };
}

/**
 * Starts the Worker the way `npm run dev` does (scripts/dev.ts: `wrangler dev` with the Worker's
 * outbound network restricted to public addresses) on 127.0.0.1:<port> inside the namespace,
 * and waits for the runner's own start-up line, which it prints only after confirming the
 * restriction. `npm run dev`'s predev step (content upload) is not run: callers upload what they
 * need. Same options and result as startWranglerDev.
 */
export async function startDevServer(options: WranglerOptions): Promise<WranglerDev> {
  const root = options.root ?? projectRoot;
  let output = '';
  const args = [
    process.execPath, '--import', 'tsx', join(root, 'scripts/dev.ts'),
    '--port', String(options.port), '--ip', '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--persist-to', options.persistTo,
  ];
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push('--var', `${k}:${v}`);
  const child = options.group.start(options.ns, args, {
    cwd: root,
    env: options.env,
    onLine: (line) => {
      output += `${line}\n`;
    },
  });
  const origin = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor('npm run dev to be ready', () => {
      if (child.exitCode !== null) throw new Error(`the dev runner exited with code ${child.exitCode}`);
      return /^dev: outbound fetches: /m.test(output);
    }, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}; dev runner output:\n${output.slice(-4000)}`);
  }
  return { child, origin, output: () => output };
}

export interface ProbeResult {
  status?: number;
  headers?: Record<string, string>;
  length?: number;
  head?: string;
  /** The first 2000 bytes of a complete body, as UTF-8. */
  text?: string;
  /** No response at all. */
  error?: string;
  /** The headers arrived, then the body failed (e.g. the connection was cut). */
  bodyError?: string;
}

const run = promisify(execFile);

/** One request made from inside the namespace (only http://127.0.0.1:<port>/ URLs). */
export async function probe(ns: NetNamespace, url: string, method = 'GET'): Promise<ProbeResult> {
  const [cmd, ...prefix] = ns.execPrefix();
  const { stdout } = await run(cmd!, [...prefix, process.execPath, join(libDir, 'probe.mjs'), url, method]);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeResult;
}
