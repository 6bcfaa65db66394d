import { describe, expect, it } from 'vitest';
import { cleanUrlString, isProxyUrl, unwrapProxyUrl } from '../../../src/rewrite/proxy-url';
import { PROXY } from './helpers';

const ZFOUR = [PROXY];
const ANYWHERE = ['https://cors-anywhere.example.com/'];
const BOTH = [PROXY, ...ANYWHERE];

describe('unwrapProxyUrl', () => {
  it.each<[string, string, string[], string | null]>([
    ['https prefix', 'https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/a.jpg', ZFOUR, 'http://zkres1.myzaker.com/a.jpg'],
    ['http prefix', 'http://cors.zfour.workers.dev/?http://a.com/b.png', ZFOUR, 'http://a.com/b.png'],
    ['protocol-relative prefix', '//cors.zfour.workers.dev/?http://a.com/b.png', ZFOUR, 'http://a.com/b.png'],
    ['upper-case scheme and host', 'HTTPS://CORS.ZFOUR.Workers.DEV/?http://a.com/B.png', ZFOUR, 'http://a.com/B.png'],
    ['prefix without the slash before ?', 'https://cors.zfour.workers.dev?http://a.com/b.png', ZFOUR, 'http://a.com/b.png'],
    ['surrounding whitespace', ' \n\thttps://cors.zfour.workers.dev/?http://a.com/b.png \n', ZFOUR, 'http://a.com/b.png'],
    ['tab inside the URL (browsers drop it)', 'https://cors.zfour.\tworkers.dev/?http://a.com/b.png', ZFOUR, 'http://a.com/b.png'],
    ['target with its own query string, byte for byte', 'https://cors.zfour.workers.dev/?http://a/b.jpg?x=1&y=2', ZFOUR, 'http://a/b.jpg?x=1&y=2'],
    ['target with a fragment and a second ?', 'https://cors.zfour.workers.dev/?http://a/b.jpg?x=1?y#f', ZFOUR, 'http://a/b.jpg?x=1?y#f'],
    ['target with a port', 'https://cors.zfour.workers.dev/?http://www.a.com:8002/content/delete/87343', ZFOUR, 'http://www.a.com:8002/content/delete/87343'],
    ['target with percent-encoded path stays encoded', 'https://cors.zfour.workers.dev/?http://pic.x.com/%E5%AE%9E.png', ZFOUR, 'http://pic.x.com/%E5%AE%9E.png'],
    ['percent-encoded target is decoded once', 'https://cors.zfour.workers.dev/?https%3A%2F%2Fexample.com%2Fa.jpg%3Fq%3D%2520', ZFOUR, 'https://example.com/a.jpg?q=%20'],
    ['lower-case percent-encoded scheme', 'https://cors.zfour.workers.dev/?http%3a%2f%2fexample.com%2fa.jpg', ZFOUR, 'http://example.com/a.jpg'],
    ['percent-encoded protocol-relative target', 'https://cors.zfour.workers.dev/?%2F%2Fexample.com%2Fa.jpg', ZFOUR, 'https://example.com/a.jpg'],
    ['undecodable percent-encoding is a proxy URL without a usable target', 'https://cors.zfour.workers.dev/?https%3A%2F%2Fe.com%E0%A4%A', ZFOUR, ''],
    ['protocol-relative target becomes https', 'https://cors.zfour.workers.dev/?//host/a.jpg', ZFOUR, 'https://host/a.jpg'],
    ['single-slash target scheme is collapsed', 'https://cors.zfour.workers.dev/?https:/example.com/a.jpg', ZFOUR, 'https://example.com/a.jpg'],
    ['upper-case target scheme is lower-cased', 'https://cors.zfour.workers.dev/?HTTP://Example.com/A.jpg', ZFOUR, 'http://Example.com/A.jpg'],
    ['nested proxy is unwrapped fully', 'https://cors.zfour.workers.dev/?https://cors.zfour.workers.dev/?http://a.com/b.png', ZFOUR, 'http://a.com/b.png'],
    ['javascript: target is returned for the caller to drop', 'https://cors.zfour.workers.dev/?javascript:alert(1)', ZFOUR, 'javascript:alert(1)'],
    ['file: target is returned for the caller to drop', 'https://cors.zfour.workers.dev/?file:///etc/passwd', ZFOUR, 'file:///etc/passwd'],
    ['empty target', 'https://cors.zfour.workers.dev/?', ZFOUR, ''],
    ['cors-anywhere: path is the target', 'https://cors-anywhere.example.com/https://example.com/a.jpg', ANYWHERE, 'https://example.com/a.jpg'],
    ['cors-anywhere: target keeps its query', 'https://cors-anywhere.example.com/https://example.com/a.jpg?w=1&h=2', ANYWHERE, 'https://example.com/a.jpg?w=1&h=2'],
    ['cors-anywhere: collapsed https:/ target', 'https://cors-anywhere.example.com/https:/example.com/a.jpg', ANYWHERE, 'https://example.com/a.jpg'],
    ['cors-anywhere: bare host means http', 'https://cors-anywhere.example.com/example.com/a.jpg', ANYWHERE, 'http://example.com/a.jpg'],
    ['cors-anywhere: protocol-relative proxy URL', '//CORS-ANYWHERE.example.com/http://example.com/a.jpg', ANYWHERE, 'http://example.com/a.jpg'],
    ['cors-anywhere: the proxy\'s own page is not a proxy URL', 'https://cors-anywhere.example.com/favicon.ico', ANYWHERE, null],
    ['several prefixes: second one matches', 'https://cors-anywhere.example.com/http://a.com/x.gif', BOTH, 'http://a.com/x.gif'],
    ['other host is not a proxy URL', 'https://example.com/?http://a.com/b.png', ZFOUR, null],
    ['host suffix is not a proxy URL', 'https://evilcors.zfour.workers.dev.example.com/?http://a.com/b.png', ZFOUR, null],
    ['proxy host in the path is not a proxy URL', 'https://a.com/cors.zfour.workers.dev/?http://a.com/b.png', ZFOUR, null],
    ['other scheme is not a proxy URL', 'ftp://cors.zfour.workers.dev/?http://a.com/b.png', ZFOUR, null],
    ['the proxy root is not a proxy URL', 'https://cors.zfour.workers.dev/', ZFOUR, null],
    ['plain image URL', 'http://a.com/b.png', ZFOUR, null],
    ['relative URL', '/uploads/a.png', ZFOUR, null],
    ['prefix configured without a scheme', 'https://cors.example.com/?http://a.com/b.png', ['cors.example.com/?'], 'http://a.com/b.png'],
    ['prefix configured over http matches https use', 'https://cors.example.com/?http://a.com/b.png', ['http://cors.example.com/?'], 'http://a.com/b.png'],
    ['no prefixes configured', 'https://cors.zfour.workers.dev/?http://a.com/b.png', [], null],
  ])('%s', (_name, raw, prefixes, expected) => {
    expect(unwrapProxyUrl(raw, prefixes)).toBe(expected);
  });
});

