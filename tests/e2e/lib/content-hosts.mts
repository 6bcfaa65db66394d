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
  /** Non-default ports named with those hosts (`http://www.a.com:8002/…`), by scheme. */
  ports: { http: Set<number>; https: Set<number> };
}

const ATTR = /\s(src|srcset|data-[a-z0-9_-]+|poster|href|style)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const FRONT_MATTER_FIELD = /^\s*(headimg|thumbnail|cover|banner|image)\s*:\s*(.+)$/gim;
const HOST_AFTER_SLASHES = /(?:^|[^/])(https?:)?\/\/([a-z0-9_.-]+)(?::(\d+))?(?=[/?#\s"'),]|$)/gi;

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

export interface UrlHost {
  host: string;
  /** `http` or `https` (protocol-relative URLs are fetched over https). */
  scheme: 'http' | 'https';
  port: number | null;
}

/** Host names after every `//` in `value` (and in its percent-decoded forms). */
export function hostsInValue(value: string): UrlHost[] {
  const out: UrlHost[] = [];
  const once = safeDecode(value);
  for (const text of new Set([value, once, safeDecode(once)])) {
    for (const m of text.matchAll(HOST_AFTER_SLASHES)) {
      const host = (m[2] ?? '').toLowerCase().replace(/\.$/, '');
      // A host has a dot and a non-numeric last label (`//Users/…` in a broken path is not one;
      // IP literals cannot be put in a hosts file).
      if (!host.includes('.') || /^\d+$/.test(host.split('.').pop() ?? '')) continue;
      out.push({ host, scheme: m[1]?.toLowerCase() === 'http:' ? 'http' : 'https', port: m[3] ? Number(m[3]) : null });
    }
  }
  return out;
}

export function collectContentHosts(contentDir: string): ContentHosts {
  const hosts = new Set<string>();
  const ports = { http: new Set<number>(), https: new Set<number>() };
  const add = (found: UrlHost[]) => {
    for (const f of found) {
      hosts.add(f.host);
      if (f.port !== null && f.port !== (f.scheme === 'http' ? 80 : 443)) ports[f.scheme].add(f.port);
    }
  };
  const files = readdirSync(contentDir).filter((f) => f.endsWith('.md')).sort();
  for (const file of files) {
    const text = readFileSync(join(contentDir, file), 'utf8');
    const end = text.indexOf('\n---', text.indexOf('---') + 3);
    const frontMatter = end > 0 ? text.slice(0, end) : '';
    for (const m of frontMatter.matchAll(FRONT_MATTER_FIELD)) add(hostsInValue(m[2] ?? ''));
    for (const m of text.matchAll(ATTR)) add(hostsInValue(decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')));
  }
  return { hosts, files, ports };
}
