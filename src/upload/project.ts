/** Locates the project and reads what the upload needs from its wrangler.toml (a real TOML parser). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export const KV_BINDING = 'ARTICLES';
export const D1_BINDING = 'DB';

/** The repository root: two folders above this file (src/upload/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WranglerConfig {
  kvNamespaceId: string;
  d1DatabaseId: string;
  accountId: string | null;
  migrationsDir: string;
  /** `[vars]`, as strings ('' when a var is set to an empty string). */
  vars: Map<string, string>;
}

export class WranglerConfigError extends Error {
  override name = 'WranglerConfigError';
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts of a wrangler.toml the upload uses; `file` names it in errors. */
export function parseWranglerToml(text: string, file = 'wrangler.toml', root = projectRoot): WranglerConfig {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (error) {
    throw new WranglerConfigError(`${file}: not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  const find = (list: unknown, binding: string, what: string): Table => {
    const entry = Array.isArray(list) ? list.find((e) => isTable(e) && e.binding === binding) : undefined;
    if (!isTable(entry)) throw new WranglerConfigError(`${file}: no ${what} entry with binding = "${binding}"`);
    return entry;
  };
  const kv = find(doc.kv_namespaces, KV_BINDING, '[[kv_namespaces]]');
  const d1 = find(doc.d1_databases, D1_BINDING, '[[d1_databases]]');
  if (typeof kv.id !== 'string' || kv.id === '') throw new WranglerConfigError(`${file}: the ${KV_BINDING} namespace has no id`);
  if (typeof d1.database_id !== 'string' || d1.database_id === '') throw new WranglerConfigError(`${file}: the ${D1_BINDING} database has no database_id`);
  const vars = new Map<string, string>();
  if (isTable(doc.vars)) {
    for (const [k, v] of Object.entries(doc.vars)) {
      if (typeof v === 'string') vars.set(k, v);
      else if (typeof v === 'number' || typeof v === 'boolean') vars.set(k, String(v));
    }
  }
  return {
    kvNamespaceId: kv.id,
    d1DatabaseId: d1.database_id,
    accountId: typeof doc.account_id === 'string' && doc.account_id !== '' ? doc.account_id : null,
    migrationsDir: path.resolve(root, typeof d1.migrations_dir === 'string' ? d1.migrations_dir : 'migrations'),
    vars,
  };
}

export function readWranglerConfig(root = projectRoot): WranglerConfig {
  const file = path.join(root, 'wrangler.toml');
  return parseWranglerToml(readFileSync(file, 'utf8'), file, root);
}
