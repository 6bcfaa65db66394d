/** The project as the benchmarks see it: paths, wrangler.toml settings, temp folders, the bundle. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parse } from 'smol-toml';
import { readWranglerConfig } from '../../src/upload/project.js';

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
  d1DatabaseId: string;
  migrationsDir: string;
}

/**
 * What the benchmarks need from wrangler.toml: the upload's own reading of it (ids, vars,
 * migrations; src/upload/project.ts) plus the compatibility settings Miniflare needs.
 */
export function readWranglerToml(root = projectRoot): WranglerSettings {
  const doc = parse(readFileSync(path.join(root, 'wrangler.toml'), 'utf8')) as Record<string, unknown>;
  const config = readWranglerConfig(root);
  const compatibilityDate = typeof doc.compatibility_date === 'string' ? doc.compatibility_date : '';
  const compatibilityFlags = Array.isArray(doc.compatibility_flags) ? doc.compatibility_flags.filter((f): f is string => typeof f === 'string') : [];
  if (!compatibilityDate) throw new Error('wrangler.toml: no compatibility_date');
  return {
    compatibilityDate,
    compatibilityFlags,
    vars: Object.fromEntries(config.vars),
    kvNamespaceId: config.kvNamespaceId,
    d1DatabaseId: config.d1DatabaseId,
    migrationsDir: config.migrationsDir,
  };
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

/** Bundles a benchmark Worker (`entry`, a path) with wrangler, like the real one; returns the module's path. */
export async function bundleEntry(entry: string, name: string, settings = readWranglerToml()): Promise<string> {
  const dir = await tempDir(`bundle-${name}`);
  const config = path.join(dir, 'wrangler.toml');
  await writeFile(config, [`name = "${name}"`, `main = ${JSON.stringify(entry)}`, `compatibility_date = "${settings.compatibilityDate}"`, ''].join('\n'));
  const wrangler = path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  await run(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', path.join(dir, 'out'), '-c', config], {
    cwd: projectRoot,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const base = path.basename(entry).replace(/\.[cm]?[jt]s$/, '.js');
  return path.join(dir, 'out', base);
}
