/** Child processes of an e2e run: started in a namespace, each in its own process group, all stopped on exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { NetNamespace } from './netns.mts';

export interface StartOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each line of stdout and stderr. */
  onLine?: (line: string) => void;
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export class ProcessGroup {
  readonly children: ChildProcess[] = [];

  /** Starts `args` inside `ns` (or outside when ns is null) in its own process group. */
  start(ns: NetNamespace | null, args: string[], options: StartOptions): ChildProcess {
    const full = ns ? [...ns.execPrefix(), ...args] : args;
    const [cmd, ...rest] = full;
    if (!cmd) throw new Error('empty command');
    const child = spawn(cmd, rest, {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0', ...process.env, ...options.env },
    });
    this.children.push(child);
    const onLine = options.onLine ?? (() => {});
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      stream?.on('end', () => {
        if (buffer) onLine(buffer);
        buffer = '';
      });
    }
    return child;
  }

  /** Runs `args` (in `ns`) to completion; resolves with its exit code and output. */
  async run(ns: NetNamespace | null, args: string[], options: StartOptions & { timeoutMs?: number }): Promise<{ code: number | null; output: string }> {
    let output = '';
    const child = this.start(ns, args, {
      ...options,
      onLine: (line) => {
        output += `${line}\n`;
        options.onLine?.(line);
      },
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        this.signal(child, 'SIGKILL');
        resolve(null);
      }, options.timeoutMs ?? 120_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { code, output };
  }

  /** Signals the child's process group; `evenIfExited` also reaches grandchildren whose leader is gone. */
  private signal(child: ChildProcess, signal: NodeJS.Signals, evenIfExited = false): void {
    if (child.pid === undefined) return;
    if (!evenIfExited && (child.exitCode !== null || child.signalCode !== null)) return;
    try {
      process.kill(-child.pid, signal); // the group created with detached: true
    } catch {
      /* already gone */
    }
  }

  /** SIGTERM to every group we started, then SIGKILL to what is left after `graceMs`. */
  async stopAll(graceMs = 3000): Promise<void> {
    for (const child of this.children) this.signal(child, 'SIGTERM');
    const alive = () => this.children.some((c) => c.pid !== undefined && c.exitCode === null && c.signalCode === null);
    await waitFor('children to exit', () => !alive(), graceMs, 100).catch(() => {});
    for (const child of this.children) this.signal(child, 'SIGKILL', true);
  }

  /** Synchronous last resort (process 'exit' handlers cannot wait). */
  killAllNow(): void {
    for (const child of this.children) this.signal(child, 'SIGKILL', true);
  }
}
