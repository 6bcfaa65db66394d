/** The search benchmark's Worker (./worker.ts), bundled by wrangler and run in workerd by Miniflare. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { projectRoot, readWranglerToml } from '../lib/project.js';
import type { SyntheticCorpus } from './synthetic.js';
import type { BenchDoc } from './worker.js';

const run = promisify(execFile);

export async function bundleWorker(dir: string): Promise<string> {
  const settings = readWranglerToml();
  const config = path.join(dir, 'wrangler.toml');
  await writeFile(
    config,
    [`name = "search-bench"`, `main = ${JSON.stringify(path.join(projectRoot, 'bench', 'search', 'worker.ts'))}`, `compatibility_date = "${settings.compatibilityDate}"`, ''].join('\n'),
  );
  const wrangler = path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  await run(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', path.join(dir, 'out'), '-c', config], {
    cwd: projectRoot,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return path.join(dir, 'out', 'worker.js');
}

export class BenchWorker {
  private constructor(private readonly mf: Miniflare) {}

  static async start(scriptPath: string, persist: string): Promise<BenchWorker> {
    const settings = readWranglerToml();
    const mf = new Miniflare({
      modules: [{ type: 'ESModule', path: scriptPath, contents: await readFile(scriptPath, 'utf8') }],
      modulesRoot: path.dirname(scriptPath),
      compatibilityDate: settings.compatibilityDate,
      d1Databases: { DB: 'search-bench' },
      d1Persist: persist,
    });
    await mf.ready;
    return new BenchWorker(mf);
  }

  async call<T>(route: string, body: unknown = {}): Promise<T> {
    const res = await this.mf.dispatchFetch(`http://bench${route}`, { method: 'POST', body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${route}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  dispose(): Promise<void> {
    return this.mf.dispose();
  }
}

export function benchDoc(corpus: SyntheticCorpus, i: number): BenchDoc {
  const d = corpus.doc(i);
  return { id: d.id, slug: d.slug, title: d.title, date: d.date, categories: d.categories, text: d.text, titleTokens: d.titleTokens, bodyTokens: d.bodyTokens };
}

