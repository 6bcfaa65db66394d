-- Search index (issue 15). It lives in the
-- same database as the article index and needs its `articles` table
-- (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, date TEXT (ISO 8601), title TEXT) for results.
-- The same statements are `SEARCH_SCHEMA` in src/search/sql.ts (a test checks they agree).
-- Why each option: src/search/README.md.

-- Title and body as tokens (src/search/tokenize.ts), split on spaces by the `ascii` tokenizer.
-- Contentless: the tokens are indexed but not stored; contentless_delete=1 (SQLite >= 3.43) lets
-- the upload delete one article's row by rowid. prefix='1': one-character CJK queries ("猫"*).
-- detail=full: positions, for phrases. rowid = unixSeconds(date) * 4194304 + articles.id.
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'ascii', content = '', contentless_delete = 1, prefix = '1', detail = full);

-- The readable body text of each article (for snippets) and its FTS rowid (to delete it).
CREATE TABLE search_text (article_id INTEGER PRIMARY KEY, fts_rowid INTEGER NOT NULL, body TEXT NOT NULL);

-- 32 KiB FTS5 index pages (default 4050 bytes): a third of the shadow-table rows written per
-- post, no measurable query cost. 65536 corrupts the index (SQLITE_CORRUPT_VTAB).
INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 32768);
