/**
 * HTTP load on loopback: wrk when it is installed (`apt-get install -y wrk`; C, one thread, so it
 * leaves the other core to workerd), otherwise autocannon (pinned dev dependency, Node).
 * Set BENCH_LOAD=autocannon or BENCH_LOAD=wrk to choose.
 */
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const run = promisify(execFile);

export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx/3xx responses plus socket errors and timeouts. */
  errors: number;
  /** What `errors` is made of, as the tool reports it (e.g. "read 32"), and what it means; '' when there are none. */
  errorDetail: string;
  /** The longest this (otherwise idle) Node process waited for its event loop during the run (ms): a machine-wide stall shows here. */
  stallMs: number;
}

/**
 * workerd's HTTP server (kj::HttpServer with its default settings) closes a keep-alive connection
 * that has waited 5 s for its next request (`pipelineTimeout`). Under load a connection only waits
 * that long when wrk or workerd did not run for ≥ 5 s; then every connection is closed at once,
 * and wrk counts one read error per connection. Reproduced by stopping either process mid-run
 * with SIGSTOP: 6 s → `read` = the number of connections, server FIN on each; 4 s → no error.
 */
export const KEEP_ALIVE_IDLE_CLOSE_MS = 5000;

/** Names wrk's error counts, and says what it means when every connection was closed at once. */
export function describeWrkErrors(counts: { connect: number; read: number; write: number; timeout: number; non2xx: number }, connections: number, stallMs: number): string {
  const kinds = Object.entries({ connect: counts.connect, read: counts.read, write: counts.write, timeout: counts.timeout, 'non-2xx/3xx': counts.non2xx })
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`);
  if (kinds.length === 0) return '';
  const allAtOnce = counts.read > 0 && counts.read % connections === 0 && counts.connect + counts.write + counts.non2xx === 0;
  const why = allAtOnce
    ? `: every connection closed by workerd at once (its ${KEEP_ALIVE_IDLE_CLOSE_MS / 1000} s keep-alive idle timeout, hit when wrk or workerd stalled ≥ ${KEEP_ALIVE_IDLE_CLOSE_MS / 1000} s)`
    : '';
  return `${kinds.join(', ')}${why}; this process stalled up to ${Math.round(stallMs)} ms meanwhile`;
}

let wrkPath: string | null | undefined;

async function findWrk(): Promise<string | null> {
  if (wrkPath !== undefined) return wrkPath;
  try {
    const { stdout } = await run('sh', ['-c', 'command -v wrk']);
    wrkPath = stdout.trim() || null;
  } catch {
    wrkPath = null;
  }
  return wrkPath;
}

export async function loadToolName(): Promise<'wrk' | 'autocannon'> {
  const forced = process.env.BENCH_LOAD;
  if (forced === 'autocannon') return 'autocannon';
  const wrk = await findWrk();
  if (forced === 'wrk' && !wrk) throw new Error('BENCH_LOAD=wrk but wrk is not installed (apt-get install -y wrk)');
  return wrk ? 'wrk' : 'autocannon';
}

/** wrk's "1.23ms" / "456.78us" / "1.02s" → ms. */
function wrkDuration(text: string): number {
  const m = /^([0-9.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

export async function runLoad(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const tool = await loadToolName();
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  try {
    return await (tool === 'wrk' ? runWrk(url, connections, seconds, () => delay.max / 1e6) : runAutocannon(url, connections, seconds, () => delay.max / 1e6));
  } finally {
    delay.disable();
  }
}

async function runWrk(url: string, connections: number, seconds: number, stall: () => number): Promise<LoadResult> {
  const { stdout } = await run(wrkPath ?? 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '5s', url], {
    maxBuffer: 1024 * 1024,
  });
  const rps = Number(/Requests\/sec:\s*([0-9.]+)/.exec(stdout)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
  const lat = (p: string) => wrkDuration(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(stdout)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(stdout)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const [connect, read, write, timeout] = sock ? sock.slice(1, 5).map(Number) : [0, 0, 0, 0];
  if (!Number.isFinite(rps)) throw new Error(`could not parse wrk output:\n${stdout}`);
  const stallMs = stall();
  const counts = { connect: connect!, read: read!, write: write!, timeout: timeout!, non2xx };
  return {
    tool: 'wrk',
    rps,
    p50: lat('50'),
    p99: lat('99'),
    requests,
    errors: non2xx + connect! + read! + write! + timeout!,
    errorDetail: describeWrkErrors(counts, connections, stallMs),
    stallMs,
  };
}

async function runAutocannon(url: string, connections: number, seconds: number, stall: () => number): Promise<LoadResult> {
  const r = await autocannon({ url, connections, duration: seconds });
  const stallMs = stall();
  const kinds = [['non-2xx/3xx', r.non2xx] as const, ['socket', r.errors] as const, ['timeout', r.timeouts] as const].filter(([, n]) => n > 0);
  return {
    tool: 'autocannon',
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.non2xx + r.errors + r.timeouts,
    errorDetail: kinds.length ? `${kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}; this process stalled up to ${Math.round(stallMs)} ms meanwhile` : '',
    stallMs,
  };
}
