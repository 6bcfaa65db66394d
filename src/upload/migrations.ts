/**
 * Applies the D1 schema (migrations/*.sql) before an upload, the way `wrangler d1 migrations
 * apply` does and in its own bookkeeping table (`d1_migrations`), so either tool sees what the
 * other applied. Statements are split by wrangler's own splitter (triggers and comments included).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { D1Target } from './targets.js';

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

export async function migrationFiles(dir: string): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql'));
  // Numeric prefix order, as wrangler sorts them.
  names.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || (a < b ? -1 : 1));
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(path.join(dir, name), 'utf8') })));
}

/** Applies every migration not yet recorded; returns the names applied. */
export async function applyMigrations(d1: D1Target, dir: string): Promise<string[]> {
  const { unstable_splitSqlQuery: split } = (await import('wrangler')) as unknown as { unstable_splitSqlQuery: (sql: string) => string[] };
  // Read first: an upload with nothing to apply writes nothing.
  const table = await d1.all<{ n: number }>({ sql: "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'", params: [] });
  if ((table.rows[0]?.n ?? 0) === 0) await d1.batch([{ sql: MIGRATIONS_TABLE, params: [] }]);
  const { rows } = await d1.all<{ name: string }>({ sql: 'SELECT name FROM d1_migrations', params: [] });
  const applied = new Set(rows.map((r) => r.name));
  const done: string[] = [];
  for (const file of await migrationFiles(dir)) {
    if (applied.has(file.name)) continue;
    const statements = split(file.text).map((sql) => ({ sql, params: [] }));
    // One batch: a migration is applied whole or not at all.
    await d1.batch([...statements, { sql: 'INSERT INTO d1_migrations (name) VALUES (?)', params: [file.name] }]);
    done.push(file.name);
  }
  return done;
}
