/**
 * Spawns bench/upload-child.ts (one upload in its own process) and watches its memory: the
 * child reports its own exact peak (`maxRSS`); the workerd it starts for the local store is a
 * separate process, whose `VmHWM` is polled from /proc here.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { kvKeys } from '../../src/store/kv-layout.js';
import type { UploadChildResult } from '../upload-child.js';
import { projectRoot } from './project.js';

export interface ChildUpload {
  result: UploadChildResult;
  /** Wall time seen from here, process start-up (tsx) included. */
  wallMs: number;
  /** Peak RSS of the uploading Node process (MiB). */
  nodePeakMiB: number;
  /** Peak RSS of the local store's workerd (MiB), polled every 200 ms. */
  workerdPeakMiB: number;
  /** Keys written by kind (when listed). */
  keysByKind: { article: number; link: number; index: number } | null;
}

/** Every descendant pid of `pid` (children of all its threads, recursively). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    let kids = '';
    try {
      kids = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const k of kids.trim().split(/\s+/).filter(Boolean).map(Number)) out.push(k, ...descendants(k));
  }
  return out;
}

function hwmMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function classifyKeys(keys: readonly string[]): { article: number; link: number; index: number } {
  const out = { article: 0, link: 0, index: 0 };
  for (const k of keys) {
    if (k === kvKeys.index) out.index++;
    else if (k.startsWith(kvKeys.articlePrefix)) out.article++;
    else out.link++;
  }
  return out;
}

export async function runUploadChild(dir: string, state: string, options: { prune?: boolean; listKeys?: boolean } = {}): Promise<ChildUpload> {
  const args = ['--import', 'tsx', path.join(projectRoot, 'bench', 'upload-child.ts'), '--dir', dir, '--persist-to', state];
  if (options.prune) args.push('--prune');
  if (options.listKeys) args.push('--list-keys');
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const peaks = new Map<number, number>();
  const poll = setInterval(() => {
    for (const pid of descendants(child.pid!)) if (comm(pid).startsWith('workerd')) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, hwmMiB(pid)));
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const wallMs = performance.now() - started;
  const line = stdout.trim().split('\n').pop() ?? '';
  let result: UploadChildResult;
  try {
    result = JSON.parse(line) as UploadChildResult;
  } catch {
    throw new Error(`upload child exited ${code} without a result: ${stderr.slice(-2000)}`);
  }
  if (!result.ok) throw new Error(`upload failed (exit ${code}): ${result.errors.join('; ').slice(0, 2000)}`);
  return {
    result,
    wallMs,
    nodePeakMiB: result.maxRssKiB / 1024,
    workerdPeakMiB: Math.max(0, ...peaks.values()),
    keysByKind: result.kv.keys ? classifyKeys(result.kv.keys) : null,
  };
}
