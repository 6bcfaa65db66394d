/**
 * Every host an article's images may be fetched from, read straight from the Hexo sources
 * (independently of the Worker's rewrite, which is what the e2e checks): front-matter
 * headimg/thumbnail, and every URL inside image-bearing attributes (`src`, `srcset`, `data-*`,
 * `poster`, `style` url(…)) and inside `href`s — including the originals wrapped in CORS-proxy
 * URLs (`https://cors.zfour.workers.dev/?http://…`, percent-encoded or not) and the proxy hosts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ContentHosts {
  /** Lower-case host names (no IP literals: those cannot be mapped). */
  hosts: Set<string>;
  /** Markdown files read, sorted. */
  files: string[];
}

const ATTR = /\s(src|srcset|data-[a-z0-9_-]+|poster|href|style)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const FRONT_MATTER_FIELD = /^\s*(headimg|thumbnail|cover|banner|image)\s*:\s*(.+)$/gim;
const HOST_AFTER_SLASHES = /(?:^|[^/])\/\/([a-z0-9_.-]+)(?::\d+)?(?=[/?#\s"'),]|$)/gi;

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Host names after every `//` in `value` (and in its percent-decoded forms). */
export function hostsInValue(value: string): string[] {
  const out: string[] = [];
  const once = safeDecode(value);
  for (const text of new Set([value, once, safeDecode(once)])) {
    for (const m of text.matchAll(HOST_AFTER_SLASHES)) {
      const host = (m[1] ?? '').toLowerCase().replace(/\.$/, '');
      // A host has a dot and a non-numeric last label (`//Users/…` in a broken path is not one;
      // IP literals cannot be put in a hosts file).
      if (!host.includes('.') || /^\d+$/.test(host.split('.').pop() ?? '')) continue;
      out.push(host);
    }
  }
  return out;
}

export function collectContentHosts(contentDir: string): ContentHosts {
  const hosts = new Set<string>();
  const files = readdirSync(contentDir).filter((f) => f.endsWith('.md')).sort();
  for (const file of files) {
    const text = readFileSync(join(contentDir, file), 'utf8');
    const end = text.indexOf('\n---', text.indexOf('---') + 3);
    const frontMatter = end > 0 ? text.slice(0, end) : '';
    for (const m of frontMatter.matchAll(FRONT_MATTER_FIELD)) hostsInValue(m[2] ?? '').forEach((h) => hosts.add(h));
    for (const m of text.matchAll(ATTR)) {
      const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
      hostsInValue(value).forEach((h) => hosts.add(h));
    }
  }
  return { hosts, files };
}
