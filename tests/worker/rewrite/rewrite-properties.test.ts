/** Property-based checks: generated bodies mixing every URL shape, markup shape and hostile payload. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteBody, rewriteHtml } from '../../../src/rewrite/rewrite-html';
import { elements, executableProblems, options, proxyAttributes } from './helpers';

const hosts = fc.constantFrom('a.com', 'zkres1.myzaker.com', 'img.jandan.net', 'wx1.sinaimg.cn', 'example.org:8080', '127.0.0.1', '[::1]', '169.254.169.254', 'localhost', '10.1.2.3');
const path = fc.constantFrom('/a.jpg', '/b/c.png', '/x.gif!custom', '/page.html', '/%E5%AE%9E.png', '/', '/img/y.webp');
const query = fc.constantFrom('', '?x=1', '?x=1&y=2', '?a=1&amp;b=2', '?u=http://z.com/q.png', '#frag');

const target = fc
  .tuple(fc.constantFrom('http://', 'https://', '//', 'HTTP://'), hosts, path, query)
  .map(([s, h, p, q]) => `${s}${h}${p}${q}`);

const proxyPrefix = fc.constantFrom(
  'https://cors.zfour.workers.dev/?',
  'http://cors.zfour.workers.dev/?',
  '//cors.zfour.workers.dev/?',
  'HTTPS://CORS.ZFOUR.WORKERS.DEV/?',
  'https://cors.zfour.workers.dev?',
  ' https://cors.zfour.workers.dev/?',
);

/** Random ASCII whitespace / control characters that browsers strip from URLs. */
const junk = fc.array(fc.constantFrom('', ' ', '\t', '\n', '\r', '\u0001', '&#x09;', '&#10;', '&Tab;', '&NewLine;'), { maxLength: 2 }).map((a) => a.join(''));
const randomCase = (s: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flags) => [...s].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''));

const scriptUrl = fc
  .tuple(fc.constantFrom('javascript', 'vbscript', 'livescript'), junk, junk, fc.constantFrom('alert(1)', "alert('XSS')", '//%0aalert(1)'))
  .chain(([scheme, j1, j2, payload]) =>
    randomCase(scheme).map((s) => `${j1}${s.slice(0, 3)}${j2}${s.slice(3)}:${payload}`),
  );

const url: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(proxyPrefix, target).map(([p, t]) => p + t) },
  { weight: 1, arbitrary: fc.tuple(proxyPrefix, target).map(([p, t]) => p + encodeURIComponent(t.startsWith('//') ? `https:${t}` : t)) },
  { weight: 3, arbitrary: target },
  { weight: 2, arbitrary: scriptUrl },
  { weight: 1, arbitrary: fc.tuple(proxyPrefix, scriptUrl).map(([p, s]) => p + s) },
  { weight: 1, arbitrary: fc.constantFrom('/uploads/a.png', '../a.png', 'C:\\a.png', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'data:text/html,<script>alert(1)</script>', '') },
);

/** Serialises an attribute with a random quoting style (values escaped so the attribute parses). */
function quote(name: string, value: string, style: number): string {
  if (style === 1 && /^[^\s"'=<>`]+$/.test(value)) return `${name}=${value}`;
  if (style === 2 && !value.includes("'")) return `${name}='${value}'`;
  return `${name}="${value.replace(/"/g, '&quot;')}"`;
}

const urlAttrName = fc.constantFrom('src', 'SRC', 'srcset', 'data-original', 'data-src', 'poster', 'href', 'HREF', 'title', 'alt', 'cite', 'background');
const hostileAttr = fc.oneof(
  fc.tuple(randomCase('onerror'), fc.constant('alert(1)')),
  fc.tuple(randomCase('onload'), fc.constant('alert(1)')),
  fc.tuple(fc.constant('onmouseover'), fc.constant('alert(1)')),
  fc.tuple(fc.constant('formaction'), scriptUrl),
  fc.tuple(fc.constant('xlink:href'), scriptUrl),
  fc.tuple(fc.constant('style'), fc.constantFrom('width:expression(alert(1))', 'background:url(javascript:alert(1))', 'color:red', 'x:\\65xpression(1)')),
);

const attribute: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(urlAttrName, url, fc.nat(2)).map(([n, u, s]) => quote(n, n === 'srcset' ? `${u} 1x, ${u} 2x` : u, s)) },
  { weight: 2, arbitrary: fc.tuple(url, fc.nat(2)).map(([u, s]) => quote('style', `color: red; background-image: url(${u})`, s)) },
  { weight: 2, arbitrary: fc.tuple(hostileAttr, fc.nat(2)).map(([[n, v], s]) => quote(n, v, s)) },
  { weight: 1, arbitrary: fc.constantFrom('class="lazy opacity_0 "', 'width="600" height="423"', 'data-width=600 data-height=423', 'target=_blank', 'id=x', 'alt') },
);

