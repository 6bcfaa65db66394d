-- The article index (src/store/d1-layout.ts explains it). Article bodies live in Workers KV, read by
-- key; everything that is a query lives here: home and every list, the category tree with counts,
-- tags, archives, the sitemap, and the upload's own bookkeeping (this table is the manifest).

-- One row per article. `content_hash` decides whether a post changed; `value_hash` is the version of
-- the article's KV value (content, canonical path, neighbours), the one its ETag is built from;
-- `summary` (JSON, what a list item shows, categories included) and `tags` (JSON) are what the
-- lists are derived from, so an upload reads this table, not the lists, to know the index.
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL UNIQUE,
  abbrlink TEXT NOT NULL,
  title TEXT NOT NULL,
  date TEXT,
  tags TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  value_hash TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  -- Set (to the article's former path) once the article is unlisted and is being deleted: its KV
  -- value goes next, then this row. An upload interrupted in between finishes the deletion.
  gone TEXT
);

-- Every list a reader can page through: `home` (all articles), `cat:<slug path>` (a category and
-- everything beneath it), `tag:<slug>`, and the archives `year:YYYY` / `month:YYYY/MM`. Archive
-- lists hold no entries of their own: a month is a contiguous run of the home list (positions
-- `first` … `first + count - 1`), because home is ordered by date.
CREATE TABLE lists (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  parent TEXT,
  trail TEXT NOT NULL,
  count INTEGER NOT NULL,
  first INTEGER NOT NULL
) WITHOUT ROWID;

-- The members of each list by dense position, 1 = oldest, so page N of any list is one range
-- read of exactly its rows (no OFFSET scan); `summary` is what a list item shows, copied here so a
-- page reads no other table.
CREATE TABLE entries (
  list TEXT NOT NULL,
  pos INTEGER NOT NULL,
  slug TEXT NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (list, pos)
) WITHOUT ROWID;

-- `version` (the index version the KV index record repeats), `changed_at`, `site` (published site
-- settings) and `dirty` (an upload is between its first and last index write).
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
