/** The project as the benchmarks see it: paths, wrangler.toml settings, temp folders, the bundle. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(projectRoot, 'tests', 'fixtures');
export const outDir = path.join(projectRoot, 'bench', 'out');

/** The signing key every benchmark uses (the Worker's and the in-process renderer's). */
export const BENCH_SIGNING_KEY = 'bench-only-image-signing-key-0123456789';

export interface WranglerSettings {
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, string>;
  kvNamespaceId: string;
}

function tomlString(raw: string): string {
  const t = raw.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) {
    return t.startsWith('"') ? (JSON.parse(t) as string) : t.slice(1, -1);
  }
  return t;
}

/** Reads what the benchmarks need from wrangler.toml (top-level keys, [vars], the ARTICLES namespace). */
export function readWranglerToml(root = projectRoot): WranglerSettings {
  const text = readFileSync(path.join(root, 'wrangler.toml'), 'utf8');
  const vars: Record<string, string> = {};
  let section = '';
  let compatibilityDate = '';
  let compatibilityFlags: string[] = [];
  let kvNamespaceId = '';
  let blockBinding = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      blockBinding = '';
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!;
    const value = kv[2]!;
    if (section === '') {
      if (key === 'compatibility_date') compatibilityDate = tomlString(value);
      if (key === 'compatibility_flags') compatibilityFlags = JSON.parse(value.replace(/'/g, '"')) as string[];
    } else if (section === 'vars') {
      vars[key] = tomlString(value);
    } else if (section === 'kv_namespaces') {
      if (key === 'binding') blockBinding = tomlString(value);
      if (key === 'id' && (blockBinding === 'ARTICLES' || blockBinding === '')) kvNamespaceId = tomlString(value);
    }
  }
  if (!compatibilityDate || !kvNamespaceId) throw new Error('wrangler.toml: compatibility_date or the ARTICLES namespace id not found');
  return { compatibilityDate, compatibilityFlags, vars, kvNamespaceId };
}

/** The env object the Worker gets: [vars] plus the signing key. */
export function benchEnv(settings: WranglerSettings): Record<string, string> {
  return { ...settings.vars, IMAGE_SIGNING_KEY: BENCH_SIGNING_KEY };
}

const tempDirs: string[] = [];

export async function tempDir(label: string): Promise<string> {
  const base = path.join(os.tmpdir(), 'ecp-bench');
  await mkdir(base, { recursive: true });
  const dir = await mkdtemp(path.join(base, `${label}-`));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

export interface Bundle {
  dir: string;
  scriptPath: string;
  rawBytes: number;
  gzipBytes: number;
  /** wrangler's own "Total Upload: … / gzip: …" line. */
  wranglerLine: string;
  buildMs: number;
}

/** `wrangler deploy --dry-run --outdir <tmp>`: the exact bundle that would be deployed. */
export async function buildBundle(): Promise<Bundle> {
  const dir = await tempDir('bundle');
  const wrangler = path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const start = performance.now();
  const { stdout, stderr } = await run(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', dir], {
    cwd: projectRoot,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const buildMs = performance.now() - start;
  const scriptPath = path.join(dir, 'index.js');
  const bytes = await readFile(scriptPath);
  await stat(scriptPath);
  const wranglerLine = /Total Upload:[^\n]*/.exec(`${stdout}\n${stderr}`)?.[0]?.trim() ?? '';
  return { dir, scriptPath, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, wranglerLine, buildMs };
}

export async function commandOutput(cmd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(cmd, args, { maxBuffer: 1024 * 1024 });
    return `${stdout}${stderr}`.trim();
  } catch {
    return null;
  }
}
