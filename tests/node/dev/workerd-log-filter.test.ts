import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { filterRefusedConnectionNoise, REFUSED_LINE, rewriteLine } from '../../../src/dev/workerd-log-filter';

// What workerd 2026-04-26 prints when the restricted network refuses a connection.
const REFUSAL = [
  'workerd/jsg/util.c++:405: error: e = kj/async-io-unix.c++:1655: failed: connect() blocked by restrictPeers()',
  'stack: /x/workerd@51f70c0 /x/workerd@51f7880 /x/workerd@51ea180; sentryErrorContext = jsgInternalError; wdErrId = oa04taous9r884jmob0sskcv',
];

describe('rewriteLine', () => {
  it('turns a refusal into one line and drops its stack line', () => {
    const state = { afterRefusal: false };
    expect(REFUSAL.map((line) => rewriteLine(line, state))).toEqual([REFUSED_LINE, null]);
  });

  it('keeps a stack line that does not follow a refusal', () => {
    const state = { afterRefusal: false };
    expect(rewriteLine('stack: something else', state)).toBe('stack: something else');
    expect(rewriteLine('[wrangler:info] GET / 200 OK', state)).toBe('[wrangler:info] GET / 200 OK');
  });
});

describe('filterRefusedConnectionNoise', () => {
  it('rewrites refusals split across chunks and passes everything else through', async () => {
    const input = ['before\n', `${REFUSAL[0]!.slice(0, 30)}`, `${REFUSAL[0]!.slice(30)}\n${REFUSAL[1]}\n`, 'after\nno newline at the end'];
    let output = '';
    for await (const chunk of Readable.from(input.map((s) => Buffer.from(s))).pipe(filterRefusedConnectionNoise())) output += String(chunk);
    expect(output).toBe(`before\n${REFUSED_LINE}\nafter\nno newline at the end`);
  });
});
