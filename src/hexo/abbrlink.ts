/**
 * Short permanent links as hexo-abbrlink makes them (ohroy/hexo-abbrlink lib/logic.js,
 * lib/model.js): a post without an `abbrlink` in its front matter (or with `0`/empty) gets the
 * CRC of its title's UTF-8 bytes (crc16 = CRC-16/ARC, crc32 = zlib's CRC-32), written as
 * lower-case hex without padding (`rep: hex`) or decimal (`rep: dec`); a value another post
 * already holds is bumped +1 until free (`model.check`). The real site uses `alg: crc16`,
 * `rep: hex`, `permalink: p/:abbrlink.html` (Rock-Candy-Tea/RSSHUB-PAGE _config.yml).
 */
import { crc16Arc, crc32 } from './crc.js';

export type AbbrlinkAlg = 'crc16' | 'crc32';
export type AbbrlinkRep = 'hex' | 'dec';

export interface AbbrlinkOptions {
  alg: AbbrlinkAlg;
  rep: AbbrlinkRep;
}

const encoder = new TextEncoder();

/** The CRC of the title's UTF-8 bytes: the value before any collision bump. */
export function abbrlinkBase(title: string, alg: AbbrlinkAlg): number {
  const bytes = encoder.encode(title);
  return alg === 'crc32' ? crc32(bytes) : crc16Arc(bytes);
}

/** `n` as hexo-abbrlink writes it: `n.toString(16)` for hex, plain decimal for dec. */
export function formatAbbrlink(n: number, rep: AbbrlinkRep): string {
  return rep === 'hex' ? n.toString(16) : String(n);
}

/** The abbrlink hexo-abbrlink gives a post titled `title` when nothing collides with it. */
export function computeAbbrlink(title: string, options: AbbrlinkOptions): string {
  return formatAbbrlink(abbrlinkBase(title, options.alg), options.rep);
}

/**
 * A front-matter `abbrlink` value: absent, `null`, `false`, `''`, `0` and `'0'` mean "none"
 * (hexo-abbrlink: `!abbrlink || abbrlink == '0'`); a non-negative integer or a string that can
 * be one URL path segment is the post's link; anything else is a problem.
 */
export function readAbbrlinkValue(value: unknown): { ok: true; abbrlink: string | null } | { ok: false; problem: string } {
  if (!value || value === '0') return { ok: true, abbrlink: null };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return { ok: true, abbrlink: String(value) };
    return { ok: false, problem: `abbrlink ${String(value)} is not a whole number ≥ 0 or a text` };
  }
  if (typeof value !== 'string') return { ok: false, problem: 'abbrlink must be a text or a whole number' };
  if (value.trim() !== value) return { ok: false, problem: 'abbrlink starts or ends with white space' };
  if (value === '.' || value === '..') return { ok: false, problem: `abbrlink "${value}" is a dot segment` };
  if (!value.isWellFormed()) return { ok: false, problem: 'abbrlink is not well-formed Unicode' };
  if (/[/\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(value)) {
    return { ok: false, problem: `abbrlink ${JSON.stringify(value)} contains a slash, backslash or control character` };
  }
  return { ok: true, abbrlink: value };
}

export interface AbbrlinkPost {
  slug: string;
  title: string;
  /** ISO 8601 UTC, or null when undated. */
  date: string | null;
  /** The front-matter value (from `readAbbrlinkValue`), or null. */
  abbrlink: string | null;
}

/** What a previous upload assigned: the link and the title it was computed from. */
export interface ExistingAbbrlink {
  abbrlink: string;
  title: string;
}

export interface AbbrlinkAssignment {
  /** slug → abbrlink for every post given. */
  links: Map<string, string>;
  /** Explicit front-matter values shared by several posts, each naming the posts. */
  errors: string[];
}

