/**
 * Loopback-only network namespaces for the e2e scripts (root only).
 *
 * `ip netns exec NAME …` bind-mounts /etc/netns/NAME/hosts and resolv.conf over /etc's, so every
 * process started in the namespace resolves the listed hosts to 127.0.0.1 and nothing else at all
 * (the resolver points at 127.0.0.1:53, where nothing listens). The namespace has only `lo`, so
 * nothing can leave the machine whatever a process tries.
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

export class NetNamespace {
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

  /** (Re)creates the namespace with `lo` up and `hosts` (lower-case names) mapped to 127.0.0.1. */
  create(hosts: Iterable<string>): void {
    this.remove();
    sh('ip', ['netns', 'add', this.name]);
    sh('ip', ['netns', 'exec', this.name, 'ip', 'link', 'set', 'lo', 'up']);
    mkdirSync(this.etcDir, { recursive: true });
    this.writeHosts(hosts);
    // No resolver inside: any name not in hosts fails at once instead of leaking anywhere.
    writeFileSync(join(this.etcDir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  }

  /** Rewrites the hosts file in place (same inode, so running processes see the change). */
  writeHosts(hosts: Iterable<string>): void {
    const names = [...new Set(hosts)].filter((h) => h !== 'localhost').sort();
    const lines = ['127.0.0.1 localhost', '::1 localhost'];
    // Several short lines rather than one enormous one.
    for (let i = 0; i < names.length; i += 8) lines.push(`127.0.0.1 ${names.slice(i, i + 8).join(' ')}`);
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
