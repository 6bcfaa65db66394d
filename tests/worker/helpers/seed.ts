/**
 * Seeds the real miniflare KV binding the way the upload script does (same parser, same plan,
 * same write order), from fixture files bundled into the test with Vite's raw imports.
 */
import { env } from 'cloudflare:workers';
import { parsePost } from '../../../src/content/front-matter';
import { kvKeys } from '../../../src/store/kv-layout';
import { toStoredArticle } from '../../../src/store/records';
import { manifestKeys, parseManifest, planUpload } from '../../../src/upload/plan';

const raw = import.meta.glob('../../fixtures/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** File name → source of every real post in tests/fixtures. */
export const fixturePosts: Record<string, string> = Object.fromEntries(
  Object.entries(raw).map(([p, source]) => [p.split('/').pop()!, source]),
);

export async function seed(files: Record<string, string> = fixturePosts, kv: KVNamespace = env.ARTICLES) {
  const articles = Object.entries(files).map(([name, source]) => toStoredArticle(parsePost(name, source).article));
  const current = new Map<string, string | null>();
  for (const key of manifestKeys()) current.set(key, await kv.get(key));
  const plan = planUpload(articles, parseManifest(current), { prune: false });
  for (const phase of plan.phases) {
    for (const e of phase.puts) await kv.put(e.key, e.value);
    for (const k of phase.deletes) await kv.delete(k);
  }
  return plan;
}

export async function clearStore(kv: KVNamespace = env.ARTICLES) {
  const { keys } = await kv.list();
  await Promise.all(keys.map((k) => kv.delete(k.name)));
}

export { kvKeys };
