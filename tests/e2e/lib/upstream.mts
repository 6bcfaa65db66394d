/** Starts fake-upstream.mjs inside a namespace and collects its request log. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetNamespace } from './netns.mts';
import { waitFor, type ProcessGroup } from './processes.mts';

const libDir = dirname(fileURLToPath(import.meta.url));

export interface UpstreamRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  tls: boolean;
}

/** How a /__trickle/ response ended (fake-upstream.mjs). */
export interface TrickleEnd {
  event: 'trickle-end';
  url: string;
  sent: number;
  total: number;
  /** False when the client closed the connection before the whole body was sent. */
  complete: boolean;
}

export interface FakeUpstream {
  /** Every request received so far, in order (host = headers.host). */
  log: UpstreamRequest[];
  /** Every trickled response that has ended, in order. */
  trickles: TrickleEnd[];
}

export interface FakeUpstreamOptions {
  ns: NetNamespace;
  group: ProcessGroup;
  cwd: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Plain HTTP ports (default [80]). */
  ports?: number[];
  /** Milliseconds between the bytes of a /__trickle/ response (default 1000). */
  trickleMs?: number;
  image?: 'tiny' | 'mix';
  tls?: { ports: number[]; certFile: string; keyFile: string };
}

export async function startFakeUpstream(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const log: UpstreamRequest[] = [];
  const trickles: TrickleEnd[] = [];
  const listening = new Set<number>();
  const ports = options.ports ?? [80];
  const all = [...ports, ...(options.tls?.ports ?? [])];
  const env: NodeJS.ProcessEnv = { FAKE_UPSTREAM_PORT: ports.join(','), FAKE_UPSTREAM_IMAGE: options.image ?? 'tiny' };
  if (options.host) env.FAKE_UPSTREAM_HOST = options.host;
  if (options.trickleMs !== undefined) env.FAKE_UPSTREAM_TRICKLE_MS = String(options.trickleMs);
  if (options.tls) {
    env.FAKE_UPSTREAM_TLS_PORT = options.tls.ports.join(',');
    env.FAKE_UPSTREAM_TLS_CERT = options.tls.certFile;
    env.FAKE_UPSTREAM_TLS_KEY = options.tls.keyFile;
  }
  let output = '';
  const child = options.group.start(options.ns, [process.execPath, join(libDir, 'fake-upstream.mjs')], {
    cwd: options.cwd,
    env,
    onLine: (line) => {
      if (line.startsWith('{')) {
        const entry = JSON.parse(line) as UpstreamRequest | TrickleEnd;
        if ('event' in entry && entry.event === 'trickle-end') trickles.push(entry);
        else log.push(entry as UpstreamRequest);
      } else {
        output += `${line}\n`;
        const m = /^LISTENING (\d+)$/.exec(line);
        if (m) listening.add(Number(m[1]));
      }
    },
  });
  await waitFor('the fake upstream to listen', () => {
    if (child.exitCode !== null) throw new Error(`fake upstream exited:\n${output}`);
    return all.every((p) => listening.has(p));
  }, 10_000, 50);
  return { log, trickles };
}
