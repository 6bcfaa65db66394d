/**
 * Decides what an upload writes, from the posts just read and the index as it is (the D1
 * `articles` table is the manifest). Pure: no I/O, so every rule here is table-tested.
 *
 * The plan is executed (execute.ts) in an order that keeps a reader safe if the upload is killed
 * between any two writes:
 *   1. article values (and their link keys) in KV, in chunks; each chunk's D1 `articles` rows
 *      (and search rows) right after its KV writes — nothing lists an article before it exists;
 *   2. the derived rows (list entries and list counts), which list the new articles and unlist
 *      the deleted ones;
 *   3. the `articles` rows of deleted articles, then their KV values (unlisted before deleted);
 *   4. the D1 meta (index version), then the KV index record — last, so a cache keyed by the
 *      index version never holds a list older than that version.
 * When steps 1–2 span several D1 batches the first one marks the index dirty and step 4 clears
 * it; an upload that finds it dirty rebuilds the derived rows from scratch (`rebuild`).
 *
 * Write amplification: positions are ascending by (date, slug), so adding the newest article
 * appends one entry per list it is in, bumps those lists' counts, and changes one other KV value
 * (the previous newest article, whose "newer" neighbour it becomes): a constant number of writes
 * at any size. An article dated in the past shifts the newer entries of its lists by one.
 */
import { contentHash } from '../store/hash.js';
import { HOME, type ListItem, type ListRow, listKey, type TrailStep } from '../store/d1-layout.js';
import { type IndexRecord, LAYOUT_VERSION, type NavLink, type PublishedSite, kvKeys } from '../store/kv-layout.js';

/** A post as read and validated from the folder (its body is not kept: it is read again to write). */
export interface PostRecord {
  /** Path as the user sees it, for messages. */
  file: string;
  slug: string;
  /** Hash of every stored field of the post (front matter and body). */
  contentHash: string;
  title: string;
  date: string | null;
  author: string | null;
  categories: string[][];
  tags: string[];
  thumbnail: string | null;
  /** Front-matter `abbrlink`, when given. */
  abbrlink: string | null;
}

/** An `articles` row as read from D1 (the manifest), or as the plan wants it. */
export interface ArticleRow {
  slug: string;
  path: string;
  abbrlink: string;
  title: string;
  date: string | null;
  tags: string[];
  /** JSON of the ListItem (exactly as stored, so equality is string equality). */
  summary: string;
  contentHash: string;
  valueHash: string;
  changedAt: string;
}

/** How the site's URLs and lists are formed (Hexo rules, from the resolved settings). */
export interface SiteRules {
  /** Canonical path for a post (decoded, root-relative). */
  permalink(post: { slug: string; title: string; date: string | null; abbrlink: string; categories: string[][] }): string;
  /**
   * Each hierarchy's trail (every level's name and list key, slugized like Hexo), in order;
   * hierarchies that slugize alike are one.
   */
  categoryTrails(categories: string[][]): TrailStep[][];
  tagList(tag: string): { key: string; name: string };
  /** Archive year and month ('2021', '11') of a date in the site's zone, or null when undated. */
  archive(date: string | null): { year: string; month: string } | null;
  /** Abbrlinks for the posts (explicit ones honoured, existing kept, the rest computed). */
  abbrlinks(
    posts: { slug: string; title: string; date: string | null; abbrlink: string | null }[],
    existing: ReadonlyMap<string, { abbrlink: string; title: string }>,
  ): { links: Map<string, string>; errors: string[] };
}

export interface PreviousState {
  /** Live articles. */
  rows: Map<string, ArticleRow>;
  /** Articles an interrupted upload was deleting (unlisted, their former path): finished now. */
  gone: Map<string, string>;
  /** D1 meta; null before the first upload. */
  version: string | null;
  changedAt: string | null;
  site: PublishedSite | null;
  /** When the published settings last changed (from the KV index record). */
  siteChangedAt: string | null;
  dirty: boolean;
  /** The KV index record's version; null when missing. */
  kvVersion: string | null;
}

