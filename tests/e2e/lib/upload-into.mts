/**
 * Uploads a content folder into a local KV store under <stateRoot>/.wrangler/state/v3/kv, i.e.
 * what `wrangler dev --persist-to <stateRoot>/.wrangler/state` reads — the project's own upload
 * (validation, plan, ordered writes) with only the store's location changed. Run it inside the
 * test namespace: Miniflare's helper workerd then listens on that namespace's loopback.
 *
 *   node --import tsx tests/e2e/lib/upload-into.mts <stateRoot> <contentDir>
 *
 * Prints the upload's summary line; exit code 0 = uploaded, 1 = invalid content, 3 = failure.
 */
import { openLocalKv } from '../../../src/upload/local-kv.ts';
import { readNamespaceId } from '../../../src/upload/project.ts';
import { upload } from '../../../src/upload/upload.ts';

const [stateRoot, contentDir] = process.argv.slice(2);
if (!stateRoot || !contentDir) {
  console.error('usage: upload-into.mts <stateRoot> <contentDir>');
  process.exit(2);
}
try {
  const outcome = await upload(
    { dir: contentDir, timeZone: process.env.POST_TIMEZONE ?? 'UTC' },
    () => openLocalKv(stateRoot, readNamespaceId()),
  );
  for (const w of outcome.warnings) console.error(w);
  if (!outcome.ok) {
    for (const e of outcome.errors) console.error(`error: ${e}`);
    process.exit(1);
  }
  console.log(outcome.summary);
  process.exit(0);
} catch (error) {
  console.error(`upload failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(3);
}
