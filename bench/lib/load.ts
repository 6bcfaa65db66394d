/**
 * HTTP load on loopback: wrk when it is installed (`apt-get install -y wrk`; C, one thread, so it
 * leaves the other core to workerd), otherwise autocannon (pinned dev dependency, Node).
 * Set BENCH_LOAD=autocannon or BENCH_LOAD=wrk to choose.
 */
import { execFile } from 'node:child_process';
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
  /** What `errors` is made of, as the tool reports it (e.g. "read 32"); '' when there are none. */
  errorDetail: string;
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
  if (tool === 'wrk') {
    const { stdout } = await run(wrkPath ?? 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '5s', url], {
      maxBuffer: 1024 * 1024,
    });
    const rps = Number(/Requests\/sec:\s*([0-9.]+)/.exec(stdout)?.[1] ?? NaN);
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
    const lat = (p: string) => wrkDuration(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(stdout)?.[1] ?? '');
    const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(stdout)?.[1] ?? 0);
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    const sockErrors = sock ? Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]) : 0;
    if (!Number.isFinite(rps)) throw new Error(`could not parse wrk output:\n${stdout}`);
    const detail = [
      ...(sock ? ['connect', 'read', 'write', 'timeout'].map((kind, i) => [kind, Number(sock[i + 1])] as const) : []),
      ['non-2xx/3xx', non2xx] as const,
    ];
    const errorDetail = detail.filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ');
    return { tool, rps, p50: lat('50'), p99: lat('99'), requests, errors: non2xx + sockErrors, errorDetail };
  }
  const r = await autocannon({ url, connections, duration: seconds });
  return {
    tool,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.non2xx + r.errors + r.timeouts,
    errorDetail: [['non-2xx/3xx', r.non2xx] as const, ['socket', r.errors] as const, ['timeout', r.timeouts] as const]
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', '),
  };
}
