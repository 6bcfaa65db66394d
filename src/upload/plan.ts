/**
 * Decides what an upload writes, given the posts and the manifest of the previous upload. Pure.
 *
 * Writes are ordered so a reader never meets a listed article that is missing, even if the upload
 * is killed between any two writes: articles and their nav first, then list shards, then the
 * index meta, then deletions (of what no list names any more), and the manifest last, so an
 * interrupted run is simply redone by the next one.
 */
import { buildIndex } from '../store/index-shards.js';
import { contentHash } from '../store/hash.js';
import {
  type ManifestBucket,
  type ManifestEntry,
  type ManifestHead,
  type StoredArticle,
  LAYOUT_VERSION,
  MANIFEST_BUCKETS,
  kvKeys,
  manifestBucketOf,
  summarize,
} from '../store/kv-layout.js';
import type { KvEntry } from './kv-target.js';

export interface ManifestState {
  head: ManifestHead | null;
  buckets: (ManifestBucket | null)[];
}

export interface UploadPhase {
  label: string;
  puts: KvEntry[];
  deletes: string[];
}

export interface UploadPlan {
  added: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
  phases: UploadPhase[];
  writes: number;
  deletes: number;
}

export function parseManifest(values: Map<string, string | null>): ManifestState {
  const parse = <T>(key: string): T | null => {
    const raw = values.get(key);
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as { v?: number };
      return v && v.v === LAYOUT_VERSION ? (v as T) : null;
    } catch {
      return null;
    }
  };
  const head = parse<ManifestHead>(kvKeys.manifest);
  const buckets = Array.from({ length: MANIFEST_BUCKETS }, (_, b) => parse<ManifestBucket>(kvKeys.manifestBucket(b)));
  return { head, buckets };
}

export function manifestKeys(): string[] {
  return [kvKeys.manifest, ...Array.from({ length: MANIFEST_BUCKETS }, (_, b) => kvKeys.manifestBucket(b))];
}

export function planUpload(articles: StoredArticle[], previous: ManifestState, options: { prune: boolean }): UploadPlan {
  const old = new Map<string, ManifestEntry>();
  for (const bucket of previous.buckets) {
    for (const [slug, entry] of Object.entries(bucket?.entries ?? {})) old.set(slug, entry);
  }
  const added: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  const deleted: string[] = [];
  const articlePuts: KvEntry[] = [];
  const current = new Map<string, ManifestEntry>();
  const inFolder = new Set<string>();

  for (const article of articles) {
    inFolder.add(article.slug);
    const before = old.get(article.slug);
    if (!before) added.push(article.slug);
    else if (before.hash !== article.hash) updated.push(article.slug);
    else unchanged.push(article.slug);
    if (!before || before.hash !== article.hash) {
      articlePuts.push({ key: kvKeys.article(article.slug), value: JSON.stringify(article) });
    }
    current.set(article.slug, { hash: article.hash, nav: before?.nav ?? '', summary: summarize(article) });
  }
  // Articles already in KV but not in this folder stay (and stay listed) unless --prune.
  for (const [slug, entry] of old) {
    if (inFolder.has(slug)) continue;
    if (options.prune) deleted.push(slug);
    else current.set(slug, entry);
  }

  const index = buildIndex([...current.values()].map((e) => e.summary));
  const navPuts: KvEntry[] = [];
  for (const [slug, nav] of index.navs) {
    const hash = contentHash(nav);
    const entry = current.get(slug);
    if (entry && entry.nav !== hash) {
      navPuts.push({ key: kvKeys.nav(slug), value: JSON.stringify(nav) });
      entry.nav = hash;
    }
  }

  const oldShards = previous.head?.shards ?? {};
  const shardPuts: KvEntry[] = [];
  let metaPut: KvEntry | null = null;
  for (const [key, value] of index.shards) {
    if (oldShards[key] === index.hashes.get(key)) continue;
    const entry = { key, value: JSON.stringify(value) };
    if (key === kvKeys.meta) metaPut = entry;
    else shardPuts.push(entry);
  }
  const staleShards = Object.keys(oldShards).filter((key) => !index.shards.has(key));
  const deletes = [...deleted.flatMap((slug) => [kvKeys.article(slug), kvKeys.nav(slug)]), ...staleShards];

  // Manifest buckets: rewrite only those whose entries changed.
  const bucketEntries: Record<string, ManifestEntry>[] = Array.from({ length: MANIFEST_BUCKETS }, () => ({}));
  for (const slug of [...current.keys()].sort()) {
    bucketEntries[manifestBucketOf(slug)]![slug] = current.get(slug)!;
  }
  const manifestPuts: KvEntry[] = [];
  bucketEntries.forEach((entries, b) => {
    const value = JSON.stringify({ v: LAYOUT_VERSION, entries } satisfies ManifestBucket);
    const before = previous.buckets[b];
    if (!before || JSON.stringify(before) !== value) manifestPuts.push({ key: kvKeys.manifestBucket(b), value });
  });
  const head: ManifestHead = { v: LAYOUT_VERSION, buckets: MANIFEST_BUCKETS, shards: Object.fromEntries(index.hashes) };
  const headValue = JSON.stringify(head);
  if (JSON.stringify(previous.head) !== headValue) manifestPuts.push({ key: kvKeys.manifest, value: headValue });

  const phases: UploadPhase[] = [
    { label: 'articles', puts: articlePuts, deletes: [] },
    { label: 'navigation', puts: navPuts, deletes: [] },
    { label: 'list shards', puts: shardPuts, deletes: [] },
    { label: 'index meta', puts: metaPut ? [metaPut] : [], deletes: [] },
    { label: 'deletions', puts: [], deletes },
    { label: 'manifest', puts: manifestPuts, deletes: [] },
  ];
  return {
    added,
    updated,
    unchanged,
    deleted,
    phases,
    writes: phases.reduce((n, p) => n + p.puts.length, 0),
    deletes: deletes.length,
  };
}
