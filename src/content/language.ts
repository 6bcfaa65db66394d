/**
 * Language tags and a script-based language guess. The site's language (zh-CN) covers most
 * posts; a few syndicated ones are English or Japanese, and saying so (`<html lang>`,
 * `<article lang>`) lets browsers pick fonts, hyphenation and voices (WCAG 2.1 SC 3.1.2).
 */

/**
 * Whether `s` is a well-formed BCP 47 language tag (RFC 5646), as `Intl` understands it:
 * `zh-CN`, `en`, `ja-JP`, `zh-Hans-CN`. No normalisation: `zh_CN` and ` en` are not tags.
 */
export function isLanguageTag(s: string): boolean {
  if (s.length === 0 || s.length > 64 || s.trim() !== s || s.includes('_')) return false;
  try {
    Intl.getCanonicalLocales(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * The canonical form of a language tag, accepting `_` for `-` as many Hexo configs write it
 * (`zh_CN` → `zh-CN`, `EN-us` → `en-US`); null when it is not a tag.
 */
export function canonicalLanguageTag(s: string): string | null {
  const candidate = s.trim().replace(/_/g, '-');
  if (!isLanguageTag(candidate)) return null;
  return Intl.getCanonicalLocales(candidate)[0] ?? null;
}

// Hiragana, Katakana (without U+30A0 ゠ and U+30FB ・, which Chinese text uses too), Katakana
// Phonetic Extensions, half-width Katakana.
const KANA = /[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]/u;
const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
const MARKUP = /<[^>]*>|&(?:#x?[0-9a-f]+|[a-z][a-z0-9]*);/giu;

/** Letters looked at: enough to decide, bounded for 100k posts. */
const SAMPLE = 20_000;

/**
 * A simple script-based guess at the language of a post's title and text (HTML tags and
 * entities are skipped, so a body can be passed as is):
 *   - `'en'` when the letters are Latin, allowing 1% of others (a stray π or ラーメン);
 *   - `'ja'` otherwise when kana make up at least 10% of the CJK letters (Japanese prose is
 *     mostly kana; a Chinese text naming ポケモン once is not Japanese);
 *   - `null` otherwise: the site's own language (Chinese), or a script we do not name.
 */
export function guessLanguage(text: string): 'en' | 'ja' | null {
  const plain = text.length > SAMPLE * 4 ? text.slice(0, SAMPLE * 4) : text;
  let kana = 0;
  let han = 0;
  let latin = 0;
  let other = 0;
  let seen = 0;
  for (const ch of plain.replace(MARKUP, ' ')) {
    if (ch.charCodeAt(0) < 0x80) {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) latin++;
      else continue;
    } else if (KANA.test(ch)) kana++;
    else if (HAN.test(ch)) han++;
    else if (LATIN.test(ch)) latin++;
    else if (LETTER.test(ch)) other++;
    else continue;
    if (++seen >= SAMPLE) break;
  }
  if (latin > 0 && (kana + han + other) * 100 <= latin) return 'en';
  if (kana > 0 && kana * 10 >= kana + han) return 'ja';
  return null;
}
