/**
 * `npm run deploy [-- <wrangler deploy arguments>]`: refuses (exit 1, with the command that
 * fixes it) unless SITE_URL is a public origin and IMAGE_SIGNING_KEY exists as a secret of the
 * Worker in the account; then runs `wrangler deploy` with the same arguments. The decisions are
 * in src/dev/deploy-check.ts.
 *
 * Run with: node --import tsx scripts/deploy.ts [args]
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { configPathFromArgs } from '../src/dev/dev-plan';
import { deploy, type WranglerRun } from '../src/dev/deploy-check';
import { projectRoot, readWranglerProject } from '../src/dev/project-config';

const require = createRequire(import.meta.url);
const WRANGLER_BIN = path.join(path.dirname(require.resolve('wrangler/package.json')), 'bin/wrangler.js');

function runWrangler(args: string[], options: { capture: boolean }): Promise<WranglerRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: projectRoot,
      stdio: options.capture ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => resolve({ code: 1, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const args = process.argv.slice(2);
try {
  const config = configPathFromArgs(args);
  const project = readWranglerProject(config === null ? undefined : path.resolve(projectRoot, config));
  process.exitCode = await deploy({
    args,
    project,
    runWrangler,
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  });
} catch (error) {
  console.error(`deploy: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
