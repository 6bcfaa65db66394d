/**
 * Rank cap sweep on a kept benchmark database (`run.ts --sizes=100000 --keep=DIR`): every query
 * of ./queries.ts through searchPage with each cap, timed inside the Worker, `reps` times (min and
 * median). Used to choose rankCap() (src/search/README.md). `node --import tsx
 * bench/search/cap-sweep.ts --db=DIR [--caps=1000000000,10000,3000,1000] [--reps=5]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BenchWorker, bundleWorker } from './harness.js';
import { BENCH_QUERIES } from './queries.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const dbDir = arg('db');
if (!dbDir) throw new Error('--db=DIR (a folder kept by run.ts --keep)');
const caps = (arg('caps') ?? '1000000000,10000,3000,1000').split(',').map(Number);
const reps = Number(arg('reps') ?? 5);
const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const dir = await mkdtemp(path.join(os.tmpdir(), 'search-capsweep-'));
try {
  const worker = await BenchWorker.start(await bundleWorker(dir), dbDir);
  const perCap = new Map<number, number[]>(caps.map((c) => [c, []]));
  console.log(`| query | matches | ${caps.map((c) => `cap ${c >= 1e9 ? '∞' : c} (min / median ms, trips)`).join(' | ')} |`);
  console.log(`| --- | --- | ${caps.map(() => '---').join(' | ')} |`);
  for (const { q } of BENCH_QUERIES) {
    const cells: string[] = [];
    let total = 0;
    for (const cap of caps) {
      const times: number[] = [];
      let trips = 0;
      for (let r = 0; r <= reps; r++) {
        const res = await worker.call<{ ms: number; total: number; meta: { roundTrips: number } }>('/query', { q, page: 1, pageSize: 10, cap });
        if (r > 0) times.push(res.ms);
        total = res.total;
        trips = res.meta.roundTrips;
      }
      const s = sorted(times);
      (perCap.get(cap) as number[]).push(s[Math.floor(s.length / 2)] as number);
      cells.push(`${(s[0] as number).toFixed(0)} / ${(s[Math.floor(s.length / 2)] as number).toFixed(0)} (${trips})`);
    }
    console.log(`| \`${q}\` | ${total} | ${cells.join(' | ')} |`);
  }
  for (const [cap, medians] of perCap) {
    const s = sorted(medians);
    const p = (x: number) => s[Math.round((x / 100) * (s.length - 1))] as number;
    console.log(`cap ${cap}: median ${p(50).toFixed(1)} ms, p95 ${p(95).toFixed(1)} ms, max ${p(100).toFixed(1)} ms`);
  }
  await worker.dispose();
} finally {
  await rm(dir, { recursive: true, force: true });
}
