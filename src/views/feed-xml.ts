/**
 * Atom 1.0 (RFC 4287) and RSS 2.0 documents, shaped like hexo-generator-feed's atom.xml/rss2.xml.
 * Pure string building: every text and attribute goes through xmlEscape (forbidden characters
 * removed, `& < > " '` escaped); HTML content is escaped text (`type="html"`), never CDATA, so a
 * post containing `]]>` cannot end it early.
 */
import { XML_DECLARATION, xmlAttrs, xmlElement } from './xml-text.js';

export type FeedKind = 'atom' | 'rss2';

export const FEED_CONTENT_TYPES: Record<FeedKind, string> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss2: 'application/rss+xml; charset=utf-8',
};

export const FEED_PATHS: Record<FeedKind, string> = { atom: '/atom.xml', rss2: '/rss2.xml' };

export const FEED_GENERATOR = 'edge-content-proxy';

export interface FeedChannel {
  title: string;
  description: string;
  lang: string;
  /** Absolute home page URL, e.g. `https://news.example.com/`. */
  homeUrl: string;
  /** Absolute URL of this feed. */
  selfUrl: string;
  /** ISO 8601: the newest article's date (or the epoch). */
  updated: string;
}

export interface FeedEntry {
  /** Absolute article URL: link, Atom id and RSS guid. */
  url: string;
  title: string;
  /** ISO 8601. */
  published: string;
  /** ISO 8601. */
  updated: string;
  author: string | null;
  categories: string[];
  /** Plain text. */
  summary: string;
  /** Rewritten, sanitised article HTML (escaped into the document). */
  contentHtml: string;
}

export function atomXml(channel: FeedChannel, entries: FeedEntry[]): string {
  const out: string[] = [
    XML_DECLARATION,
    `<feed xmlns="http://www.w3.org/2005/Atom"${xmlAttrs({ 'xml:lang': channel.lang })}>\n`,
    `  ${xmlElement('id', channel.homeUrl)}\n`,
    `  ${xmlElement('title', channel.title)}\n`,
  ];
  if (channel.description) out.push(`  ${xmlElement('subtitle', channel.description)}\n`);
  out.push(
    `  ${xmlElement('updated', channel.updated)}\n`,
    `  <link${xmlAttrs({ href: channel.selfUrl, rel: 'self', type: 'application/atom+xml' })}/>\n`,
    `  <link${xmlAttrs({ href: channel.homeUrl, rel: 'alternate', type: 'text/html' })}/>\n`,
    `  <author>${xmlElement('name', channel.title)}</author>\n`,
    `  ${xmlElement('generator', FEED_GENERATOR)}\n`,
  );
  for (const e of entries) {
    out.push(
      '  <entry>\n',
      `    ${xmlElement('title', e.title)}\n`,
      `    <link${xmlAttrs({ href: e.url, rel: 'alternate', type: 'text/html' })}/>\n`,
      `    ${xmlElement('id', e.url)}\n`,
      `    ${xmlElement('published', e.published)}\n`,
      `    ${xmlElement('updated', e.updated)}\n`,
    );
    if (e.author) out.push(`    <author>${xmlElement('name', e.author)}</author>\n`);
    for (const c of e.categories) out.push(`    <category${xmlAttrs({ term: c })}/>\n`);
    if (e.summary) out.push(`    ${xmlElement('summary', e.summary)}\n`);
    out.push(`    ${xmlElement('content', e.contentHtml, { type: 'html' })}\n`, '  </entry>\n');
  }
  out.push('</feed>\n');
  return out.join('');
}

/** RFC 822 date (as RSS 2.0 wants), e.g. `Sat, 13 Nov 2021 06:08:05 GMT`. */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

export function rss2Xml(channel: FeedChannel, entries: FeedEntry[]): string {
  const out: string[] = [
    XML_DECLARATION,
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n',
    '  <channel>\n',
    `    ${xmlElement('title', channel.title)}\n`,
    `    ${xmlElement('link', channel.homeUrl)}\n`,
    // <description> is required; fall back to the title when the site has none.
    `    ${xmlElement('description', channel.description || channel.title)}\n`,
    `    ${xmlElement('language', channel.lang)}\n`,
    `    ${xmlElement('lastBuildDate', rfc822(channel.updated))}\n`,
    `    ${xmlElement('generator', FEED_GENERATOR)}\n`,
    `    <atom:link${xmlAttrs({ href: channel.selfUrl, rel: 'self', type: 'application/rss+xml' })}/>\n`,
  ];
  for (const e of entries) {
    out.push(
      '    <item>\n',
      `      ${xmlElement('title', e.title)}\n`,
      `      ${xmlElement('link', e.url)}\n`,
      `      ${xmlElement('guid', e.url, { isPermaLink: 'true' })}\n`,
      `      ${xmlElement('pubDate', rfc822(e.published))}\n`,
    );
    if (e.author) out.push(`      ${xmlElement('dc:creator', e.author)}\n`);
    for (const c of e.categories) out.push(`      ${xmlElement('category', c)}\n`);
    out.push(`      ${xmlElement('description', e.contentHtml)}\n`, '    </item>\n');
  }
  out.push('  </channel>\n</rss>\n');
  return out.join('');
}

