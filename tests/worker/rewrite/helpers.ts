/** Shared scaffolding for the body-rewrite tests: options, route decoding, fixtures, DOM checks. */
import { DOMParser } from 'linkedom/worker';
import { imageRoutePath } from '../../../src/images/image-url';
import type { RewriteOptions } from '../../../src/rewrite/rewrite-html';

export const PROXY = 'https://cors.zfour.workers.dev/?';
export const PROXY_HOST = 'cors.zfour.workers.dev';
export const TEST_KEY = 'rewrite-test-key';

/** The real route builder with a test key: `/img/<sig>/<base64url(url)>`. */
export const route = (url: string): string => imageRoutePath(url, TEST_KEY, 'http://localhost:8787');

export function options(overrides: Partial<RewriteOptions> = {}): RewriteOptions {
  return {
    proxyPrefixes: [PROXY],
    routeAllImages: true,
    iframeAllowlist: [],
    imageRoute: route,
    ...overrides,
  };
}

/** The original URL inside one of our route paths, or null when `path` is not one. */
export function routedUrl(path: string | null | undefined): string | null {
  const m = /^\/img\/[A-Za-z0-9_-]+\/([A-Za-z0-9_-]+)$/.exec(path ?? '');
  if (!m?.[1]) return null;
  const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

// ---------------------------------------------------------------------------------------------
// Fixtures (no fs in workerd: Vite inlines them at build time)

// @ts-ignore -- Vite's import.meta.glob; the project does not load vite/client types.
const RAW_FIXTURES = import.meta.glob('../../fixtures/*.md', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

export interface Fixture {
  name: string;
  frontMatter: Record<string, string>;
  body: string;
}

/** Minimal front matter split: the body starts after the second `---` line. */
function parseFixture(name: string, text: string): Fixture {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() === '---');
  const second = lines.findIndex((l, i) => i > first && l.trim() === '---');
  const frontMatter: Record<string, string> = {};
  for (const line of lines.slice(first + 1, second)) {
    const m = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (m?.[1]) frontMatter[m[1]] = (m[2] ?? '').replace(/^'(.*)'$/, '$1');
  }
  return { name, frontMatter, body: lines.slice(second + 1).join('\n') };
}

export const FIXTURES: Fixture[] = Object.entries(RAW_FIXTURES)
  .map(([path, text]) => parseFixture(path.replace(/^.*\//, ''), text))
  .sort((a, b) => a.name.localeCompare(b.name));

// ---------------------------------------------------------------------------------------------
// DOM inspection of rewritten output

export interface DomNode {
  nodeType: number;
  nodeName: string;
  parentNode: DomNode | null;
  childNodes: DomNode[];
  textContent: string | null;
  attributes?: ArrayLike<{ name: string; value: string }>;
  remove(): void;
  getAttribute?(name: string): string | null;
}

const parser = new DOMParser();

/** Parses a fragment the way the rewrite does; returns the top-level nodes' parent. */
export function parseFragment(html: string): DomNode {
  return parser.parseFromString(html, 'text/html') as unknown as DomNode;
}

export interface ElementInfo {
  tag: string;
  attrs: [string, string][];
  node: DomNode;
}

/** Every element of a fragment, depth first. */
export function elements(html: string): ElementInfo[] {
  const out: ElementInfo[] = [];
  const visit = (n: DomNode): void => {
    for (const c of n.childNodes) {
      if (c.nodeType === 1) {
        const list = c.attributes ?? [];
        const attrs: [string, string][] = [];
        for (let i = 0; i < list.length; i++) attrs.push([list[i]!.name, list[i]!.value]);
        out.push({ tag: c.nodeName.toLowerCase(), attrs, node: c });
        visit(c);
      }
    }
  };
  visit(parseFragment(html));
  return out;
}

export const attrOf = (e: ElementInfo, name: string): string | undefined => e.attrs.find(([n]) => n === name)?.[1];

/** What the brief means by "normalise before checking the scheme": no ASCII whitespace/controls. */
export function stripForSchemeCheck(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
}

/** Everything that could execute: returns a list of problems (empty when clean). */
export function executableProblems(html: string, iframeAllowed = false): string[] {
  const problems: string[] = [];
  for (const e of elements(html)) {
    if (['script', 'object', 'embed', 'base', 'meta', 'link', 'form', 'style', 'svg', 'math', 'frame', 'frameset', 'applet', 'noscript', 'template', 'input', 'button', 'textarea', 'select'].includes(e.tag)) {
      problems.push(`<${e.tag}> element`);
    }
    if (e.tag === 'iframe' && !iframeAllowed) problems.push('<iframe> element');
    for (const [name, value] of e.attrs) {
      if (/^on/i.test(name)) problems.push(`${e.tag}[${name}] handler`);
      const v = stripForSchemeCheck(value);
      if (/^(?:javascript|vbscript|livescript):/.test(v)) problems.push(`${e.tag}[${name}]=${value}`);
      if (name.toLowerCase() === 'style' && /expression\(|javascript:|vbscript:|url\((?!"\/img\/|"data:image\/)/.test(v)) {
        problems.push(`${e.tag}[style]=${value}`);
      }
      if (name.toLowerCase() === 'href' && /^data:/.test(v)) problems.push(`${e.tag}[href]=${value}`);
    }
  }
  return problems;
}

/** Attributes (of any element) that still mention a proxy host. */
export function proxyAttributes(html: string, host = PROXY_HOST): string[] {
  const found: string[] = [];
  for (const e of elements(html)) {
    for (const [name, value] of e.attrs) if (value.toLowerCase().includes(host)) found.push(`${e.tag}[${name}]=${value}`);
  }
  return found;
}

/** Whitespace collapsed (ASCII only: U+00A0 must survive as itself). */
export const collapse = (s: string): string => s.replace(/[ \t\n\r\f]+/g, ' ').trim();

/** Concatenated text nodes of a fragment (comments excluded), optionally skipping some elements. */
export function textOf(html: string, skip: ReadonlySet<string> = new Set()): string {
  const parts: string[] = [];
  const visit = (n: DomNode): void => {
    for (const c of n.childNodes) {
      if (c.nodeType === 3) parts.push(c.textContent ?? '');
      else if (c.nodeType === 1 && !skip.has(c.nodeName.toLowerCase())) visit(c);
    }
  };
  visit(parseFragment(html));
  return parts.join('');
}
