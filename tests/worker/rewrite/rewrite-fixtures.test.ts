/**
 * Every real post in tests/fixtures goes through the rewrite (fixtures are never edited).
 * Oracles are independent of the rewriter: parse5 reads the output as a browser would, WHATWG
 * `URL` resolves URLs, regular expressions over the raw source count images and find code.
 */
import { describe, expect, it } from 'vitest';
import { rewriteBody, rewriteHtml, rewriteImageUrl } from '../../../src/rewrite/rewrite-html';
import {
  FIXTURES,
  PROXY,
  ancestors,
  attrOf,
  collapse,
  decodeText,
  elements,
  executableProblems,
  fixture,
  options,
  proxyAttributes,
  reserialize,
  route,
  routedUrl,
  textContent,
  textOf,
} from './helpers';

/** Elements whose content is removed on purpose (not article text). */
const DROPPED_CONTAINERS = new Set([
  'script', 'style', 'iframe', 'svg', 'math', 'button', 'noscript', 'template', 'textarea', 'select',
  'object', 'embed', 'applet', 'head', 'title', 'noembed', 'noframes', 'canvas', 'map', 'dialog',
]);

const CODE_REGION = /<code\b[^>]*>([\s\S]*?)<\/code\s*>/gi;

/** Raw `<code>` regions of the source, in order (the corpus has no `<code` in comments or attributes). */
const codeRegions = (body: string): string[] => [...body.matchAll(CODE_REGION)].map((m) => m[1] ?? '');

/** Inline markup a highlighter puts in code (markup, not code text): the spec's list, written out. */
const CODE_MARKUP = /<\/?(?:a|abbr|b|bdi|bdo|big|br|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|rp|rt|ruby|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr)\b[^>]*>/gi;

/** What a reader must see in a code sample: its source with the markup tags removed, references decoded. */
const codeText = (region: string): string => decodeText(region.replace(CODE_MARKUP, ''));

/** `<img>` tags in the source that are not code text. */
const sourceImages = (body: string): number =>
  (body.match(/<img\b/gi) ?? []).length - codeRegions(body).reduce((n, r) => n + (r.match(/<img\b/gi) ?? []).length, 0);

const ABSOLUTE = /^\s*(?:https?:)?\/\//i;

