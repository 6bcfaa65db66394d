/**
 * sitemaps.org 0.9 documents: a `<urlset>` (at most 50,000 URLs, one KV sitemap shard) and the
 * `<sitemapindex>` that links the shards when there is more than one.
 */
import { XML_DECLARATION, xmlElement } from './xml-text.js';

export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=utf-8';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

export interface SitemapUrl {
  /** Absolute, percent-encoded URL. */
  loc: string;
  /** W3C Datetime (ISO 8601), or null when unknown. */
  lastmod: string | null;
}

/** `/sitemap-N.xml`, 1-based: the URL of shard N-1. */
export const sitemapShardPath = (n: number) => `/sitemap-${n}.xml`;

export function urlsetXml(urls: SitemapUrl[]): string {
  const out: string[] = [XML_DECLARATION, `<urlset xmlns="${NS}">\n`];
  for (const u of urls) {
    out.push(`  <url>${xmlElement('loc', u.loc)}${u.lastmod ? xmlElement('lastmod', u.lastmod) : ''}</url>\n`);
  }
  out.push('</urlset>\n');
  return out.join('');
}

export function sitemapIndexXml(locs: string[]): string {
  const out: string[] = [XML_DECLARATION, `<sitemapindex xmlns="${NS}">\n`];
  for (const loc of locs) out.push(`  <sitemap>${xmlElement('loc', loc)}</sitemap>\n`);
  out.push('</sitemapindex>\n');
  return out.join('');
}
