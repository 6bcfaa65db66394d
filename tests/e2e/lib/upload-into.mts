/**
 * Uploads a content folder into the local store (KV and D1) under <stateRoot>/.wrangler/state,
 * i.e. what `wrangler dev --persist-to <stateRoot>/.wrangler/state` reads — the project's own
 * upload (validation, plan, ordered writes) with only the store's location changed. Run it inside
 * the test namespace: Miniflare's helper workerd then listens on that namespace's loopback.
 *
 *   node --import tsx tests/e2e/lib/upload-into.mts <stateRoot> <contentDir>
 *
 * Prints the upload's summary line; exit code 0 = uploaded, 1 = invalid content, 3 = failure.
 */
import path from 'node:path';
import { openLocalStore } from '../../../src/upload/local-store.ts';
import { projectRoot, readWranglerConfig } from '../../../src/upload/project.ts';
import { searchIndexer } from '../../../src/upload/search-index.ts';
import { upload } from '../../../src/upload/upload.ts';

/** The project's upload of `contentDir` into the state folder `persistTo` (a `--persist-to`). */
export function uploadInto(persistTo: string, contentDir: string) {
  const wrangler = readWranglerConfig();
  return upload(
    { dir: contentDir, vars: wrangler.vars, migrationsDir: wrangler.migrationsDir, search: searchIndexer() },
    () => openLocalStore(projectRoot, { kvNamespaceId: wrangler.kvNamespaceId, d1DatabaseId: wrangler.d1DatabaseId }, persistTo),
  );
}

const [stateRoot, contentDir] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) await main();

async function main() {
if (!stateRoot || !contentDir) {
  console.error('usage: upload-into.mts <stateRoot> <contentDir>');
  process.exit(2);
}
try {
  const outcome = await uploadInto(path.join(stateRoot, '.wrangler', 'state'), contentDir);
  for (const w of outcome.warnings) console.error(w);
  if (!outcome.ok) {
    for (const e of outcome.errors) console.error(`error: ${e}`);
    process.exit(1);
  }
  console.log(outcome.line);
  process.exit(0);
} catch (error) {
  console.error(`upload failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(3);
}
}
