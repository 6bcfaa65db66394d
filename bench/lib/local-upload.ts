/**
 * A small upload in this process (the fixture store of the render, throughput and load
 * benchmarks): `upload()` with the CLI's options into a state folder that the Worker then reads
 * (bench/lib/worker.ts), as `npm run upload -- --persist-to <state>` would write it.
 */
import { openLocalStore } from '../../src/upload/local-store.js';
import { searchIndexer } from '../../src/upload/search-index.js';
import { upload } from '../../src/upload/upload.js';
import type { UploadPlan } from '../../src/upload/plan.js';
import { type WranglerSettings, projectRoot } from './project.js';

export async function uploadInProcess(dir: string, state: string, settings: WranglerSettings): Promise<{ plan: UploadPlan; line: string }> {
  const outcome = await upload(
    { dir, vars: new Map(Object.entries(settings.vars)), migrationsDir: settings.migrationsDir, search: searchIndexer() },
    () => openLocalStore(projectRoot, { kvNamespaceId: settings.kvNamespaceId, d1DatabaseId: settings.d1DatabaseId }, state),
  );
  if (!outcome.ok) throw new Error(`upload of ${dir} failed: ${outcome.errors.slice(0, 5).join('; ')}`);
  return { plan: outcome.plan, line: outcome.line };
}

/** Canonical path of each uploaded article, by slug. */
export function pathsBySlug(plan: UploadPlan): Map<string, string> {
  return new Map(plan.articleWrites.map((w) => [w.row.slug, w.row.path]));
}
