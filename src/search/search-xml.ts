/**
 * `/search.xml` in hexo-generator-search's format, for themes that download it and search in the
 * browser (the real site: `search: { path: search.xml, field: post, format: html, limit: 10000 }`).
 * Element for element, the plugin's templates/search.xml for `field: post`:
 *
 *   <?xml version="1.0" encoding="utf-8"?>
 *   <search>
 *     <entry>
 *       <title>…</title>                      escaped
 *       <link href="…"/>                      the URL, escaped
 *       <url>…</url>
 *       <content type="html"><![CDATA[…]]></content>   controls removed, as its noControlChars
 *       <categories><category> … </category></categories>   only when there are some
 *       <tags><tag> … </tag></tags>                          only when there are some
 *     </entry>
 *   </search>
 *
 * Posts newest first (the plugin sorts by `-date`), at most `limit` of them. The output is always
 * well-formed XML 1.0: characters XML forbids (C0 controls but tab/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF) are removed everywhere, and a `]]>` inside the content is split across two CDATA
 * sections.
 */

export interface SearchXmlEntry {
  title: string;
  /** Absolute or root-relative URL, already percent-encoded (e.g. `/articles/${encodeURIComponent(slug)}`). */
  url: string;
  /** HTML (format: html). The stored search text escaped as HTML is the cheap choice. */
  content: string;
  /** ISO 8601 or null (sorted last). */
  date: string | null;
  categories: readonly string[];
  tags: readonly string[];
}

export interface SearchXmlOptions {
  /** Most posts listed (default 10000, like the real site's config). */
  limit?: number;
}

export const DEFAULT_SEARCH_XML_LIMIT = 10_000;

// Not allowed in XML 1.0 (https://www.w3.org/TR/xml/#charsets): C0 controls other than tab, LF,
// CR; lone surrogates; U+FFFE and U+FFFF.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// hexo-generator-search's noControlChars filter: /[\x00-\x1F\x7F]/g on the content.
const CONTENT_CONTROLS = /[\u0000-\u001f\u007f]/g;

function xmlText(s: string): string {
  return s
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(XML_FORBIDDEN, '').replace(CONTENT_CONTROLS, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** Newest first; undated last; equal dates keep their input order. */
function byDateDesc(a: SearchXmlEntry, b: SearchXmlEntry): number {
  const ta = a.date === null ? Number.NEGATIVE_INFINITY : Date.parse(a.date);
  const tb = b.date === null ? Number.NEGATIVE_INFINITY : Date.parse(b.date);
  const na = Number.isNaN(ta) ? Number.NEGATIVE_INFINITY : ta;
  const nb = Number.isNaN(tb) ? Number.NEGATIVE_INFINITY : tb;
  return na === nb ? 0 : nb > na ? 1 : -1;
}

/** The document's start and end, for writing it in parts (entries between them, newest first). */
export const SEARCH_XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<search>\n';
export const SEARCH_XML_TAIL = '</search>\n';

/** One `<entry>`. */
export function searchXmlEntry(e: SearchXmlEntry): string {
  const url = xmlText(e.url);
  const parts = [
    `  <entry>\n    <title>${xmlText(e.title)}</title>\n    <link href="${url}"/>\n    <url>${url}</url>\n` +
      `    <content type="html">${cdata(e.content)}</content>\n`,
  ];
  if (e.categories.length > 0) {
    parts.push(`    <categories>\n${e.categories.map((c) => `      <category> ${xmlText(c)} </category>\n`).join('')}    </categories>\n`);
  }
  if (e.tags.length > 0) {
    parts.push(`    <tags>\n${e.tags.map((t) => `      <tag> ${xmlText(t)} </tag>\n`).join('')}    </tags>\n`);
  }
  parts.push('  </entry>\n');
  return parts.join('');
}

export function searchXml(entries: readonly SearchXmlEntry[], options: SearchXmlOptions = {}): string {
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_SEARCH_XML_LIMIT));
  const chosen = [...entries].sort(byDateDesc).slice(0, limit);
  return `${SEARCH_XML_HEAD}${chosen.map(searchXmlEntry).join('')}${SEARCH_XML_TAIL}`;
}
