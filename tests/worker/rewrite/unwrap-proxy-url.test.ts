import { describe, expect, it } from 'vitest';
import { unwrapProxyUrl } from '../../../src/rewrite/proxy-url';
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
