/**
 * Checks of a served page's markup and headers that need no browser, judged with parse5 (the
 * WHATWG parser, an oracle independent of the Worker's linkedom and hono/jsx):
 *
 * - structureProblems(html, want): `<html lang>`, exactly one h1 and it is the first heading, one
 *   main landmark, a title and a meta description, the canonical link (the page's own URL, or none
 *   on error pages, which are `noindex`), the article element and its `lang`, and nothing the CSP
 *   would block or that could run (no inline `<style>`, no script but JSON-LD, no `on*` handler).
 * - securityHeaderProblems(headers): the HTML pages' CSP (issue 14: `connect-src 'self'`, media
 *   from our origin and https, no script at all) and the companion headers.
 *
 * Each returns a list of problems (empty = fine), phrased for the e2e log.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export interface PageExpectations {
  /** The `<html lang>` wanted (the site's language). */
  siteLang: string;
  /** The canonical URL wanted (absolute), or null: no canonical link at all (error pages). */
  canonical: string | null;
  /** `<meta name="robots" content="noindex">` wanted (error and search pages) or forbidden. */
  noindex: boolean;
  /**
   * Article pages have exactly one `<article>`: `{ lang }` is the `lang` wanted on it (null: none,
   * the post is in the site's language), `true` leaves its lang unchecked. `false`: not an article
   * page, so no `<article>` at all.
   */
  article: false | true | { lang: string | null };
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function* elements(node: Node): Generator<Element> {
  if (isElement(node)) yield node;
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) yield* elements(child);
  // <template> contents are a separate fragment; the site has none, but never skip them silently.
  if (isElement(node) && node.tagName === 'template' && 'content' in node) yield* elements(node.content as Node);
}

function hasAncestor(el: Element, tag: string): boolean {
  for (let p = el.parentNode; p && 'tagName' in p; p = p.parentNode) if (p.tagName === tag) return true;
  return false;
}

const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return ('childNodes' in node ? node.childNodes : []).map(textOf).join('');
}

