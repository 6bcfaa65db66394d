import { it } from 'vitest';
it('probe', async () => {
  const t0 = performance.now(); let x = 0; for (let i = 0; i < 3e7; i++) x += i; const t1 = performance.now();
  const d0 = Date.now(); for (let i = 0; i < 3e7; i++) x += i; const d1 = Date.now();
  await new Promise((r) => setTimeout(r, 0)); const t2 = performance.now();
  const g = import.meta.glob('../../fixtures/*.md', { query: '?raw', import: 'default', eager: true });
  console.log('perf', t1 - t0, 'date', d1 - d0, 'after await', t2 - t1, x, Object.keys(g).length);
});
