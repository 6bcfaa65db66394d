/**
 * The Cloudflare namespace bound as ARTICLES in wrangler.toml, through wrangler's own CLI (its
 * login or CLOUDFLARE_API_TOKEN, and CLOUDFLARE_API_BASE_URL when set). Kept thin on purpose:
 * it cannot be exercised against Cloudflare here, so all logic lives above KvTarget.
 * Failed calls (429, 5xx, network) are retried with exponential backoff.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KvEntry, KvTarget } from './kv-target.js';

const run = promisify(execFile);
/** Cloudflare's bulk API takes up to 10,000 pairs and 100 MB per request. */
const BULK_ENTRIES = 5_000;
const BULK_BYTES = 64 * 1024 * 1024;

export interface RemoteOptions {
  projectRoot: string;
  binding: string;
  retries?: number;
  /** First backoff delay; doubled on each retry, capped at 30 s. */
  baseDelayMs?: number;
  log?: (line: string) => void;
}

export async function openRemoteKv(options: RemoteOptions): Promise<KvTarget> {
  const { projectRoot, binding, retries = 5, baseDelayMs = 500, log = () => {} } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ecp-upload-'));
  const wranglerBin = path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  let fileNo = 0;

  const wrangler = async (args: string[]): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { stdout } = await run(process.execPath, [wranglerBin, ...args, '--binding', binding, '--remote'], {
          cwd: projectRoot,
          maxBuffer: 512 * 1024 * 1024,
        });
        return stdout;
      } catch (error) {
        const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message);
        if (attempt >= retries) throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed after ${attempt + 1} attempts: ${detail.trim().split('\n').slice(-3).join(' ')}`);
        const wait = Math.min(30_000, baseDelayMs * 2 ** attempt);
        log(`wrangler ${args.slice(0, 3).join(' ')} failed (attempt ${attempt + 1}); retrying in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };
  const tempJson = async (value: unknown) => {
    const file = path.join(dir, `batch-${fileNo++}.json`);
    await writeFile(file, JSON.stringify(value));
    return file;
  };

  return {
    name: `remote KV (binding ${binding})`,
    async getMany(keys) {
      const out = new Map<string, string | null>();
      for (let i = 0; i < keys.length; i += 100) {
        const slice = keys.slice(i, i + 100);
        const stdout = await wrangler(['kv', 'bulk', 'get', await tempJson(slice)]);
        // stdout is the JSON object, then wrangler's "Success!" line.
        const parsed = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)) as Record<string, unknown>;
        for (const k of slice) {
          const v = parsed[k];
          out.set(k, v === null || v === undefined ? null : typeof v === 'string' ? v : String((v as { value?: unknown }).value ?? ''));
        }
      }
      return out;
    },
    async putMany(entries) {
      let batch: KvEntry[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await wrangler(['kv', 'bulk', 'put', await tempJson(batch)]);
        batch = [];
        bytes = 0;
      };
      for (const e of entries) {
        if (batch.length >= BULK_ENTRIES || bytes + e.value.length * 3 > BULK_BYTES) await flush();
        batch.push(e);
        bytes += e.value.length * 3;
      }
      await flush();
    },
    async deleteMany(keys) {
      for (let i = 0; i < keys.length; i += BULK_ENTRIES) {
        await wrangler(['kv', 'bulk', 'delete', await tempJson(keys.slice(i, i + BULK_ENTRIES)), '--force']);
      }
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