describe('unwrapProxyUrl: shapes at the edges', () => {
  const SAME_HOST = ['https://p.example.com/', 'https://p.example.com/?'];
  const nest = (n: number) => {
    let url = 'http://a.com/b.png';
    for (let i = 0; i < n; i++) url = `${PROXY}${url}`;
    return url;
  };

  it.each<[string, string, string[], string | null]>([
    ['a space inside the target is kept', 'https://cors.zfour.workers.dev/?http://a.com/b c.png', ZFOUR, 'http://a.com/b c.png'],
    ['two leading spaces and a trailing CR LF', '  https://cors.zfour.workers.dev/?http://a.com/b.png\r\n', ZFOUR, 'http://a.com/b.png'],
    ['a leading NUL and trailing spaces', '\u0000https://cors.zfour.workers.dev/?http://a.com/b.png  ', ZFOUR, 'http://a.com/b.png'],
    ['a target without a scheme is returned as written (cors.zfour style)', 'https://cors.zfour.workers.dev/?a.com/b.png', ZFOUR, 'a.com/b.png'],
    ['an encoded URL inside the target\'s query stays encoded', 'https://cors.zfour.workers.dev/?http://a.com/x?u=https%3A%2F%2Fb.com', ZFOUR, 'http://a.com/x?u=https%3A%2F%2Fb.com'],
    ['a scheme inside the target\'s query is not the target\'s', 'https://cors.zfour.workers.dev/?a.com/r?u=http:/b', ZFOUR, 'a.com/r?u=http:/b'],
    ['cors-anywhere: a bare host with three labels', 'https://cors-anywhere.example.com/img.example.com/a.jpg', ANYWHERE, 'http://img.example.com/a.jpg'],
    ['cors-anywhere: a bare host with a port', 'https://cors-anywhere.example.com/example.com:8080/a.jpg', ANYWHERE, 'http://example.com:8080/a.jpg'],
    ['cors-anywhere: a bare host with a one-digit port', 'https://cors-anywhere.example.com/example.com:8/a.jpg', ANYWHERE, 'http://example.com:8/a.jpg'],
    ['cors-anywhere: a bare host with a six-digit port is not a target', 'https://cors-anywhere.example.com/example.com:123456/a.jpg', ANYWHERE, null],
    ['cors-anywhere: a single label is not a host', 'https://cors-anywhere.example.com/localhost/a.jpg', ANYWHERE, null],
    ['two prefixes on one host: the one that gives a target wins', 'https://p.example.com/?http://a.com/x.png', SAME_HOST, 'http://a.com/x.png'],
    ['two prefixes on one host: the path style one', 'https://p.example.com/http://a.com/x.png', SAME_HOST, 'http://a.com/x.png'],
    ['a prefix with spaces around it in the configuration', 'https://cors.example.com/?http://a.com/b.png', ['  https://cors.example.com/? '], 'http://a.com/b.png'],
    ['a protocol-relative prefix in the configuration', 'https://cors.example.com/?http://a.com/b.png', ['//cors.example.com/?'], 'http://a.com/b.png'],
    ['a prefix without a scheme whose path has a //', 'https://cors.example.com/p//https://a.com/x.png', ['cors.example.com/p//'], 'https://a.com/x.png'],
    ['a prefix with no host is ignored', 'https://cors.zfour.workers.dev/?http://a.com/b.png', ['/?', PROXY], 'http://a.com/b.png'],
    ['a configuration of host-less prefixes only', '///?http://a.com/b.png', ['/?', 'https:///?'], null],
    ['five proxies deep: all unwrapped', nest(5), ZFOUR, 'http://a.com/b.png'],
    ['six proxies deep: unwrapped five times, no more', nest(6), ZFOUR, `${PROXY}http://a.com/b.png`],
  ])('%s', (_name, raw, prefixes, expected) => {
    expect(unwrapProxyUrl(raw, prefixes)).toBe(expected);
  });

  it('gives the same answers when called again with the same prefix list (compiled once)', () => {
    const prefixes = [PROXY];
    expect(unwrapProxyUrl(`${PROXY}http://a.com/1.png`, prefixes)).toBe('http://a.com/1.png');
    expect(unwrapProxyUrl(`${PROXY}http://a.com/2.png`, prefixes)).toBe('http://a.com/2.png');
    expect(unwrapProxyUrl('http://a.com/3.png', prefixes)).toBeNull();
  });
});

describe('isProxyUrl', () => {
  it.each<[string, string[], boolean]>([
    ['https://cors.zfour.workers.dev/?http://a.com/b.png', ZFOUR, true],
    ['https://cors.zfour.workers.dev/?', ZFOUR, true], // a proxy URL with nothing usable in it
    ['https://cors.zfour.workers.dev/?javascript:alert(1)', ZFOUR, true],
    ['http://a.com/b.png', ZFOUR, false],
    ['https://cors.zfour.workers.dev/?http://a.com/b.png', [], false],
  ])('%s → %s', (raw, prefixes, expected) => {
    expect(isProxyUrl(raw, prefixes)).toBe(expected);
  });
});

describe('cleanUrlString', () => {
  it.each([
    [' \t\n http://a.com/b c.png \r\n\u0000', 'http://a.com/b c.png'],
    ['http://a.com/\tb\nc\r.png', 'http://a.com/bc.png'],
    ['\u001fhttp://a.com/\u0001b.png\u0020', 'http://a.com/\u0001b.png'],
    ['http://a.com/b.png', 'http://a.com/b.png'],
    ['   ', ''],
  ])('%j → %j', (raw, expected) => {
    expect(cleanUrlString(raw)).toBe(expected);
  });
});
