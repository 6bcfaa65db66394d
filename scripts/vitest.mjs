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
const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], { stdio: ['inherit', 'inherit', 'pipe'] });
const lines = createInterface({ input: child.stderr });
lines.on('line', (line) => {
  if (!NOISE.test(line.replace(/\x1b\[[0-9;]*m/g, ''))) process.stderr.write(`${line}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  lines.close();
  process.exit(code ?? (signal ? 1 : 0));
});
