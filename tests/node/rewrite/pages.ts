/**
 * Bodies and pages for the Node-side checks of the rewrite (Nu checker, Chromium, axe): the 61
 * corpus posts, the hostile/broken bodies of tests/worker/rewrite/hostile/, generated misnesting,
 * each rewritten with the production code and wrapped in a page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { decodeCharacterReferences } from './decode';
import { imageRoutePath } from '../../../src/images/image-url';
import { ARTICLE_BODY_CSS, rewriteBody, type RewriteOptions } from '../../../src/rewrite/rewrite-html';
import { projectRoot } from '../../../src/upload/project';
import { SITE_CSS_BASE } from '../../../src/views/site-css';

export { decodeCharacterReferences };

export const OPTIONS: RewriteOptions = {
  proxyPrefixes: ['https://cors.zfour.workers.dev/?'],
  routeAllImages: true,
  iframeAllowlist: [],
  imageRoute: (url) => imageRoutePath(url, 'node-rewrite-test-key', 'http://localhost:8787'),
};

export interface Body {
  name: string;
  /** The source body. */
  source: string;
  /** The rewritten body. */
  html: string;
}

function bodyOf(file: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const first = lines.findIndex((l) => l.trim() === '---');
  const second = lines.findIndex((l, i) => i > first && l.trim() === '---');
  return lines.slice(second + 1).join('\n');
}

const rewrite = (name: string, source: string): Body => ({ name, source, html: rewriteBody(source, OPTIONS).html });

const fixturesDir = path.join(projectRoot, 'tests', 'fixtures');
const hostileDir = path.join(projectRoot, 'tests', 'worker', 'rewrite', 'hostile');

export const CORPUS: Body[] = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => rewrite(f, bodyOf(path.join(fixturesDir, f))));

export const HOSTILE: Body[] = readdirSync(hostileDir)
  .filter((f) => f.endsWith('.html'))
  .sort()
  .map((f) => rewrite(`hostile/${f}`, readFileSync(path.join(hostileDir, f), 'utf8')));

export const corpusPost = (prefix: string): Body => {
  const b = CORPUS.find((x) => x.name.startsWith(prefix));
  if (!b) throw new Error(`no corpus post ${prefix}`);
  return b;
};

// Generated misnesting (fixed seed: the same bodies every run).
const TAGS = [
  'p', 'div', 'span', 'b', 'a', 'code', 'pre', 'table', 'caption', 'tr', 'td', 'th', 'thead', 'tfoot', 'ul', 'li', 'dl',
  'dt', 'dd', 'h1', 'h3', 'blockquote', 'figure', 'figcaption', 'details', 'summary', 'header', 'footer', 'address',
  'ruby', 'rt', 'q', 'font', 'center', 'tt', 'time', 'bdo', 'dfn', 'ins', 'video', 'source', 'picture', 'img', 'br',
  'hr', 'col', 'main', 'form', 'x-foo', 'xmp', 'body', 'select', 'svg', 'noscript',
];
const ATTRS = [
  '', ' href="https://a.com/x y"', ' src="http://a.com/a.png"', ' srcset="http://a.com/a.png 600w"', ' alt="a.png"',
  ' title="t"', ' id="a"', ' colspan="4"', ' rowspan="3"', ' lang="js"', ' lang="en"', ' datetime="x"', ' align="center"',
  ' style="color:#999;position:fixed;margin:-9px;background:#000"', ' onclick="x()"', ' value="3"', ' cite="a b"',
];
const TEXT = ['x', ' ', '\n', '&lt;', '<', '\u00a0', '中文', '</p>', '</td>', '</li>', '<!-- c -->', '</code>', '\u0001'];
const generated = fc.letrec((tie) => ({
  html: fc.array(tie('node'), { maxLength: 5 }).map((parts) => parts.join('')),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXT),
    fc
      .tuple(fc.constantFrom(...TAGS), fc.constantFrom(...ATTRS), tie('html'), fc.boolean())
      .map(([t, a, inner, close]) => `<${t}${a}>${inner}${close ? `</${t}>` : ''}`),
  ),
})).html;

export function generatedBodies(count: number): Body[] {
  return fc.sample(generated, { numRuns: count, seed: 20260513 }).map((source, i) => rewrite(`generated/${i}`, source));
}

/** The minimal page of the Nu check (task 14). */
export const validatorPage = (body: string): string =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>t</h1><div class="article-body">${body}</div></main></body></html>`;

/**
 * A page like the site's article page: header, title, meta, body, footer; the site stylesheet
 * plus ARTICLE_BODY_CSS (left out with `articleCss: false`, to show what the CSS layer adds).
 */
export const articlePage = (title: string, body: string, articleCss = true): string =>
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  `<title>${title} | 网站</title><style>${SITE_CSS_BASE}${articleCss ? ARTICLE_BODY_CSS : ''}</style></head><body>` +
  '<header class="site-header"><a class="site-title" href="/">网站</a><nav><a href="/atom.xml">订阅</a></nav></header>' +
  `<main><article><h1>${title}</h1><div class="meta"><span class="author">作者</span></div>` +
  `<div class="article-body">${body}</div></article></main>` +
  '<footer class="site-footer"><span>网站</span><span>Images are served through this site.</span></footer></body></html>';