describe.each(FIXTURES)('fixture $name', ({ body, frontMatter }) => {
  const result = rewriteBody(body, options());
  const out = result.html;
  const outElements = elements(out);

  it('leaves no proxy URL in any attribute', () => {
    expect(proxyAttributes(out)).toEqual([]);
  });

  it('loses no image: every <img> of the source that is not code text is written', () => {
    expect(outElements.filter((e) => e.tag === 'img')).toHaveLength(sourceImages(body));
    expect(result.imageCount).toBe(sourceImages(body));
  });

  it('keeps the text outside code samples', () => {
    const skip = new Set([...DROPPED_CONTAINERS, 'code']);
    expect(collapse(textOf(out, skip))).toBe(collapse(textOf(body, skip)));
  });

  it('shows every code sample exactly as written in the source', () => {
    const shown = outElements.filter((e) => e.tag === 'code' && !ancestors(e.node).includes('code')).map((e) => textContent(e.node));
    expect(shown).toEqual(codeRegions(body).map(codeText));
  });

  it('loads no image from another origin: every image URL is our route', () => {
    for (const e of outElements) {
      for (const [name, value] of e.attrs) {
        if (name === 'src' || name === 'poster') {
          expect(value, `${e.tag}[${name}]`).not.toMatch(ABSOLUTE);
          if (e.tag === 'img') expect(routedUrl(value), value).toMatch(/^https?:\/\//);
        }
        if (name === 'srcset') for (const c of value.split(',')) expect(c).not.toMatch(ABSOLUTE);
        if (name === 'style') expect(value).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
      }
    }
  });

  it('has nothing executable', () => {
    expect(executableProblems(out)).toEqual([]);
  });

  it('is idempotent', () => {
    expect(rewriteHtml(out, options())).toBe(out);
  });

  it('is a fixed point of the HTML parser', () => {
    expect(reserialize(out)).toBe(out.replace(/(<pre\b[^>]*>)\n/g, '$1'));
  });

  it('gives every image an alt that is not a URL or file name', () => {
    for (const e of outElements.filter((x) => x.tag === 'img')) {
      const alt = attrOf(e, 'alt');
      expect(alt, attrOf(e, 'src')).toBeDefined();
      expect(alt).not.toMatch(/^(?:https?:|\/\/)|\.(?:jpe?g|png|gif|webp)$/i);
    }
  });

  it('numbers headings from h2 without skipping a level', () => {
    let previous = 1;
    for (const e of outElements.filter((x) => /^h[1-6]$/.test(x.tag))) {
      const level = Number(e.tag[1]);
      expect(level, e.tag).toBeGreaterThanOrEqual(2);
      expect(level, `${e.tag} after h${previous}`).toBeLessThanOrEqual(previous + 1);
      previous = level;
    }
  });

  it('has a short plain-text excerpt', () => {
    expect([...result.excerpt].length).toBeLessThanOrEqual(200);
    expect(result.excerpt).not.toMatch(/[<>]|\s{2}/);
    expect(result.excerpt === '').toBe(collapse(textOf(out)) === '');
  });

  it('routes the front matter headimg and thumbnail when they are fetchable, drops them otherwise', () => {
    for (const key of ['headimg', 'thumbnail'] as const) {
      const raw = frontMatter[key];
      if (raw === undefined) continue;
      // Independent oracle: strip the literal proxy prefix, parse with WHATWG URL; the corpus'
      // only unfetchable target is on a non-default port (the image route fetches 80/443 only).
      const url = new URL(raw.startsWith(PROXY) ? raw.slice(PROXY.length) : raw);
      expect(rewriteImageUrl(raw, options())).toBe(url.port === '' ? route(url.href) : null);
    }
  });
});

describe('fixture specifics', () => {
  it('zaker lazy images become sized lazy images (000)', () => {
    const imgs = elements(rewriteHtml(fixture('000_').body, options())).filter((e) => e.tag === 'img');
    expect(imgs.map((e) => [attrOf(e, 'width'), attrOf(e, 'height'), attrOf(e, 'loading'), attrOf(e, 'class')])).toEqual([
      ['600', '423', 'lazy', undefined],
      ['600', '368', 'lazy', undefined],
    ]);
    expect(routedUrl(attrOf(imgs[0]!, 'src'))).toBe('http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg');
  });

  it('percent-encoded path of a proxied image is kept encoded (13)', () => {
    const srcs = elements(rewriteHtml(fixture('13-').body, options()))
      .filter((e) => e.tag === 'img')
      .map((e) => routedUrl(attrOf(e, 'src')));
    expect(srcs).toContain('http://pic.jiagoujishu.com/%E5%AE%9E%E4%BE%8B%E4%B8%AD%E5%BF%83.png');
  });

  it('shows the CSRF sample <img> of post 18 as code text, never as an image (18)', () => {
    const out = rewriteHtml(fixture('18-').body, options());
    const codes = elements(out).filter((e) => e.tag === 'code').map((e) => textContent(e.node));
    expect(codes).toContain('<p>CSRF 攻击者准备的网站：</p>');
    expect(codes).toContain('<img src="https://cors.zfour.workers.dev/?http://www.a.com:8002/content/delete/87343">');
    expect(out).not.toContain(route('http://www.a.com:8002/content/delete/87343'));
    // The paragraph around the sample is one paragraph (the source's <p> inside <code> no longer splits it).
    const p = elements(out).find((e) => e.tag === 'p' && textContent(e.node) === '<p>CSRF 攻击者准备的网站：</p>');
    expect(p).toBeDefined();
  });

  it('shows the JSX of post 28 as written (28)', () => {
    const codes = elements(rewriteHtml(fixture('28-').body, options()))
      .filter((e) => e.tag === 'code')
      .map((e) => textContent(e.node));
    expect(codes[0]).toBe(
      'const Hello = (props) => {\n    return <div>{props.message}</div>\n}\n// 或者这样写\nconst Hello = props => <div>{props.message}</div>\n' +
        '// 常用自写法\nfunction Hello(props){\n    return <div>{props.message}</div>\n}\n复制代码',
    );
    expect(codes.join('\n')).toContain('<button onClick = {onClick}>+1</button>');
    expect(codes.join('\n')).toContain('{childVisible? <Child /> : null}');
  });

  it('post 55: the <pre> that holds the whole article is written as wrapping prose (55)', () => {
    const els = elements(rewriteHtml(fixture('55-').body, options()));
    expect(els.filter((e) => e.tag === 'pre')).toEqual([]);
    const prose = els.find((e) => e.tag === 'div' && attrOf(e, 'class') === 'prose-pre');
    expect(prose).toBeDefined();
    expect(els.filter((e) => e.tag === 'p' && ancestors(e.node).includes('div')).length).toBeGreaterThan(50);
    expect(els.filter((e) => /^h[1-6]$/.test(e.tag)).map((e) => e.tag)).toEqual(['h2', 'h2', 'h2', 'h2', 'h2', 'h2', 'h2']);
  });

  it('drops lang="js" from highlighted code (47)', () => {
    const codes = elements(rewriteHtml(fixture('47-').body, options())).filter((e) => e.tag === 'code');
    expect(codes.length).toBeGreaterThan(0);
    for (const e of codes) expect(attrOf(e, 'lang')).toBeUndefined();
  });

  it('non-breaking spaces survive (25, 50)', () => {
    for (const prefix of ['25-', '50-']) {
      const body = fixture(prefix).body;
      const count = (s: string): number => s.split('\u00a0').length - 1;
      const inSource = count(textOf(body, DROPPED_CONTAINERS));
      expect(inSource).toBeGreaterThan(0);
      expect(count(textOf(rewriteHtml(body, options())))).toBe(inSource);
    }
  });

  it('the wp-embed iframe survives only when its host is allowlisted (56)', () => {
    const body = fixture('56-').body;
    expect(elements(rewriteHtml(body, options())).some((e) => e.tag === 'iframe')).toBe(false);
    const allowed = elements(rewriteHtml(body, options({ iframeAllowlist: ['www.kaspersky.com'] }))).filter((e) => e.tag === 'iframe');
    expect(allowed).toHaveLength(1);
    expect(attrOf(allowed[0]!, 'style')).toBeUndefined();
  });

  it('&#123; braces in code display as braces (47)', () => {
    const out = rewriteHtml(fixture('47-').body, options());
    expect(out).not.toContain('&#123;');
    expect(textOf(out)).toContain('createStore, combineReducers }');
  });
});
