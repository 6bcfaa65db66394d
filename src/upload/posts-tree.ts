/**
 * Finds the posts of a Hexo posts folder (`source/_posts`), recursively: files and folders whose
 * name starts with `.` are skipped, as is a `_drafts` folder (drafts are not published) and editor
 * temp files (`…~`, `…%`, as Hexo's isTmpFile); only Markdown files are posts. Hexo also hides
 * other names starting with `_`; we publish those (a post named `_x.md` is still a post the site's
 * owner wrote) and say so with a warning. Symbolic links are followed only while they stay inside
 * the folder (never out of it, never in a loop).
 *
 * Names are read as bytes: a name that is not UTF-8 is reported, never turned into U+FFFD.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface PostFile {
  /** Path under the root, `/`-separated, as on disk (the caller normalises it). */
  rel: string;
  abs: string;
}

export interface TreeProblem {
  /** Path under the root as far as it could be read. */
  rel: string;
  reason: string;
}

export interface PostTree {
  files: PostFile[];
  errors: TreeProblem[];
  warnings: TreeProblem[];
}

const POST_EXTENSION = /\.(?:md|markdown)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** `caf\xe9.md` for a Latin-1 name: printable ASCII kept, every other byte escaped. */
function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

function within(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function listPostFiles(root: string): Promise<PostTree> {
  const realRoot = await realpath(root);
  const tree: PostTree = { files: [], errors: [], warnings: [] };
  // Every folder walked, by real path: a folder reached twice (a link to a folder inside, a loop)
  // is read once, so no post is listed under two paths.
  const visited = new Set<string>();

  async function walk(abs: string, rel: string): Promise<void> {
    const real = await realpath(abs);
    if (visited.has(real)) {
      tree.warnings.push({ rel: rel || '.', reason: 'folder already read through another path (a symbolic link); skipped' });
      return;
    }
    visited.add(real);
    const entries = await readdir(abs, { withFileTypes: true, encoding: 'buffer' });
    const named: { name: string; entry: (typeof entries)[number] }[] = [];
    for (const entry of entries) {
      const bytes = entry.name as unknown as Buffer;
      let name: string;
      try {
        name = utf8.decode(bytes);
      } catch {
        tree.errors.push({ rel: rel ? `${rel}/${escapeBytes(bytes)}` : escapeBytes(bytes), reason: 'file name is not valid UTF-8; rename it' });
        continue;
      }
      named.push({ name, entry });
    }
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, entry } of named) {
      if (name.startsWith('.') || name === '_drafts' || name.endsWith('~') || name.endsWith('%')) continue;
      const childAbs = path.join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      if (name.startsWith('_') && (entry.isDirectory() || POST_EXTENSION.test(name))) {
        tree.warnings.push({ rel: childRel, reason: 'Hexo would hide this name (it starts with _); it is uploaded' });
      }
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(childAbs);
        } catch {
          tree.warnings.push({ rel: childRel, reason: 'broken symbolic link; skipped' });
          continue;
        }
        if (!within(realRoot, target)) {
          tree.warnings.push({ rel: childRel, reason: 'symbolic link to outside the posts folder; not followed' });
          continue;
        }
        const info = await stat(target);
        isDir = info.isDirectory();
        isFile = info.isFile();
      }
      if (isDir) await walk(childAbs, childRel);
      else if (isFile && POST_EXTENSION.test(name)) tree.files.push({ rel: childRel, abs: childAbs });
    }
  }

  const info = await lstat(root);
  if (!info.isDirectory() && !info.isSymbolicLink()) throw new Error(`${root} is not a folder`);
  await walk(root, '');
  return tree;
}
