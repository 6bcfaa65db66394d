/**
 * What `npm run dev -- <args>` asks wrangler for. The arguments go to `wrangler dev` unchanged;
 * only SITE_URL may be added: absolute URLs (canonical, feeds, sitemap, API `url`) must name the
 * port the server really listens on, so a local SITE_URL follows `--port` (and
 * `--local-protocol`). A SITE_URL configured to a non-local origin, or given with
 * `--var SITE_URL:…`, is left alone. Pure: scripts/dev.ts does the I/O.
 */
import { isLocalOrigin } from '../images/signing-key';
import type { WranglerProject } from './project-config';

export const DEFAULT_DEV_PORT = 8787;

export interface DevPlanInput {
  /** The arguments after `npm run dev --`. */
  args: readonly string[];
  project: WranglerProject;
  /** .dev.vars (it overrides wrangler.toml [vars] in `wrangler dev`). */
  devVars: ReadonlyMap<string, string>;
}

export interface DevPlan {
  /** Arguments for `wrangler dev` (the given ones, plus `--var SITE_URL:…` when it changes). */
  wranglerArgs: string[];
  /** The Worker whose outbound network is restricted: `--name`, else wrangler.toml `name`. */
  workerName: string;
  port: number;
  /** The protocol `wrangler dev` serves (`--local-protocol`, else wrangler.toml [dev], else http). */
  localProtocol: 'http' | 'https';
  siteUrl: string;
  /** Where siteUrl comes from, for the start-up line. */
  siteUrlSource: 'argument' | 'configured' | 'port';
  /** `--remote`: the Worker runs on Cloudflare, whose network refuses private destinations. */
  remote: boolean;
}

export class DevArgumentError extends Error {
  override name = 'DevArgumentError';
}

/** The value of `--name value` or `--name=value` (last one wins, as in yargs), or null. */
export function optionValue(args: readonly string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === name) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-')) throw new DevArgumentError(`${name} needs a value`);
      value = next;
      i++;
    } else if (arg.startsWith(`${name}=`)) {
      value = arg.slice(name.length + 1);
    }
  }
  return value;
}

/** `--config`/`-c`: the wrangler configuration file the arguments ask for, or null for wrangler.toml. */
export function configPathFromArgs(args: readonly string[]): string | null {
  return optionValue(args, '--config') ?? optionValue(args, '-c');
}

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new DevArgumentError(`--port must be a port number (1-65535), got "${raw}"`);
  }
  return Number(raw);
}

/** A `SITE_URL:…` given with --var (`--var SITE_URL:x`, `--var A:1 SITE_URL:x`, `--var=SITE_URL:x`). */
export function siteUrlArgument(args: readonly string[]): string | null {
  let found: string | null = null;
  let inVars = false;
  for (const arg of args) {
    if (arg === '--var') {
      inVars = true;
      continue;
    }
    const candidate = arg.startsWith('--var=') ? arg.slice('--var='.length) : inVars && !arg.startsWith('-') ? arg : null;
    if (arg.startsWith('-') && !arg.startsWith('--var=')) inVars = false;
    if (candidate?.startsWith('SITE_URL:')) found = candidate.slice('SITE_URL:'.length);
  }
  return found;
}

function withoutTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

export function planDev(input: DevPlanInput): DevPlan {
  const { args, project, devVars } = input;
  const portArg = optionValue(args, '--port');
  const port = portArg === null ? (project.devPort ?? DEFAULT_DEV_PORT) : parsePort(portArg);
  const protocolArg = optionValue(args, '--local-protocol');
  if (protocolArg !== null && protocolArg !== 'http' && protocolArg !== 'https') {
    throw new DevArgumentError(`--local-protocol must be http or https, got "${protocolArg}"`);
  }
  const localProtocol = protocolArg ?? project.devLocalProtocol ?? 'http';
  const remote = args.some((arg) => arg === '--remote' || arg === '-r' || arg === '--remote=true');
  const wranglerArgs = [...args];
  const workerName = optionValue(args, '--name') ?? project.name;
  const base = { wranglerArgs, workerName, port, localProtocol, remote };

  const given = siteUrlArgument(args);
  if (given !== null) return { ...base, siteUrl: withoutTrailingSlashes(given), siteUrlSource: 'argument' };

  const configured = devVars.get('SITE_URL') ?? project.vars.get('SITE_URL') ?? null;
  if (configured !== null && configured !== '' && !isLocalOrigin(configured)) {
    return { ...base, siteUrl: withoutTrailingSlashes(configured), siteUrlSource: 'configured' };
  }
  // A local (or missing) SITE_URL: keep its host, use the port and protocol actually served.
  const url = new URL(configured || 'http://localhost');
  url.protocol = `${localProtocol}:`;
  url.port = String(port);
  const siteUrl = url.origin;
  if (configured === null || withoutTrailingSlashes(configured) !== siteUrl) wranglerArgs.push('--var', `SITE_URL:${siteUrl}`);
  return { ...base, siteUrl, siteUrlSource: 'port' };
}
