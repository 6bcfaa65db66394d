/**
 * URLs written by the rewrite are valid for the URL standard and name the same resource: the
 * oracle is WHATWG `URL`, which must resolve the written URL and the source's URL alike.
 */
import { describe, expect, it } from 'vitest';
import { rewriteHtml } from '../../../src/rewrite/rewrite-html';
import { rewriteSrcset, validUrl } from '../../../src/rewrite/url-policy';
import { PROXY, options, route } from './helpers';

/** Characters a valid URL may contain literally (RFC 3986 unreserved, sub-delims, :@/?#%). */
const VALID = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*$/;
const BASE = 'https://site.example/articles/x';

describe('validUrl', () => {
  it.each([
    'https://a.com/a b',
    'https://a.com/?q={x}|y^',
    'https://a.com/a#b#c',
    'https://a.com/%zz%4',
    'https://a.com/[x]',
    '/relative path',
    '?q=a b',
    '#frag ment',
    'https://a.com/路径?查询=值#片段',
    'https://a.com/"quoted"<tag>`tick`',
    'https://a.com/%E5%AE%9E.png',
    'https://a.com/?x=1&y=2',
    'https://a.com/emoji/😀',
  ])('%s is valid and resolves as the original', (input) => {
    const out = validUrl(input);
    expect(out).toMatch(VALID);
    expect(out.split('#').length).toBeLessThanOrEqual(2);
    expect(out).not.toMatch(/%(?![0-9A-Fa-f]{2})/);
    // Same resource: a browser percent-encodes the original the same way when it requests it.
    const decode = (u: string): string => decodeURIComponent(new URL(u, BASE).href.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    expect(decode(out)).toBe(decode(input.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/#(?=.*#)/, '#').replace(/(#[^#]*)#/g, '$1%23')));
    expect(validUrl(out)).toBe(out);
  });
});

describe('rewriteSrcset', () => {
  const ctx = { prefixes: [PROXY], routeAllImages: true, imageRoute: route };

  it.each<[string, string | null, boolean]>([
    ['http://a.com/1.png 1x, http://a.com/2.png 2x', `${route('http://a.com/1.png')} 1x, ${route('http://a.com/2.png')} 2x`, false],
    ['http://a.com/1.png 600w, http://a.com/2.png 1200w', `${route('http://a.com/1.png')} 600w, ${route('http://a.com/2.png')} 1200w`, true],
    ['http://a.com/1.png, http://a.com/2.png 1x', route('http://a.com/1.png'), false],
    ['http://a.com/1.png 1x 600w', `${route('http://a.com/1.png')} 1x`, false],
    ['http://a.com/1.png 2x, http://a.com/2.png 600w', `${route('http://a.com/1.png')} 2x`, false],
    ['http://a.com/1.png 100h, http://a.com/2.png 0w, http://a.com/3.png -1x', null, false],
    [`${PROXY}http://a.com/1.png 1.5x, /relative.png 2x`, `${route('http://a.com/1.png')} 1.5x`, false],
  ])('%s', (input, expected, widths) => {
    const out = rewriteSrcset(input, ctx);
    if (expected === null) {
      expect(out).toBeNull();
      return;
    }
    expect(out?.value).toBe(expected);
    expect(out?.widths).toBe(widths);
    expect(out?.first).toBe(expected.split(' ')[0]?.replace(/,$/, ''));
  });
});

describe('URLs with an IPv6 host', () => {
  // The brackets belong to the host; percent-encoding them (as validUrl does in a path) gives
  // `http://%5B::1%5D/…`, which does not parse, so a second rewrite dropped the attribute.
  it.each([
    ['<blockquote cite="http://[::1]/a.jpg"></blockquote>', 'cite', 'http://[::1]/a.jpg'],
    ['<q cite="https://[2001:db8::1]:8443/p q?x=[1]">x</q>', 'cite', 'https://[2001:db8::1]:8443/p%20q?x=%5B1%5D'],
    ['<a href="https://[2001:db8::a]/path">x</a>', 'href', 'https://[2001:db8::a]/path'],
  ])('%s keeps the host as written and is rewritten to itself', (html, name, expected) => {
    const once = rewriteHtml(html, options());
    const value = new RegExp(`${name}="([^"]*)"`).exec(once)?.[1];
    expect(value).toBe(expected);
    // The oracle: WHATWG URL reads the written value as the same host and path as the source's.
    const source = new URL(new RegExp(`${name}="([^"]*)"`).exec(html)![1]!);
    expect(new URL(value!).host).toBe(source.host);
    expect(rewriteHtml(once, options())).toBe(once);
  });
});
