/**
 * The W3C Nu HTML Checker (vnu-jar, Java) reports no error for a page whose article body is the
 * rewrite's output: every corpus post, every hostile/broken body, and 200 generated misnested
 * bodies. One JVM checks all files (vnu is slow to start).
 *
 * Needs Java (17 on the machine and in CI). Outside CI a missing `java` skips this file; in CI
 * (`CI=true`) it fails instead.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/upload/project';
import { CORPUS, HOSTILE, generatedBodies, validatorPage, type Body } from './pages';

const VNU = path.join(projectRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const javaAvailable = spawnSync('java', ['-version']).status === 0;
const mustRun = process.env.CI === 'true';

interface VnuMessage {
  type: string;
  url?: string;
  message: string;
  extract?: string;
}

function runVnu(files: string[]): Promise<VnuMessage[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', '--stdout', '--exit-zero-always', ...files],
      { maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (err, stdout) => {
        if (err) return reject(err);
        try {
          resolve((JSON.parse(stdout) as { messages: VnuMessage[] }).messages);
        } catch (e) {
          reject(new Error(`vnu output is not JSON: ${String(e)}: ${stdout.slice(0, 500)}`));
        }
      },
    );
  });
}

describe.skipIf(!javaAvailable && !mustRun)('Nu HTML Checker', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecp-vnu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (bodies: Body[]): Map<string, string> => {
    const files = new Map<string, string>();
    for (const b of bodies) {
      const file = path.join(dir, `${b.name.replace(/[^A-Za-z0-9._-]/g, '_')}.html`);
      writeFileSync(file, validatorPage(b.html));
      files.set(file, b.name);
    }
    return files;
  };

  it('finds no error in the rewritten corpus, hostile bodies and generated misnesting', { timeout: 300_000 }, async () => {
    expect(javaAvailable, 'java is required in CI').toBe(true);
    const files = write([...CORPUS, ...HOSTILE, ...generatedBodies(200)]);
    expect(files.size).toBe(CORPUS.length + HOSTILE.length + 200);
    const messages = await runVnu([...files.keys()]);
    const errors = messages
      .filter((m) => m.type !== 'info')
      .map((m) => `${files.get((m.url ?? '').replace(/^file:/, '')) ?? m.url}: ${m.message} [${m.extract ?? ''}]`);
    expect(errors).toEqual([]);
  });

  it('does find errors in a page that has them (the check can fail)', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'broken.html');
    writeFileSync(file, validatorPage('<p><div>x</div></p><img src="/a.png"><code lang="js"><p>y</p></code>'));
    const messages = await runVnu([file]);
    expect(messages.filter((m) => m.type === 'error').length).toBeGreaterThanOrEqual(3);
  });
});
