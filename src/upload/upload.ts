/** The upload, as a function: load + validate everything, plan, then write in order. */
import type { ParseOptions } from '../content/front-matter.js';
import type { KvTarget } from './kv-target.js';
import { manifestKeys, parseManifest, planUpload, type UploadPlan } from './plan.js';
import { loadPosts } from './read-posts.js';

export interface UploadOptions extends ParseOptions {
  dir: string;
  prune?: boolean;
  dryRun?: boolean;
  log?: (line: string) => void;
}

export type UploadOutcome =
  | { ok: true; plan: UploadPlan; summary: string; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

export function summaryLine(plan: UploadPlan, dryRun: boolean): string {
  const counts = `added ${plan.added.length}, updated ${plan.updated.length}, unchanged ${plan.unchanged.length}, deleted ${plan.deleted.length}`;
  return dryRun
    ? `dry run: would write ${plan.writes} keys and delete ${plan.deletes}: ${counts}`
    : `${counts} (${plan.writes} keys written, ${plan.deletes} deleted)`;
}

/**
 * `openTarget` is called only after every file has been validated, so a bad folder never even
 * opens the store.
 */
export async function upload(options: UploadOptions, openTarget: () => Promise<KvTarget>): Promise<UploadOutcome> {
  const log = options.log ?? (() => {});
  const loaded = await loadPosts(options.dir, options);
  if (loaded.errors.length > 0) {
    return { ok: false, errors: loaded.errors.map((e) => e.message), warnings: loaded.warnings };
  }
  const target = await openTarget();
  try {
    const manifest = parseManifest(await target.getMany(manifestKeys()));
    const plan = planUpload(loaded.articles, manifest, { prune: options.prune ?? false });
    if (!options.dryRun) {
      for (const [i, phase] of plan.phases.entries()) {
        try {
          if (phase.puts.length > 0) {
            log(`writing ${phase.puts.length} ${phase.label}`);
            await target.putMany(phase.puts);
          }
          if (phase.deletes.length > 0) {
            log(`deleting ${phase.deletes.length} keys`);
            await target.deleteMany(phase.deletes);
          }
        } catch (error) {
          // Earlier phases are in place and nothing lists a missing article; a rerun finishes.
          const done = plan.phases.slice(0, i).map((p) => p.label).join(', ') || 'nothing';
          throw new Error(
            `writing ${phase.label} (${phase.puts.length} keys) to ${target.name} failed: ${(error as Error).message}. ` +
              `Already written: ${done}. Run the upload again to finish.`,
          );
        }
      }
    } else {
      for (const slug of plan.added) log(`would add ${slug}`);
      for (const slug of plan.updated) log(`would update ${slug}`);
      for (const slug of plan.deleted) log(`would delete ${slug}`);
    }
    return { ok: true, plan, summary: summaryLine(plan, options.dryRun ?? false), warnings: loaded.warnings };
  } finally {
    await target.close();
  }
}