export interface PlanOptions {
  prune: boolean;
  rules: SiteRules;
  site: PublishedSite;
  /** ISO time of this upload (changedAt of what it changes). */
  now: string;
}

/** A D1 statement: SQL with `?` placeholders and its bound values. */
export interface Statement {
  sql: string;
  params: (string | number | null)[];
}

/** One article value to write to KV, and where its body comes from. */
export interface ArticleWrite {
  row: ArticleRow;
  nav: { newer: NavLink | null; older: NavLink | null };
  links: { categories: TrailStep[][]; tags: TrailStep[] };
  /** 'file': re-read the post (must still hash to row.contentHash); 'stored': patch the KV value. */
  source: { kind: 'file'; post: PostRecord } | { kind: 'stored' };
  /** The link key for row.path must be (re)written. */
  writeLink: boolean;
  /** The row is new in D1 (INSERT) or updated (same slug). */
  isNew: boolean;
  /** The post itself changed (not only its neighbours or path): its search rows are rewritten. */
  contentChanged: boolean;
}

export interface UploadPlan {
  added: string[];
  updated: string[];
  /** Unchanged posts whose stored value changes anyway (a new neighbour or path). */
  relinked: string[];
  unchanged: string[];
  deleted: string[];
  articleWrites: ArticleWrite[];
  /** Entries and list rows (upserts, deletes), in order; includes the rebuild's clearing. */
  derived: Statement[];
  /** Slugs unlisted now: their `articles` rows are marked gone (with their path) with the derived rows. */
  rowDeletes: { slug: string; path: string }[];
  /** KV keys to delete once the articles are unlisted; then every gone row is deleted. */
  kvDeletes: string[];
  /** The D1 meta statements (version, changed_at, site); empty when nothing changed. */
  meta: Statement[];
  /** The KV index record to write last, or null when KV already has this version. */
  indexRecord: IndexRecord | null;
  /** The derived rows were found dirty (an interrupted upload): they are rebuilt from scratch. */
  rebuild: boolean;
  version: string;
  errors: string[];
}

interface State {
  slug: string;
  path: string;
  abbrlink: string;
  title: string;
  date: string | null;
  trails: TrailStep[][];
  tags: string[];
  tagLinks: TrailStep[];
  summary: string;
}

