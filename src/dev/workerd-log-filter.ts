/**
 * wrangler's stderr as `npm run dev` shows it. When the outbound restriction refuses a
 * connection, workerd logs an internal error with a native stack trace
 * (`… connect() blocked by restrictPeers()` then a `stack: …` line). That is the restriction
 * working, so it is shown as one line instead. Everything else passes through untouched.
 */
import { Transform } from 'node:stream';

export const REFUSED_LINE = 'dev: outbound fetch refused: the destination is not a public address (workerd network allow = ["public"])';

/** Rewrites one line; returns null to drop it. `state` carries "the previous line was refused". */
export function rewriteLine(line: string, state: { afterRefusal: boolean }): string | null {
  if (line.includes('blocked by restrictPeers()')) {
    state.afterRefusal = true;
    return REFUSED_LINE;
  }
  if (state.afterRefusal && /^\s*stack: /.test(line)) return null;
  state.afterRefusal = false;
  return line;
}

export function filterRefusedConnectionNoise(): Transform {
  const state = { afterRefusal: false };
  let pending = '';
  const emit = (stream: Transform, lines: string[]) => {
    for (const line of lines) {
      const out = rewriteLine(line, state);
      if (out !== null) stream.push(`${out}\n`);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      emit(this, lines);
      done();
    },
    flush(done) {
      if (pending !== '') {
        const out = rewriteLine(pending, state);
        if (out !== null) this.push(out);
      }
      done();
    },
  });
}
