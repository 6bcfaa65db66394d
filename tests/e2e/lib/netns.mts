/**
 * Loopback-only network namespaces for the e2e scripts (root only).
 *
 * `ip netns exec NAME …` bind-mounts /etc/netns/NAME/hosts and resolv.conf over /etc's, so every
 * process started in the namespace resolves the listed hosts to 127.0.0.1 (or the address given
 * to create()) and nothing else at all (the resolver points at 127.0.0.1:53, where nothing
 * listens). The namespace has only `lo`, so nothing can leave the machine whatever a process
 * tries: an address such as 203.0.113.80, added to `lo`, is a "public" address that exists only
 * inside the namespace.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function sh(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if ((r.status !== 0 || r.error) && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? (r.stderr || r.stdout)}`);
  }
  return r.stdout ?? '';
}

/** Absolute path of an executable on PATH (or the path itself if given absolute), or null. */
export function findExecutable(name: string): string | null {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * An address workerd's network filter counts as public (`allow = ["public"]`), for a fake origin
 * inside the namespace: TEST-NET-3 (RFC 5737, documentation only, never routed), so nothing real
 * can ever be reached through it. (ipaddr.js calls it `reserved`, which only matters for IP
 * literals in URLs: the e2e scripts use host names.)
 */
export const NAMESPACE_PUBLIC_ADDRESS = '203.0.113.80';

export interface NamespaceHostsOptions {
  /** The address the `hosts` passed to create()/writeHosts() resolve to (default 127.0.0.1). */
  address?: string;
  /** More names, each with its own address. */
  extra?: ReadonlyMap<string, string>;
}

function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || address === '::1';
}

export class NetNamespace {
  private hostsOptions: NamespaceHostsOptions = {};

  constructor(readonly name: string) {
    if (!/^[a-z0-9-]{1,15}$/.test(name)) throw new Error(`bad namespace name ${name}`);
  }

  get etcDir(): string {
    return `/etc/netns/${this.name}`;
  }

  exists(): boolean {
    return sh('ip', ['netns', 'list'], true)
      .split('\n')
      .some((l) => l.split(' ')[0] === this.name);
  }

  /**
   * (Re)creates the namespace with `lo` up and `hosts` (lower-case names) mapped to 127.0.0.1, or
   * to `options.address`; every non-loopback address used is added to `lo`.
   */
  create(hosts: Iterable<string>, options: NamespaceHostsOptions = {}): void {
    this.remove();
    sh('ip', ['netns', 'add', this.name]);
    sh('ip', ['netns', 'exec', this.name, 'ip', 'link', 'set', 'lo', 'up']);
    this.hostsOptions = options;
    const addresses = new Set([options.address ?? '127.0.0.1', ...(options.extra?.values() ?? [])]);
    for (const address of addresses) {
      if (isLoopbackAddress(address)) continue;
      const prefix = address.includes(':') ? '128' : '32';
      sh('ip', ['netns', 'exec', this.name, 'ip', 'addr', 'add', `${address}/${prefix}`, 'dev', 'lo']);
    }
    mkdirSync(this.etcDir, { recursive: true });
    this.writeHosts(hosts);
    // No resolver inside: any name not in hosts fails at once instead of leaking anywhere.
    writeFileSync(join(this.etcDir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  }

  /**
   * Rewrites the hosts file in place (same inode, so running processes see the change), with the
   * address and extra names given to create().
   */
  writeHosts(hosts: Iterable<string>): void {
    const address = this.hostsOptions.address ?? '127.0.0.1';
    const names = [...new Set(hosts)].filter((h) => h !== 'localhost').sort();
    const lines = ['127.0.0.1 localhost', '::1 localhost'];
    // Several short lines rather than one enormous one.
    for (let i = 0; i < names.length; i += 8) lines.push(`${address} ${names.slice(i, i + 8).join(' ')}`);
    for (const [name, extraAddress] of this.hostsOptions.extra ?? []) lines.push(`${extraAddress} ${name}`);
    writeFileSync(join(this.etcDir, 'hosts'), `${lines.join('\n')}\n`);
  }

  /** Prefix for running a command inside: `['ip', 'netns', 'exec', name]`. */
  execPrefix(): string[] {
    return ['ip', 'netns', 'exec', this.name];
  }

  /** PIDs of processes still inside the namespace. */
  pids(): number[] {
    if (!this.exists()) return [];
    return sh('ip', ['netns', 'pids', this.name], true)
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => Number.isInteger(n) && n > 0);
  }

  remove(): void {
    if (this.exists()) sh('ip', ['netns', 'del', this.name], true);
    rmSync(this.etcDir, { recursive: true, force: true });
  }
}
