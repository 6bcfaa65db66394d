/**
 * Timing of the rewrite on the largest fixture, and the parse strategy measurement behind the
 * choice of a fragment parse (see rewrite-html.ts). workerd's clock has 1 ms resolution here, so
 * each sample times a batch of BATCH calls. Generous timeouts: a busy machine slows the loops, and
 * the median (not the total) is what is asserted.
 */
import { DOMParser, parseHTML } from 'linkedom/worker';
import { describe, expect, it } from 'vitest';
import { rewriteBody } from '../../../src/rewrite/rewrite-html';
import { FIXTURES, options } from './helpers';

const BATCH = 10;
const SAMPLES = 50;

function medianMs(fn: () => unknown): number {
  for (let i = 0; i < 20; i++) fn(); // warm up
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    for (let i = 0; i < BATCH; i++) fn();
    samples.push((performance.now() - t0) / BATCH);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(SAMPLES / 2)]!;
}

describe('rewrite performance', () => {
  const largest = FIXTURES.reduce((a, b) => (b.body.length > a.body.length ? b : a));

  it('rewrites the largest fixture in well under 10 ms (warm median)', () => {
    expect(largest.name).toMatch(/^50-woshipm/);
    const opts = options();
    const ms = medianMs(() => rewriteBody(largest.body, opts));
    console.log(`rewriteBody(${largest.name}, ${largest.body.length} chars): median ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(10);
  }, 60_000);

  it('measures fragment vs document parsing with linkedom', () => {
    const parser = new DOMParser();
    const fragment = medianMs(() => parser.parseFromString(largest.body, 'text/html').firstChild);
    const document = medianMs(() => parseHTML(`<!doctype html><html><body>${largest.body}</body></html>`).document.body.firstChild);
    const documentSerialised = medianMs(
      () => parseHTML(`<!doctype html><html><body>${largest.body}</body></html>`).document.body.innerHTML,
    );
    console.log(
      `parse ${largest.name}: fragment ${fragment.toFixed(2)} ms, document ${document.toFixed(2)} ms, ` +
        `document + innerHTML ${documentSerialised.toFixed(2)} ms`,
    );
    expect(fragment).toBeGreaterThan(0);
  }, 60_000);
});
