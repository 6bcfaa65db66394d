/**
 * The browser e2e's markup and header judges (tests/e2e/browser/page-structure.mts) on pages
 * written out by hand: a good page passes, and each defect is reported (every check can fail).
 */
import { describe, expect, it } from 'vitest';
import { parseCsp, securityHeaderProblems, siteChromeText, structureProblems, type PageExpectations } from '../../e2e/browser/page-structure.mts';

const SITE = 'https://news.example';

function page(parts: { lang?: string; head?: string; body?: string } = {}): string {
  const head = parts.head ?? `<title>标题</title><meta name="description" content="描述"><link rel="canonical" href="${SITE}/p/1.html">`;
  const body = parts.body ?? '<header><a href="/">站点</a></header><main><article><h1>标题</h1><h2>小节</h2><p>正文</p></article></main><footer>页脚</footer>';
  return `<!doctype html><html lang="${parts.lang ?? 'zh-CN'}"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const ARTICLE: PageExpectations = { siteLang: 'zh-CN', canonical: `${SITE}/p/1.html`, noindex: false, article: { lang: null } };

describe('structureProblems', () => {
  it('finds nothing wrong with a well-formed article page', () => {
    expect(structureProblems(page(), ARTICLE)).toEqual([]);
  });

  it('accepts the article language it is told to expect', () => {
    const html = page({ body: '<main><article lang="en"><h1>Title</h1></article></main>' });
    expect(structureProblems(html, { ...ARTICLE, article: { lang: 'en' } })).toEqual([]);
    expect(structureProblems(html, { ...ARTICLE, article: true })).toEqual([]);
  });

  it('accepts an error page without a canonical link, marked noindex', () => {
    const html = page({ head: '<title>页面不存在</title><meta name="description" content="d"><meta name="robots" content="noindex">', body: '<main><h1>页面不存在</h1></main>' });
    expect(structureProblems(html, { siteLang: 'zh-CN', canonical: null, noindex: true, article: false })).toEqual([]);
  });

  const DEFECTS: [string, string, PageExpectations, RegExp][] = [
    ['the wrong html lang', page({ lang: 'en' }), ARTICLE, /^<html lang="en">, wanted "zh-CN"$/],
    ['no h1', page({ body: '<main><article><p>x</p></article></main>' }), ARTICLE, /^0 h1 elements/],
    ['two h1', page({ body: '<main><article><h1>a</h1><h1>b</h1></article></main>' }), ARTICLE, /^2 h1 elements/],
    ['a heading before the h1', page({ body: '<header><h2>站点</h2></header><main><article><h1>a</h1></article></main>' }), ARTICLE, /^the first heading is <h2>/],
    ['an empty h1', page({ body: '<main><article><h1> </h1></article></main>' }), ARTICLE, /^an empty h1$/],
    ['no main', page({ body: '<div><article><h1>a</h1></article></div>' }), ARTICLE, /^0 <main> elements/],
    ['no title', page({ head: `<meta name="description" content="d"><link rel="canonical" href="${SITE}/p/1.html">` }), ARTICLE, /^no <title> text$/],
    ['no description', page({ head: `<title>t</title><link rel="canonical" href="${SITE}/p/1.html">` }), ARTICLE, /^no meta description$/],
    ['an empty description', page({ head: `<title>t</title><meta name="description" content=" "><link rel="canonical" href="${SITE}/p/1.html">` }), ARTICLE, /^no meta description$/],
    ['another canonical', page({ head: `<title>t</title><meta name="description" content="d"><link rel="canonical" href="${SITE}/404">` }), ARTICLE, /^canonical https:\/\/news\.example\/404, wanted/],
    ['no canonical', page({ head: '<title>t</title><meta name="description" content="d">' }), ARTICLE, /^0 canonical links/],
    ['a canonical on an error page', page({ body: '<main><h1>x</h1></main>', head: `<title>t</title><meta name="description" content="d"><meta name="robots" content="noindex"><link rel="canonical" href="${SITE}/x">` }), { siteLang: 'zh-CN', canonical: null, noindex: true, article: false }, /^a canonical link on an error page/],
    ['an error page not marked noindex', page({ body: '<main><h1>x</h1></main>', head: '<title>t</title><meta name="description" content="d">' }), { siteLang: 'zh-CN', canonical: null, noindex: true, article: false }, /^no <meta name="robots" content="noindex">$/],
    ['a document marked noindex', page({ head: `<title>t</title><meta name="description" content="d"><meta name="robots" content="noindex"><link rel="canonical" href="${SITE}/p/1.html">` }), ARTICLE, /^marked noindex$/],
    ['no article element', page({ body: '<main><h1>a</h1></main>' }), ARTICLE, /^0 <article> elements/],
    ['an article element on a list', page({ body: '<main><h1>a</h1><article>x</article></main>' }), { ...ARTICLE, article: false }, /^1 <article> element\(s\) on a page that is not an article$/],
    ['a missing article lang', page(), { ...ARTICLE, article: { lang: 'ja' } }, /^<article lang="\(none\)">, wanted "ja"$/],
    ['an unwanted article lang', page({ body: '<main><article lang="zh-CN"><h1>a</h1></article></main>' }), ARTICLE, /^<article lang="zh-CN">, wanted no lang/],
    ['an inline style element', page({ body: '<main><article><h1>a</h1><style>p{}</style></article></main>' }), ARTICLE, /^an inline <style> element/],
    ['a script', page({ body: '<main><article><h1>a</h1><script src="/x.js"></script></article></main>' }), ARTICLE, /^a <script src="\/x\.js"> element$/],
    ['an event handler', page({ body: '<main><article><h1 onclick="x()">a</h1></article></main>' }), ARTICLE, /^an event handler attribute onclick on <h1>$/],
  ];

  it.each(DEFECTS)('reports %s', (_name, html, want, message) => {
    const problems = structureProblems(html, want);
    expect(problems.length).toBe(1);
    expect(problems[0]).toMatch(message);
  });

  it('lets JSON-LD through (the only script the pages carry)', () => {
    const html = page({ head: `<title>t</title><meta name="description" content="d"><link rel="canonical" href="${SITE}/p/1.html"><script type="application/ld+json">{}</script>` });
    expect(structureProblems(html, ARTICLE)).toEqual([]);
  });
});

const GOOD_CSP =
  "default-src 'none'; script-src 'none'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; media-src 'self' https:; connect-src 'self'; frame-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
const headers = (csp: string | null): Record<string, string> => ({
  ...(csp === null ? {} : { 'content-security-policy': csp }),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
});

describe('securityHeaderProblems', () => {
  it('accepts the policy of the HTML pages', () => {
    expect(securityHeaderProblems(headers(GOOD_CSP))).toEqual([]);
  });

  it('reads a policy into directives, the first of a repeated one winning (CSP3 §2.2.1)', () => {
    const d = parseCsp(" img-src 'self'  data: ;; IMG-SRC * ; default-src 'none'");
    expect([...d.keys()]).toEqual(['img-src', 'default-src']);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
  });

  const DEFECTS: [string, Record<string, string>, string[]][] = [
    ['no CSP', headers(null), ['no Content-Security-Policy header']],
    ['no connect-src', headers(GOOD_CSP.replace("; connect-src 'self'", '')), ['CSP has no connect-src']],
    ['connect-src elsewhere', headers(GOOD_CSP.replace("connect-src 'self'", 'connect-src https://api.example')), ["CSP connect-src https://api.example, wanted 'self'"]],
    ['scripts allowed', headers(GOOD_CSP.replace("script-src 'none'", "script-src 'self'")), ["CSP script-src 'self', wanted 'none'"]],
    ['media from anywhere', headers(GOOD_CSP.replace("media-src 'self' https:", 'media-src *')), ["CSP media-src *, wanted 'self' https:", 'CSP media-src allows *']],
    ['inline styles', headers(GOOD_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")), ["CSP style-src 'self' 'unsafe-inline', wanted 'self'", "CSP style-src allows 'unsafe-inline'"]],
    ['eval', headers(`${GOOD_CSP}; worker-src 'unsafe-eval'`), ["CSP worker-src allows 'unsafe-eval'"]],
    ['plain http frames', headers(GOOD_CSP.replace("frame-src 'none'", 'frame-src http:')), ['CSP frame-src allows http:']],
    ['no frame-ancestors', headers(GOOD_CSP.replace("; frame-ancestors 'self'", '')), ['CSP has no frame-ancestors']],
    ['no nosniff', { ...headers(GOOD_CSP), 'x-content-type-options': '' }, ['no X-Content-Type-Options: nosniff']],
    ['no referrer policy', { 'content-security-policy': GOOD_CSP, 'x-content-type-options': 'nosniff' }, ['no Referrer-Policy']],
  ];

  it.each(DEFECTS)('reports %s', (_name, h, messages) => {
    expect(securityHeaderProblems(h)).toEqual(messages);
  });
});

describe('siteChromeText', () => {
  it("reads the page's own header and footer and the search box, not a post's header inside main", () => {
    const html = page({
      body: '<header class="site-header"><a href="/">新闻</a><input type="search" placeholder="搜索文章"></header><main><article><h1>Title</h1><header>Post header</header><footer>Post footer</footer></article></main><footer class="site-footer">页脚</footer>',
    });
    expect(siteChromeText(html)).toBe('新闻 页脚 搜索文章');
  });

  it('reads the whole main of an error page (its text is a UI string)', () => {
    const html = page({ head: '<title>t</title><meta name="robots" content="noindex">', body: '<header>站点</header><main><h1>页面不存在</h1><p>找不到这个页面。</p></main><footer>页脚</footer>' });
    expect(siteChromeText(html)).toBe('站点 页脚 页面不存在找不到这个页面。');
  });
});
