/**
 * hexo-util's `slugize` (lib/slugize.ts), which Hexo uses for category and tag URL segments
 * (lib/models/category.ts, lib/models/tag.ts with `transform: filename_case`) and for
 * `:post_title` (`transform: 1`): diacritics to base letters, C0 controls removed, each run of
 * whitespace and ASCII punctuation → the separator, repeated separators collapsed, separators
 * trimmed from both ends, then optionally lower- (1) or upper-cased (2). CJK text and full-width
 * punctuation (`，`, `？`) are kept as they are.
 */
import { escapeDiacritic } from './escape-diacritic.js';

export interface SlugizeOptions {
  /** 0 or absent: keep case; 1: lower case; 2: upper case (Hexo's `filename_case`). */
  transform?: 0 | 1 | 2;
  /** Default `-` (an empty string also means `-`, as `options.separator || '-'` does). */
  separator?: string;
}

const CONTROL = /[\u0000-\u001f]/g;
// `\s` is ECMAScript white space and line terminators (U+00A0, U+3000, U+FEFF … included).
const SPECIAL = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'<>,.?/]+/g;

/** hexo-util's escapeRegExp (lib/escape_regexp.ts). */
function escapeRegExp(str: string): string {
  return str.replace(/[-[\]/{}()*+?.\\^$|]/g, '\\$&');
}

const compiled = new Map<string, { repeated: RegExp; ends: RegExp }>();

function separatorPatterns(separator: string) {
  let p = compiled.get(separator);
  if (!p) {
    const escaped = escapeRegExp(separator);
    // As in hexo-util: for a multi-character separator `{2,}` repeats only its last character.
    p = { repeated: new RegExp(`${escaped}{2,}`, 'g'), ends: new RegExp(`^${escaped}+|${escaped}+$`, 'g') };
    compiled.set(separator, p);
  }
  return p;
}

export function slugize(str: string, options: SlugizeOptions = {}): string {
  const separator = options.separator || '-';
  const { repeated, ends } = separatorPatterns(separator);
  const result = escapeDiacritic(str)
    .replace(CONTROL, '')
    .replace(SPECIAL, separator)
    .replace(repeated, separator)
    .replace(ends, '');
  if (options.transform === 1) return result.toLowerCase();
  if (options.transform === 2) return result.toUpperCase();
  return result;
}
