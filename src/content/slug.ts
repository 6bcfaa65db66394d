/**
 * Names and identity of posts. A post's slug is its path under the posts root without `.md`
 * (`新媒体/ZAKER/channel/标题`), which is what Hexo uses as a nested post's slug
 * (lib/plugins/processor/post.ts: `parseFilename(new_post_name = ':title.md', path).title`).
 */

/**
 * The slug of a post at `relPath` (`/`-separated, relative to the posts root): the path without
 * its `.md` extension, NFC-normalised so that a name saved decomposed (macOS) and one saved
 * composed are the same post. Does not validate: call `pathProblem` first.
 */
export function slugFromPath(relPath: string): string {
  return relPath.replace(/\.md$/i, '').normalize('NFC');
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Bidirectional formatting characters (Unicode TR9 §2): they make a name display differently
 * from what it is (CVE-2021-42574, "Trojan Source").
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// C0, DEL and C1 controls.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `relPath` (a post path under the posts root, `/`-separated) cannot name a post, or null:
 * empty, not well-formed Unicode (a lone surrogate), a backslash (a separator on Windows, so the
 * same tree would give other slugs there), a C0/C1 control or bidi control character, an empty,
 * `.` or `..` segment, or a file named just `.md`.
 */
export function pathProblem(relPath: string): string | null {
  if (relPath.length === 0) return 'is empty';
  if (!relPath.isWellFormed()) return 'is not well-formed Unicode (it contains a lone surrogate)';
  if (relPath.includes('\\')) return 'contains a backslash';
  const control = CONTROLS.exec(relPath);
  if (control) return `contains the control character ${hex(control[0].codePointAt(0)!)}`;
  const bidi = BIDI_CONTROLS.exec(relPath);
  if (bidi) return `contains the bidirectional control character ${hex(bidi[0].codePointAt(0)!)}`;
  const segments = relPath.split('/');
  for (const segment of segments) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" path segment`;
  }
  if (/^\.md$/i.test(segments[segments.length - 1]!)) return 'has a file name that is only ".md"';
  return null;
}

/**
 * Bytes of `s` in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD it is encoded as),
 * without encoding it: Workers KV keys are limited to 512 bytes.
 */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Case-insensitive, normalisation-insensitive identity: NFC, then full case folding approximated
 * by upper- then lower-casing (so `ß`, `SS` and `ss` meet, as do `ς`, `σ` and `Σ`).
 */
function foldKey(slug: string): string {
  return slug.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * Groups of distinct slugs that differ only in case or Unicode normalisation: on a
 * case-insensitive or normalising file system (macOS, Windows) or in a case-insensitive URL
 * router they are the same post. Each group is sorted (UTF-16 code unit order) and the groups
 * are sorted by their first slug; slugs without a twin are left out.
 */
export function caseFoldCollisions(slugs: Iterable<string>): string[][] {
  const groups = new Map<string, Set<string>>();
  for (const slug of slugs) {
    const key = foldKey(slug);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = new Set()));
    group.add(slug);
  }
  const out: string[][] = [];
  for (const group of groups.values()) if (group.size > 1) out.push([...group].sort(compareCodeUnits));
  return out.sort((a, b) => compareCodeUnits(a[0]!, b[0]!));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
