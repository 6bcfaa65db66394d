/** Reads and validates every post of a folder before anything is written. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ParseOptions, PostError, parsePost, slugFromFileName } from '../content/front-matter.js';
import { KV_MAX_VALUE_BYTES, type StoredArticle } from '../store/kv-layout.js';
import { toStoredArticle } from '../store/records.js';

export interface LoadedPosts {
  articles: StoredArticle[];
  warnings: string[];
  errors: PostError[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function loadPosts(dir: string, options: ParseOptions = {}): Promise<LoadedPosts> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isFile() && /\.md$/i.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch (error) {
    throw new PostError(dir, null, `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const articles: StoredArticle[] = [];
  const warnings: string[] = [];
  const errors: PostError[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const bytes = await readFile(file);
      let source: string;
      try {
        source = utf8.decode(bytes);
      } catch {
        throw new PostError(file, null, 'not valid UTF-8');
      }
      const slug = slugFromFileName(name);
      const other = seen.get(slug.toLowerCase());
      if (other) throw new PostError(file, null, `same slug as ${other} (slugs differ only in case)`);
      seen.set(slug.toLowerCase(), name);
      const { article, warnings: w } = parsePost(name, source, options);
      const stored = toStoredArticle(article);
      const size = Buffer.byteLength(JSON.stringify(stored));
      if (size > KV_MAX_VALUE_BYTES) {
        throw new PostError(
          file,
          null,
          `too large: ${(size / 1048576).toFixed(1)} MiB stored, over Workers KV's 25 MiB value limit`,
        );
      }
      for (const message of w) warnings.push(`${file}: warning: ${message}`);
      articles.push(stored);
    } catch (error) {
      if (error instanceof PostError) {
        // parsePost names the bare file; report the path the user gave.
        errors.push(error.file === file ? error : new PostError(file, error.line, error.reason));
      } else throw error;
    }
  }
  return { articles, warnings, errors };
}