export function structureProblems(html: string, want: PageExpectations): string[] {
  const problems: string[] = [];
  const doc = parse(html);
  const all = [...elements(doc)];
  const named = (tag: string) => all.filter((el) => el.tagName === tag);

  const htmlEl = named('html')[0];
  const lang = htmlEl ? attr(htmlEl, 'lang') : undefined;
  if (lang !== want.siteLang) problems.push(`<html lang="${lang ?? ''}">, wanted "${want.siteLang}"`);

  const headings = all.filter((el) => /^h[1-6]$/.test(el.tagName));
  const h1s = headings.filter((el) => el.tagName === 'h1');
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements, wanted exactly 1`);
  if (headings[0] && headings[0].tagName !== 'h1') problems.push(`the first heading is <${headings[0].tagName}>, not the h1`);
  for (const h of h1s) if (textOf(h).trim() === '') problems.push('an empty h1');

  if (named('main').length !== 1) problems.push(`${named('main').length} <main> elements, wanted 1`);
  const title = named('title')[0];
  if (!title || textOf(title).trim() === '') problems.push('no <title> text');

  const metas = named('meta');
  const description = metas.find((m) => attr(m, 'name') === 'description');
  if (!description || (attr(description, 'content') ?? '').trim() === '') problems.push('no meta description');
  const robots = metas.find((m) => attr(m, 'name') === 'robots');
  const noindex = robots !== undefined && /\bnoindex\b/i.test(attr(robots, 'content') ?? '');
  if (noindex !== want.noindex) problems.push(want.noindex ? 'no <meta name="robots" content="noindex">' : 'marked noindex');

  const canonicals = named('link').filter((l) => (attr(l, 'rel') ?? '').split(/\s+/).includes('canonical'));
  if (want.canonical === null) {
    if (canonicals.length > 0) problems.push(`a canonical link on an error page: ${canonicals.map((l) => attr(l, 'href')).join(', ')}`);
  } else if (canonicals.length !== 1) {
    problems.push(`${canonicals.length} canonical links, wanted 1 (${want.canonical})`);
  } else if (attr(canonicals[0]!, 'href') !== want.canonical) {
    problems.push(`canonical ${attr(canonicals[0]!, 'href')}, wanted ${want.canonical}`);
  }

  // The page's own article; an <article> the post itself contains (kept by the rewrite) nests in it.
  const articles = named('article').filter((el) => !hasAncestor(el, 'article'));
  if (want.article === false) {
    if (articles.length > 0) problems.push(`${articles.length} <article> element(s) on a page that is not an article`);
  } else if (articles.length !== 1) {
    problems.push(`${articles.length} <article> elements, wanted 1`);
  } else if (want.article !== true) {
    const wanted = want.article.lang;
    const got = attr(articles[0]!, 'lang') ?? null;
    if (got !== wanted) problems.push(`<article lang="${got ?? '(none)'}">, wanted ${wanted === null ? 'no lang (the site language)' : `"${wanted}"`}`);
  }

  // What the CSP blocks (a console error at best, lost styling at worst) or what could run.
  for (const el of all) {
    if (el.tagName === 'style') problems.push('an inline <style> element (the CSP allows only the stylesheet)');
    if (el.tagName === 'script' && attr(el, 'type') !== 'application/ld+json') problems.push(`a <script${attr(el, 'src') ? ` src="${attr(el, 'src')}"` : ''}> element`);
    for (const a of el.attrs) if (/^on/i.test(a.name)) problems.push(`an event handler attribute ${a.name} on <${el.tagName}>`);
  }
  return problems;
}

/**
 * The text of the site's own frame (header and footer, and the whole main of a page without an
 * article or list: error pages), i.e. the UI strings, never article text: it must be in SITE_LANG.
 */
export function siteChromeText(html: string): string {
  const all = [...elements(parse(html))];
  // The page's own header and footer, not those a post's body carries (inside main).
  const parts = all.filter((el) => (el.tagName === 'header' || el.tagName === 'footer') && !hasAncestor(el, 'main'));
  const main = all.find((el) => el.tagName === 'main');
  const isError = all.some((el) => el.tagName === 'meta' && attr(el, 'name') === 'robots') && !all.some((el) => el.tagName === 'article' || attr(el, 'class')?.includes('post-list'));
  if (main && isError) parts.push(main);
  // The search box's placeholder and button are UI strings too.
  const attrs = all.filter((el) => el.tagName === 'input').map((el) => `${attr(el, 'placeholder') ?? ''} ${attr(el, 'aria-label') ?? ''}`);
  return [...parts.map(textOf), ...attrs].join(' ').replace(/\s+/g, ' ').trim();
}

/** The HTML pages' Content-Security-Policy as a Map of directive → sources (lower-case names). */
export function parseCsp(value: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of value.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    // CSP3 §2.2.1: a repeated directive is ignored; the first one counts.
    if (!directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Directives the HTML pages' CSP must have, with exactly these sources (frame-src is configuration). */
const REQUIRED_CSP: [string, string[]][] = [
  ['default-src', ["'none'"]],
  ['script-src', ["'none'"]],
  ['connect-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['style-src', ["'self'"]],
  ['media-src', ["'self'", 'https:']],
  ['base-uri', ["'none'"]],
  ['form-action', ["'self'"]],
];

/** `headers`: lower-case names (as Playwright's response.headers() gives them). */
export function securityHeaderProblems(headers: Record<string, string>): string[] {
  const problems: string[] = [];
  const csp = headers['content-security-policy'];
  if (!csp) return ['no Content-Security-Policy header'];
  const directives = parseCsp(csp);
  for (const [name, sources] of REQUIRED_CSP) {
    const got = directives.get(name);
    if (!got) problems.push(`CSP has no ${name}`);
    else if ([...got].sort().join(' ') !== [...sources].sort().join(' ')) problems.push(`CSP ${name} ${got.join(' ')}, wanted ${sources.join(' ')}`);
  }
  if (!directives.has('frame-ancestors')) problems.push('CSP has no frame-ancestors');
  for (const [name, sources] of directives) {
    if (sources.includes("'unsafe-eval'")) problems.push(`CSP ${name} allows 'unsafe-eval'`);
    if (sources.includes("'unsafe-inline'") && name !== 'style-src-attr') problems.push(`CSP ${name} allows 'unsafe-inline'`);
    if (sources.includes('*') || sources.includes('http:')) problems.push(`CSP ${name} allows ${sources.includes('*') ? '*' : 'http:'}`);
  }
  if (headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!headers['referrer-policy']) problems.push('no Referrer-Policy');
  return problems;
}
