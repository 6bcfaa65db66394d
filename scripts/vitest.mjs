#!/usr/bin/env node
/**
 * `vitest` with one line of noise removed: when a test file's isolate shuts down, the Workers
 * test pool's workerd logs `exception = workerd/api/web-socket.c++:NNN: disconnected: WebSocket
 * peer disconnected` (the pool filters the sibling messages "WebSocket was aborted" and "operation
 * canceled" itself, see @cloudflare/vitest-pool-workers' ignoreMessages, but not this one). It is
 * not a test failure and says nothing about our code. Everything else passes through unchanged;
 * the exit code is vitest's.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const NOISE = /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected$/;
const bin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
// Colours as if vitest wrote to the terminal itself (the pipes below are not TTYs).
const env = process.stdout.isTTY && !('FORCE_COLOR' in process.env) ? { ...process.env, FORCE_COLOR: '1' } : process.env;
const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'pipe'], env });
// The pool writes the line to stdout or stderr depending on its level: filter both.
const filters = [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
].map(([from, to]) => {
  const lines = createInterface({ input: from, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!NOISE.test(line.replace(/\x1b\[[0-9;]*m/g, ''))) to.write(`${line}\n`);
  });
  return new Promise((resolve) => lines.on('close', resolve));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code, signal) => {
  await Promise.all(filters);
  process.exit(code ?? (signal ? 1 : 0));
});
