/**
 * Shared scaffolding for the body-rewrite tests: options, route decoding, fixtures, and HTML
 * inspection through parse5, a WHATWG-conformant parser that is independent of the rewriter
 * (which parses with linkedom/htmlparser2). parse5 reads the output the way a browser does.
 */
import { defaultTreeAdapter, html as parse5Html, parseFragment as parse5Fragment, serialize, type DefaultTreeAdapterMap } from 'parse5';
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
// @ts-ignore -- Vite's import.meta.glob
const RAW_HOSTILE = import.meta.glob('./hostile/*.html', { query: '?raw', import: 'default', eager: true }) as Record<
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

export const fixture = (prefix: string): Fixture => {
  const f = FIXTURES.find((x) => x.name.startsWith(prefix));
  if (!f) throw new Error(`no fixture ${prefix}`);
  return f;
};

/** Hostile and broken bodies written for these tests (hostile/README.md). */
export const HOSTILE: { name: string; body: string }[] = Object.entries(RAW_HOSTILE)
  .map(([path, body]) => ({ name: path.replace(/^.*\//, ''), body }))
  .sort((a, b) => a.name.localeCompare(b.name));

// ---------------------------------------------------------------------------------------------
// Parsing as a browser does (parse5), in the context the body is shown in: a <div>.

type P5 = DefaultTreeAdapterMap;
export type P5Node = P5['childNode'];
export type P5Element = P5['element'];
export type P5Parent = P5['parentNode'];

const BODY_CONTEXT = defaultTreeAdapter.createElement('div', parse5Html.NS.HTML, []);

/** The tree a browser builds for `html` inside `<div class="article-body">`. */
export function parseBody(html: string): P5['documentFragment'] {
  return parse5Fragment(BODY_CONTEXT, html, {});
}

/** parse5's serialisation of the tree a browser builds for `html`. */
export const reserialize = (html: string): string => serialize(parseBody(html));

const isElement = (n: P5Node): n is P5Element => 'tagName' in n;

function childrenOf(n: P5Parent): P5Node[] {
  if (isElement(n as P5Node) && (n as P5Element).tagName === 'template') {
    return defaultTreeAdapter.getTemplateContent(n as P5['template']).childNodes;
  }
  return n.childNodes;
}

export interface ElementInfo {
  tag: string;
  attrs: [string, string][];
  node: P5Element;
}

/** Every element of a fragment, depth first (template content included). */
export function elements(html: string): ElementInfo[] {
  const out: ElementInfo[] = [];
  const stack: P5Parent[] = [parseBody(html)];
  const visit = (parent: P5Parent): void => {
    for (const c of childrenOf(parent)) {
      if (!isElement(c)) continue;
      out.push({ tag: c.tagName, attrs: c.attrs.map((a) => [a.prefix ? `${a.prefix}:${a.name}` : a.name, a.value]), node: c });
      visit(c);
    }
  };
  visit(stack[0] as P5Parent);
  return out;
}

export const attrOf = (e: ElementInfo, name: string): string | undefined => e.attrs.find(([n]) => n === name)?.[1];

/** Ancestor element names of a parse5 node, nearest first. */
export function ancestors(node: P5Node): string[] {
  const out: string[] = [];
  for (let p = node.parentNode; p !== null && isElement(p as P5Node); p = (p as P5Element).parentNode) out.push((p as P5Element).tagName);
  return out;
}

/** What the brief means by "normalise before checking the scheme": no ASCII whitespace/controls. */
export function stripForSchemeCheck(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
}

const EXECUTABLE = new Set([
  'script', 'object', 'embed', 'base', 'meta', 'link', 'form', 'style', 'svg', 'math', 'frame', 'frameset', 'applet',
  'noscript', 'template', 'input', 'button', 'textarea', 'select',
]);

/** Everything that could execute, as a browser parses the output: a list of problems. */
export function executableProblems(html: string, iframeAllowed = false): string[] {
  const problems: string[] = [];
  for (const e of elements(html)) {
    if (EXECUTABLE.has(e.tag) || e.node.namespaceURI !== parse5Html.NS.HTML) problems.push(`<${e.tag}> element`);
    if (e.tag === 'iframe' && !iframeAllowed) problems.push('<iframe> element');
    for (const [name, value] of e.attrs) {
      if (/^on/i.test(name)) problems.push(`${e.tag}[${name}] handler`);
      const v = stripForSchemeCheck(value);
      if (/^(?:javascript|vbscript|livescript):/.test(v)) problems.push(`${e.tag}[${name}]=${value}`);
      if (name === 'style' && /expression\(|javascript:|vbscript:|url\((?!"\/img\/)/.test(v)) problems.push(`${e.tag}[style]=${value}`);
      if (name === 'href' && /^data:/.test(v)) problems.push(`${e.tag}[href]=${value}`);
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

/** Concatenated text nodes of a fragment (comments excluded), skipping some elements' content. */
export function textOf(html: string, skip: ReadonlySet<string> = new Set()): string {
  const parts: string[] = [];
  const visit = (n: P5Parent): void => {
    for (const c of childrenOf(n)) {
      if (c.nodeName === '#text') parts.push((c as P5['textNode']).value);
      else if (isElement(c) && !skip.has(c.tagName)) visit(c);
    }
  };
  visit(parseBody(html));
  return parts.join('');
}

/** Text content of an element (parse5 node). */
export function textContent(node: P5Parent): string {
  let out = '';
  for (const c of childrenOf(node)) {
    if (c.nodeName === '#text') out += (c as P5['textNode']).value;
    else if (isElement(c)) out += textContent(c);
  }
  return out;
}

/**
 * Decodes character references the way the HTML parser does in text, keeping `<` literal:
 * the content of an RCDATA element (`<textarea>`) is parsed for references only.
 */
export function decodeText(raw: string): string {
  // (A newline right after <textarea> is dropped by the parser: give it one to drop.)
  const frag = parse5Fragment(`<textarea>\n${raw.replace(/<\/textarea/gi, '&lt;/textarea')}</textarea>`);
  const ta = frag.childNodes[0] as P5Element;
  return textContent(ta);
}
