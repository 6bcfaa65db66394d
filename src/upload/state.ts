/** Reads the index as it is: the D1 `articles` rows (the manifest), D1 meta and the KV record. */
import { META } from '../store/d1-layout.js';
import { type IndexRecord, type PublishedSite, kvKeys } from '../store/kv-layout.js';
import type { ArticleRow, PreviousState } from './plan.js';
import type { Store } from './targets.js';

interface Row {
  id: number;
  slug: string;
  path: string;
  abbrlink: string;
  title: string;
  date: string | null;
  tags: string;
  summary: string;
  content_hash: string;
  value_hash: string;
  changed_at: string;
  gone: string | null;
}

/** Rows per read: keeps each D1 response small (remote responses are JSON). */
const PAGE = 5_000;

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export async function readPreviousState(store: Store): Promise<PreviousState & { rowsRead: number }> {
  const rows = new Map<string, ArticleRow>();
  const gone = new Map<string, string>();
  let rowsRead = 0;
  for (let after = 0; ; ) {
    const page = await store.d1.all<Row>({
      sql: 'SELECT id, slug, path, abbrlink, title, date, tags, summary, content_hash, value_hash, changed_at, gone FROM articles WHERE id > ? ORDER BY id LIMIT ?',
      params: [after, PAGE],
    });
    rowsRead += page.counts.rowsRead;
    for (const r of page.rows) {
      if (r.gone !== null) {
        gone.set(r.slug, r.gone);
        continue;
      }
      const tags = parseJson<unknown>(r.tags, []);
      rows.set(r.slug, {
        slug: r.slug,
        path: r.path,
        abbrlink: r.abbrlink,
        title: r.title,
        date: r.date,
        tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
        summary: r.summary,
        contentHash: r.content_hash,
        valueHash: r.value_hash,
        changedAt: r.changed_at,
      });
    }
    if (page.rows.length < PAGE) break;
    after = page.rows[page.rows.length - 1]!.id;
  }
  const meta = await store.d1.all<{ key: string; value: string }>({ sql: 'SELECT key, value FROM meta', params: [] });
  rowsRead += meta.counts.rowsRead;
  const m = new Map(meta.rows.map((r) => [r.key, r.value]));
  const record = parseJson<IndexRecord | null>((await store.kv.getMany([kvKeys.index])).get(kvKeys.index), null);
  return {
    rows,
    gone,
    version: m.get(META.version) ?? null,
    changedAt: m.get(META.changedAt) ?? null,
    site: parseJson<PublishedSite | null>(m.get(META.site), null),
    siteChangedAt: record && typeof record.siteChangedAt === 'string' ? record.siteChangedAt : null,
    dirty: m.has(META.dirty),
    kvVersion: record && typeof record.version === 'string' ? record.version : null,
    rowsRead,
  };
}
