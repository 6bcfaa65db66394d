/**
 * What the dev runner and the deploy guard need from wrangler.toml and .dev.vars: the Worker's
 * name, its vars (top level and per `[env.NAME]`, which wrangler does not inherit), and the
 * `[dev]` port and protocol. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';

/** The repository root: two folders above this file (src/dev/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WranglerEnvironment {
  name: string | null;
  vars: Map<string, string>;
}

export interface WranglerProject {
  name: string;
  vars: Map<string, string>;
  /** `[env.NAME]` sections (their vars only: wrangler does not inherit top-level vars). */
  envs: Map<string, WranglerEnvironment>;
  devPort: number | null;
  devLocalProtocol: 'http' | 'https' | null;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringVars(table: unknown): Map<string, string> {
  const vars = new Map<string, string>();
  if (!isTable(table)) return vars;
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars.set(key, String(value));
  }
  return vars;
}

/** Parses wrangler.toml text; `file` only names it in errors. */
export function parseWranglerToml(text: string, file = 'wrangler.toml'): WranglerProject {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (typeof doc.name !== 'string' || doc.name === '') throw new Error(`${file}: no \`name\` for the Worker`);
  const envs = new Map<string, WranglerEnvironment>();
  if (isTable(doc.env)) {
    for (const [envName, section] of Object.entries(doc.env)) {
      if (!isTable(section)) continue;
      envs.set(envName, { name: typeof section.name === 'string' ? section.name : null, vars: stringVars(section.vars) });
    }
  }
  const dev = isTable(doc.dev) ? doc.dev : {};
  const protocol = dev.local_protocol;
  return {
    name: doc.name,
    vars: stringVars(doc.vars),
    envs,
    devPort: typeof dev.port === 'number' ? dev.port : null,
    devLocalProtocol: protocol === 'http' || protocol === 'https' ? protocol : null,
  };
}

export function readWranglerProject(file = path.join(projectRoot, 'wrangler.toml')): WranglerProject {
  return parseWranglerToml(readFileSync(file, 'utf8'), path.basename(file));
}

/**
 * A .dev.vars file (dotenv syntax: `NAME=value`, optional quotes, `#` comments), the way
 * wrangler reads it for `wrangler dev`.
 */
export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const quoted = /^(["'`])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '').trim();
    vars.set(m[1], value);
  }
  return vars;
}

/** .dev.vars next to wrangler.toml, or an empty map when there is none. */
export function readDevVars(root = projectRoot): Map<string, string> {
  const file = path.join(root, '.dev.vars');
  return existsSync(file) ? parseDevVars(readFileSync(file, 'utf8')) : new Map();
}
