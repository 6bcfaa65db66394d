/** Display helpers shared by views and feeds. */

/** A reader-friendly date in the site's language and zone, e.g. 2021年11月13日 14:08. */
export function displayDate(iso: string, lang: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

/**
 * The href of a decoded root-relative path (a canonical article path): every segment
 * percent-encoded, so `?`, `#`, `%` and spaces in Hexo file names survive as path characters.
 */
export function pathHref(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** JSON for a <script type="application/ld+json">: `<` escaped so no `</script>` can close it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