/** Ascending (oldest first): undated before dated, then by date, then by slug. */
export function compareOldestFirst(a: { date: string | null; slug: string }, b: { date: string | null; slug: string }): number {
  const da = a.date ?? '';
  const db = b.date ?? '';
  if (da !== db) return da < db ? -1 : 1;
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

function parseItem(summary: string, slug: string): ListItem {
  try {
    const item = JSON.parse(summary) as ListItem;
    if (item && typeof item === 'object' && Array.isArray(item.categories)) return item;
  } catch {
    // fall through
  }
  // A damaged manifest row: treat the article as if it had no list data; it is rewritten.
  return { slug, path: '', title: '', date: null, author: null, categories: [], thumbnail: null };
}

function stateFromRow(row: ArticleRow, rules: SiteRules): State {
  const item = parseItem(row.summary, row.slug);
  return {
    slug: row.slug,
    path: row.path,
    abbrlink: row.abbrlink,
    title: row.title,
    date: row.date,
    trails: item.categories,
    tags: row.tags,
    tagLinks: row.tags.map((t) => {
      const tag = rules.tagList(t);
      return [tag.name, tag.key] as TrailStep;
    }),
    summary: row.summary,
  };
}

/** Every list of the index: members oldest first, and the list rows (counts, names, trails). */
interface Derived {
  members: Map<string, State[]>;
  lists: Map<string, ListRow>;
}

function derive(states: Iterable<State>, rules: SiteRules): Derived {
  const home = [...states].sort(compareOldestFirst);
  const members = new Map<string, State[]>([[HOME, home]]);
  const lists = new Map<string, ListRow>();
  lists.set(HOME, { key: HOME, kind: 'home', name: '', parent: null, trail: [], count: home.length, first: 1 });
  const add = (key: string, s: State) => {
    const list = members.get(key);
    if (list) {
      // Posts are visited oldest first, so members stay sorted; a post in two hierarchies that
      // share a level is added to it once.
      if (list[list.length - 1] !== s) list.push(s);
    } else members.set(key, [s]);
  };
  home.forEach((s, i) => {
    for (const trail of s.trails) {
      trail.forEach(([name, key], level) => {
        if (!lists.has(key)) {
          const parent = level > 0 ? trail[level - 1]![1] : null;
          lists.set(key, { key, kind: 'cat', name, parent, trail: trail.slice(0, level + 1), count: 0, first: 1 });
        }
        add(key, s);
      });
    }
    for (const [name, key] of s.tagLinks) {
      if (!lists.has(key)) lists.set(key, { key, kind: 'tag', name, parent: null, trail: [], count: 0, first: 1 });
      add(key, s);
    }
    const archive = rules.archive(s.date);
    if (archive) {
      const pos = i + 1;
      for (const [key, kind, name] of [
        [listKey.year(archive.year), 'year', archive.year],
        [listKey.month(archive.year, archive.month), 'month', `${archive.year}/${archive.month}`],
      ] as const) {
        const row = lists.get(key);
        if (row) row.count++;
        else lists.set(key, { key, kind, name, parent: null, trail: [], count: 1, first: pos });
      }
    }
  });
  for (const [key, list] of members) {
    const row = lists.get(key);
    if (row && key !== HOME) row.count = list.length;
  }
  return { members, lists };
}

const listRowValue = (r: ListRow) => JSON.stringify([r.kind, r.name, r.parent, r.trail, r.count, r.first]);

const UPSERT_ENTRY =
  'INSERT INTO entries (list, pos, slug, summary) VALUES (?, ?, ?, ?) ON CONFLICT (list, pos) DO UPDATE SET slug = excluded.slug, summary = excluded.summary';
const DELETE_ENTRIES_FROM = 'DELETE FROM entries WHERE list = ? AND pos >= ?';
const UPSERT_LIST =
  'INSERT INTO lists (key, kind, name, parent, trail, count, first) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, name = excluded.name, parent = excluded.parent, ' +
  'trail = excluded.trail, count = excluded.count, first = excluded.first';
const DELETE_LIST = 'DELETE FROM lists WHERE key = ?';

/** The statements that turn the derived rows of `before` into those of `after`. */
function diffDerived(before: Derived, after: Derived): Statement[] {
  const out: Statement[] = [];
  const keys = new Set([...before.members.keys(), ...after.members.keys()]);
  for (const key of [...keys].sort()) {
    const old = before.members.get(key) ?? [];
    const now = after.members.get(key) ?? [];
    for (let i = 0; i < now.length; i++) {
      const a = old[i];
      const b = now[i]!;
      if (a && a.slug === b.slug && a.summary === b.summary) continue;
      out.push({ sql: UPSERT_ENTRY, params: [key, i + 1, b.slug, b.summary] });
    }
    if (old.length > now.length) out.push({ sql: DELETE_ENTRIES_FROM, params: [key, now.length + 1] });
  }
  const listKeys = new Set([...before.lists.keys(), ...after.lists.keys()]);
  for (const key of [...listKeys].sort()) {
    const old = before.lists.get(key);
    const now = after.lists.get(key);
    if (!now) {
      out.push({ sql: DELETE_LIST, params: [key] });
      continue;
    }
    if (old && listRowValue(old) === listRowValue(now)) continue;
    out.push({ sql: UPSERT_LIST, params: [now.key, now.kind, now.name, now.parent, JSON.stringify(now.trail), now.count, now.first] });
  }
  return out;
}

const navLink = (s: State | undefined): NavLink | null => (s ? { slug: s.slug, title: s.title, path: s.path } : null);

function sameRow(a: ArticleRow, b: ArticleRow): boolean {
  return (
    a.path === b.path && a.abbrlink === b.abbrlink && a.title === b.title && a.date === b.date &&
    a.summary === b.summary && a.contentHash === b.contentHash && a.valueHash === b.valueHash &&
    a.changedAt === b.changedAt && JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}

export function planUpload(posts: PostRecord[], previous: PreviousState, options: PlanOptions): UploadPlan {
  const { rules, now } = options;
  const errors: string[] = [];
  const inFolder = new Map<string, PostRecord>();
  for (const p of posts) inFolder.set(p.slug, p);

  // Articles already indexed but not in this folder stay (and stay listed) unless --prune.
  const kept: ArticleRow[] = [];
  const deleted: string[] = [];
  for (const [slug, row] of previous.rows) {
    if (inFolder.has(slug)) continue;
    if (options.prune) deleted.push(slug);
    else kept.push(row);
  }

  // What earlier uploads assigned is kept (URLs stay stable); articles kept without their file
  // keep theirs as if written in their front matter.
  const existing = new Map<string, { abbrlink: string; title: string }>();
  for (const [slug, row] of previous.rows) if (inFolder.has(slug)) existing.set(slug, { abbrlink: row.abbrlink, title: row.title });
  const assigned = rules.abbrlinks(
    [
      ...posts.map((p) => ({ slug: p.slug, title: p.title, date: p.date, abbrlink: p.abbrlink })),
      ...kept.map((r) => ({ slug: r.slug, title: r.title, date: r.date, abbrlink: r.abbrlink })),
    ],
    existing,
  );
  errors.push(...assigned.errors);

  const states = new Map<string, State>();
  const byPath = new Map<string, string>();
  const claimPath = (path: string, slug: string, file: string) => {
    const other = byPath.get(path);
    if (other !== undefined) errors.push(`${file}: its URL ${path} is also the URL of ${other}; change its permalink field (abbrlink, title or date)`);
    else byPath.set(path, slug);
  };
  for (const row of kept) {
    const s = stateFromRow(row, rules);
    states.set(row.slug, s);
    claimPath(s.path, s.slug, row.slug);
  }
  for (const post of posts) {
    const abbrlink = assigned.links.get(post.slug) ?? '';
    let path: string;
    try {
      path = rules.permalink({ slug: post.slug, title: post.title, date: post.date, abbrlink, categories: post.categories });
    } catch (error) {
      // e.g. an undated post under a date-based permalink
      errors.push(`${post.file}: ${(error as Error).message}`);
      continue;
    }
    const trails = rules.categoryTrails(post.categories);
    const item: ListItem = {
      slug: post.slug,
      path,
      title: post.title,
      date: post.date,
      author: post.author,
      categories: trails,
      thumbnail: post.thumbnail,
    };
    const tagLinks = post.tags.map((t) => {
      const tag = rules.tagList(t);
      return [tag.name, tag.key] as TrailStep;
    });
    const s: State = {
      slug: post.slug,
      path,
      abbrlink,
      title: post.title,
      date: post.date,
      trails,
      tags: post.tags,
      tagLinks,
      summary: JSON.stringify(item),
    };
    states.set(post.slug, s);
    claimPath(path, post.slug, post.file);
  }

  const before = derive(
    previous.dirty ? [] : [...previous.rows.values()].map((r) => stateFromRow(r, rules)),
    rules,
  );
  const after = derive(states.values(), rules);
  const home = after.members.get(HOME) ?? [];

  const added: string[] = [];
  const updated: string[] = [];
  const relinked: string[] = [];
  const unchanged: string[] = [];
  const articleWrites: ArticleWrite[] = [];
  const finalRows: ArticleRow[] = [];
  home.forEach((s, i) => {
    const nav = { newer: navLink(home[i + 1]), older: navLink(home[i - 1]) };
    const old = previous.rows.get(s.slug);
    const post = inFolder.get(s.slug);
    const contentHashNow = post ? post.contentHash : old!.contentHash;
    const links = { categories: s.trails, tags: s.tagLinks };
    const valueHash = contentHash([contentHashNow, s.path, s.abbrlink, nav, links]);
    const row: ArticleRow = {
      slug: s.slug,
      path: s.path,
      abbrlink: s.abbrlink,
      title: s.title,
      date: s.date,
      tags: s.tags,
      summary: s.summary,
      contentHash: contentHashNow,
      valueHash,
      changedAt: old && old.valueHash === valueHash ? old.changedAt : now,
    };
    finalRows.push(row);
    if (post) {
      if (!old) added.push(s.slug);
      else if (old.contentHash !== post.contentHash) updated.push(s.slug);
      else if (old.valueHash !== valueHash) relinked.push(s.slug);
      else unchanged.push(s.slug);
    } else if (old && old.valueHash !== valueHash) relinked.push(s.slug);
    if (old && sameRow(old, row)) return;
    articleWrites.push({
      row,
      nav,
      links,
      source: post ? { kind: 'file', post } : { kind: 'stored' },
      writeLink: !old || old.path !== s.path,
      isNew: !old,
      contentChanged: !old || old.contentHash !== contentHashNow,
    });
  });

  const derived: Statement[] = [];
  if (previous.dirty) derived.push({ sql: 'DELETE FROM entries', params: [] }, { sql: 'DELETE FROM lists', params: [] });
  // A loop, not push(...spread): 100k posts make ~460k statements, more arguments than a call takes.
  for (const statement of diffDerived(before, after)) derived.push(statement);

  const kvDeletes: string[] = [];
  const leaving = [...deleted.map((slug) => ({ slug, path: previous.rows.get(slug)!.path })), ...[...previous.gone].map(([slug, path]) => ({ slug, path }))];
  for (const { slug, path } of leaving) {
    // A slug that is back (a post restored before its deletion finished) keeps its value.
    if (!states.has(slug)) kvDeletes.push(kvKeys.article(slug));
    // A path another article now has keeps its (rewritten) link key.
    if (!byPath.has(path)) kvDeletes.push(kvKeys.link(path));
  }

  // The index version: everything D1 shows (every row and the published settings).
  const version = contentHash([LAYOUT_VERSION, options.site, finalRows.map((r) => [r.slug, r.valueHash, r.summary, r.tags])]);
  const versionChanged = version !== previous.version || previous.dirty || previous.gone.size > 0;
  const changedAt = versionChanged ? now : (previous.changedAt ?? now);
  const meta: Statement[] = [];
  if (versionChanged) {
    const set = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
    meta.push(
      { sql: set, params: ['version', version] },
      { sql: set, params: ['changed_at', changedAt] },
      { sql: set, params: ['site', JSON.stringify(options.site)] },
    );
  }
  const siteChanged = JSON.stringify(previous.site) !== JSON.stringify(options.site);
  const siteChangedAt = siteChanged || !previous.siteChangedAt ? now : previous.siteChangedAt;
  const indexRecord: IndexRecord | null =
    versionChanged || previous.kvVersion !== version
      ? { v: LAYOUT_VERSION, version, changedAt, site: options.site, siteChangedAt }
      : null;

  return {
    added,
    updated,
    relinked,
    unchanged,
    deleted,
    articleWrites,
    derived,
    rowDeletes: deleted.map((slug) => ({ slug, path: previous.rows.get(slug)!.path })),
    kvDeletes,
    meta,
    indexRecord,
    rebuild: previous.dirty,
    version,
    errors,
  };
}