const tag = fc.constantFrom(
  'img', 'IMG', 'a', 'A', 'p', 'div', 'span', 'video', 'source', 'picture', 'iframe', 'IFRAME', 'script', 'SCRIPT',
  'object', 'embed', 'svg', 'math', 'style', 'form', 'button', 'table', 'td', 'base', 'meta', 'link', 'x-custom', 'body', 'noscript', 'template', 'pre', 'code', 'blockquote',
);

const textPiece = fc.constantFrom(
  'plain text ', 'a &lt; b ', '&nbsp;', '\u00a0', '&#123;x&#125;', ' https://cors.zfour.workers.dev/?http://a.com/a.jpg ', '1 < 2 ', '&amp; ', '中文', '<!-- <img src=https://cors.zfour.workers.dev/?http://a.com/c.jpg> -->', '"><script>alert(1)</script>',
);

const { html } = fc.letrec((tie) => ({
  html: fc.array(tie('node'), { maxLength: 4 }).map((parts) => parts.join('')),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textPiece,
    fc.tuple(tag, fc.array(attribute, { maxLength: 3 }), tie('html')).map(([t, attrs, inner]) => {
      const open = `<${t}${attrs.map((a) => ` ${a}`).join('')}>`;
      return ['img', 'IMG', 'source', 'embed', 'base', 'meta', 'link'].includes(t) ? open + inner : `${open}${inner}</${t}>`;
    }),
  ),
}));

const RUNS = { numRuns: 200 };

describe('rewriteHtml properties', () => {
  it('never leaves a proxy URL in an attribute', () => {
    fc.assert(
      fc.property(html, (input) => {
        expect(proxyAttributes(rewriteHtml(input, options()))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never outputs anything executable (no script, on*, javascript:/vbscript:, iframe)', () => {
    fc.assert(
      fc.property(html, (input) => {
        expect(executableProblems(rewriteHtml(input, options()))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(html, (input) => {
        const once = rewriteHtml(input, options());
        expect(rewriteHtml(once, options())).toBe(once);
      }),
      RUNS,
    );
  });

  it('loads images only from our route (or inline data:image)', () => {
    fc.assert(
      fc.property(html, (input) => {
        const result = rewriteBody(input, options());
        const imgs = elements(result.html).filter((e) => e.tag === 'img');
        expect(result.imageCount).toBe(imgs.length);
        for (const e of elements(result.html)) {
          for (const [name, value] of e.attrs) {
            if (name === 'src' && e.tag === 'img') expect(value).toMatch(/^(?:\/img\/|data:image\/)/);
            if (name === 'poster' || name === 'srcset') expect(value).toMatch(/^(?:\/img\/|data:image\/)/);
          }
        }
      }),
      RUNS,
    );
  });

  it('gives the same result with and without the plain-text fast path', async () => {
    const { rewriteBodyParsed } = await import('../../../src/rewrite/rewrite-html');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\u00a0', '>', '中', '"', "'", 'x') }), (text) => {
        expect(rewriteBody(text, options())).toEqual(rewriteBodyParsed(text, options()));
      }),
      RUNS,
    );
  });
});