/** The number a canonical link (`1a2b` in hex, `6699` in dec) stands for, else null. */
function canonicalNumber(link: string, rep: AbbrlinkRep): number | null {
  if (rep === 'hex') return /^(?:0|[1-9a-f][0-9a-f]{0,12})$/.test(link) ? parseInt(link, 16) : null;
  return /^(?:0|[1-9][0-9]{0,14})$/.test(link) ? Number(link) : null;
}

/** Date ascending, undated last, then slug in UTF-16 code unit order. */
function compareForAssignment(a: AbbrlinkPost, b: AbbrlinkPost): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? -1 : 1;
  }
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

/**
 * Assigns every post its abbrlink, stable across uploads. The rule:
 *  1. A front-matter `abbrlink` is honoured as written. Two posts with the same one are an error
 *     naming both (all) of them; each still gets its value in `links`.
 *  2. Otherwise a post keeps the link `existing` holds for its slug if its title's CRC is the
 *     same as that of the title the link was made from (a retitled post is assigned afresh,
 *     as the real site, which recomputes links on every build, would), unless an explicit value
 *     or an earlier post (in the order of 3) already holds that link.
 *  3. The rest, in order of date ascending, undated last, then slug, get the CRC of the title,
 *     bumped +1 past every value already held, exactly like hexo-abbrlink's `model.check` loop
 *     (no wrap: a crc16 link can pass ffff).
 * hexo-abbrlink's own loop compares numbers with the hex strings it stored, so with `rep: hex` it
 * never detects a collision and two posts would share a URL; here a held value is always skipped.
 * O(n log n): the sort, then a "next free value" map with path compression for the bumps.
 */
export function assignAbbrlinks(
  posts: readonly AbbrlinkPost[],
  existing: ReadonlyMap<string, ExistingAbbrlink>,
  options: AbbrlinkOptions,
): AbbrlinkAssignment {
  const links = new Map<string, string>();
  const errors: string[] = [];
  const held = new Set<string>();
  // For each held canonical number, a value at or below the next free one.
  const next = new Map<number, number>();
  const hold = (link: string) => {
    held.add(link);
    const n = canonicalNumber(link, options.rep);
    if (n !== null && !next.has(n)) next.set(n, n + 1);
  };
  const firstFree = (n: number): number => {
    const path: number[] = [];
    let x = n;
    for (let to = next.get(x); to !== undefined; to = next.get(x)) {
      path.push(x);
      x = to;
    }
    for (const p of path) next.set(p, x);
    return x;
  };

  const explicit = new Map<string, string[]>();
  for (const post of posts) {
    if (post.abbrlink === null) continue;
    const slugs = explicit.get(post.abbrlink);
    if (slugs) slugs.push(post.slug);
    else explicit.set(post.abbrlink, [post.slug]);
    links.set(post.slug, post.abbrlink);
  }
  for (const [link, slugs] of explicit) {
    hold(link);
    if (slugs.length > 1) {
      const names = [...slugs].sort().map((s) => `"${s}"`);
      errors.push(`abbrlink "${link}" is set in the front matter of ${names.length} posts: ${names.join(', ')}`);
    }
  }

  const rest = posts.filter((p) => p.abbrlink === null).sort(compareForAssignment);
  const fresh: AbbrlinkPost[] = [];
  for (const post of rest) {
    const before = existing.get(post.slug);
    if (
      before &&
      !held.has(before.abbrlink) &&
      abbrlinkBase(before.title, options.alg) === abbrlinkBase(post.title, options.alg)
    ) {
      hold(before.abbrlink);
      links.set(post.slug, before.abbrlink);
    } else fresh.push(post);
  }
  for (const post of fresh) {
    let n = firstFree(abbrlinkBase(post.title, options.alg));
    // A non-canonical held string never equals a formatted number, so only numbers can clash.
    while (held.has(formatAbbrlink(n, options.rep))) n = firstFree(n + 1);
    const link = formatAbbrlink(n, options.rep);
    hold(link);
    links.set(post.slug, link);
  }
  return { links, errors };
}
