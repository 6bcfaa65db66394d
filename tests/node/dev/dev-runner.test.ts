/**
 * `npm run dev`'s runner (scripts/dev.ts) as a process: it serves like `wrangler dev`, a local
 * SITE_URL follows --port, no Request.cf lookup and no stack trace in its output, it stops
 * cleanly on SIGTERM, and it refuses to keep a Worker running whose outbound network it could
 * not restrict. (That the restriction stops a host name that resolves to loopback is shown in a
 * network namespace by tests/e2e/images/run-image-route-e2e.mts.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/dev/project-config';

const temp = mkdtempSync(path.join(tmpdir(), 'ecp-dev-runner-'));
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startRunner(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts/dev.ts'), ...args], {
    cwd: projectRoot,
    detached: true, // its own process group, so the test can check that nothing is left behind
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(run: Run, pattern: RegExp, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`runner exited (${run.child.exitCode}):\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run dev (scripts/dev.ts)', () => {
  it('serves the Worker with SITE_URL on the --port, prints no stack trace, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = startRunner([
      '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false',
      '--persist-to', path.join(temp, 'state'), '--var', 'IMAGE_SIGNING_KEY:dev-runner-test-key',
    ]);
    await waitForOutput(run, /^dev: outbound fetches: /m);
    expect(run.output()).toMatch(new RegExp(`^dev: outbound fetches: public addresses only; SITE_URL http://localhost:${port} \\(follows the port\\); Request\\.cf: Miniflare's placeholder, not fetched$`, 'm'));

    const robots = await (await fetch(`http://127.0.0.1:${port}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: http://localhost:${port}/sitemap.xml`);

    expect(run.output()).not.toMatch(/Request\.cf` object|getaddrinfo|^\s+at \S+ \(/m);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // wrangler, esbuild and workerd were in the runner's process group: all gone.
    const deadline = Date.now() + 10_000;
    while (groupAlive(run.child.pid!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive(run.child.pid!)).toBe(false);
  });

  it('stops the Worker and exits 1 when the outbound restriction is not confirmed', async () => {
    const noop = path.join(temp, 'noop-preload.cjs');
    writeFileSync(noop, '// stands for a wrangler that bypassed the real preload\n');
    const port = await freePort();
    const run = startRunner(
      ['--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', '--persist-to', path.join(temp, 'state2')],
      { ECP_DEV_PRELOAD: noop },
    );
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('dev: the Worker started without the outbound restriction');
    expect(run.output()).not.toContain('dev: outbound fetches:');
  });

  it('refuses a bad --port before starting anything', async () => {
    const run = startRunner(['--port', 'eighty']);
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe('dev: --port must be a port number (1-65535), got "eighty"');
  });
});

process.on('exit', () => rmSync(temp, { recursive: true, force: true }));
