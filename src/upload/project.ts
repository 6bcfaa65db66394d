/** Locates the project (where wrangler.toml lives) and the ARTICLES namespace id in it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BINDING = 'ARTICLES';

/** The repository root: two folders above this file (src/upload/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads the `id` of the `[[kv_namespaces]]` entry whose binding is ARTICLES. */
export function namespaceIdFromWranglerToml(tomlText: string, binding = BINDING): string {
  for (const block of tomlText.split(/^\s*\[\[kv_namespaces\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\s*\[/m)[0] ?? '';
    const b = /^\s*binding\s*=\s*["']([^"']+)["']/m.exec(body)?.[1];
    const id = /^\s*id\s*=\s*["']([^"']+)["']/m.exec(body)?.[1];
    if (b === binding && id) return id;
  }
  throw new Error(`wrangler.toml has no [[kv_namespaces]] entry with binding = "${binding}" and an id`);
}

export function readNamespaceId(root = projectRoot): string {
  return namespaceIdFromWranglerToml(readFileSync(path.join(root, 'wrangler.toml'), 'utf8'));
}
