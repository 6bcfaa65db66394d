/**
 * The W3C Nu HTML Checker (the vnu-jar devDependency, run by Java) over many saved pages in ONE
 * JVM call: the checker takes seconds to start and milliseconds per page.
 *
 *   const problems = await nuErrors(new Map([['/', html], ['/p/5df8.html', html2]]), tmpDir);
 *
 * Needs `java` (17+) on PATH: Debian's `openjdk-17-jre-headless`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './wrangler.mts';

export const VNU_JAR = join(projectRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

export interface NuMessage {
  type: string;
  subType?: string;
  url?: string;
  message: string;
  extract?: string;
  lastLine?: number;
  lastColumn?: number;
}

/** Null when Java can run the checker, else what is missing. */
export function nuCheckerMissing(): string | null {
  if (spawnSync('java', ['-version']).status !== 0) return '`java` not found: apt-get install -y openjdk-17-jre-headless';
  if (!existsSync(VNU_JAR)) return `${VNU_JAR} missing: npm ci`;
  return null;
}

/** Every message (errors only: `--errors-only`) vnu prints for `files`, in one JVM. */
export function runNuChecker(files: readonly string[], timeoutMs = 300_000): Promise<NuMessage[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      // A bigger thread stack: deeply nested (hostile) markup overflows the default one.
      ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', '--exit-zero-always', ...files],
      { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (err, stdout) => {
        if (err) return reject(new Error(`vnu failed: ${err.message.split('\n')[0]}`));
        try {
          resolve((JSON.parse(stdout) as { messages: NuMessage[] }).messages);
        } catch (e) {
          reject(new Error(`vnu output is not JSON (${String(e)}): ${stdout.slice(0, 300)}`));
        }
      },
    );
  });
}

/**
 * Writes each page (name → HTML) to `dir` and checks them all at once. Returns the problems by
 * page name (every page is a key; an empty list is a clean page), each as
 * `line N: message [extract]`. A message vnu attributes to no saved file is reported under `?`.
 */
export async function nuErrors(pages: ReadonlyMap<string, string>, dir: string): Promise<Map<string, string[]>> {
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, string>();
  let n = 0;
  for (const [name, html] of pages) {
    const file = join(dir, `page-${String(n++).padStart(4, '0')}.html`);
    writeFileSync(file, html);
    byFile.set(file, name);
  }
  const result = new Map<string, string[]>([...pages.keys()].map((name) => [name, []]));
  if (byFile.size === 0) return result;
  for (const m of await runNuChecker([...byFile.keys()])) {
    if (m.type === 'info') continue; // warnings are not requested; `info` is never an error
    const file = (m.url ?? '').replace(/^file:/, '');
    const name = byFile.get(file) ?? '?';
    const list = result.get(name) ?? [];
    list.push(`line ${m.lastLine ?? '?'}: ${m.type === 'error' ? '' : `${m.type}: `}${m.message}${m.extract ? ` [${m.extract.replace(/\s+/g, ' ').trim()}]` : ''}`);
    result.set(name, list);
  }
  return result;
}
