/**
 * Which upstream redirects the image route follows (src/images/redirect-policy.ts), pure, in
 * Node. Expected URLs are written out per case; tests/worker/images/image-route-security.test.ts
 * covers the same rules through the route.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REDIRECTS, isAllowedRedirectHost, isRedirectStatus, nextHop } from '../../../src/images/redirect-policy';

describe('isRedirectStatus', () => {
  it.each([
    [301, true],
    [302, true],
    [303, true],
    [307, true],
    [308, true],
    [300, false], // Multiple Choices: no single target
    [304, false],
    [305, false],
    [306, false],
    [200, false],
    [404, false],
  ])('%i → %s', (status, expected) => {
    expect(isRedirectStatus(status)).toBe(expected);
  });

  it('allows at most 4 redirects', () => {
    expect(MAX_REDIRECTS).toBe(4);
  });
});

describe('isAllowedRedirectHost', () => {
  const original = new URL('https://img.example.com/a/b.png');
  it.each<[string, string, string[], boolean]>([
    ['the same host', 'https://img.example.com/x', [], true],
    ['the same host over http', 'http://img.example.com/x', [], true],
    ['the same host on another port', 'https://img.example.com:8443/x', [], true],
    ['the same host, upper case, trailing dot', 'https://IMG.example.com./x', [], true],
    ['an allowlisted host', 'https://cdn.example.net/x', ['cdn.example.net'], true],
    ['an allowlisted host with a trailing dot', 'https://cdn.example.net./x', ['cdn.example.net'], true],
    ['an allowlisted host, second in the list', 'https://cdn2.example.net/x', ['cdn.example.net', 'cdn2.example.net'], true],
    ['a subdomain of an allowlisted host', 'https://a.cdn.example.net/x', ['cdn.example.net'], false],
    ['a parent of the original host', 'https://example.com/x', [], false],
    ['a subdomain of the original host', 'https://a.img.example.com/x', [], false],
    ['another host, empty allowlist', 'https://cdn.example.net/x', [], false],
  ])('%s → %s', (_name, target, allowlist, expected) => {
    expect(isAllowedRedirectHost(new URL(target), original, allowlist)).toBe(expected);
  });

  it('ignores a trailing dot on the original host too', () => {
    expect(isAllowedRedirectHost(new URL('https://img.example.com/x'), new URL('https://IMG.Example.com./a.png'), [])).toBe(true);
  });
});

describe('nextHop', () => {
  const original = new URL('https://img.example.com/a/b.png');
  const current = new URL('https://img.example.com/x/y/z.png');
  it.each<[string, string | null, string[], string | null]>([
    ['a relative path', '../w.png', [], 'https://img.example.com/x/w.png'],
    ['a query only', '?v=2', [], 'https://img.example.com/x/y/z.png?v=2'],
    ['an absolute path', '/other.png', [], 'https://img.example.com/other.png'],
    ['an absolute URL to the same host over http', 'http://img.example.com/c.png', [], 'http://img.example.com/c.png'],
    ['a protocol-relative URL to an allowlisted host', '//cdn.example.net/c.png', ['cdn.example.net'], 'https://cdn.example.net/c.png'],
    ['surrounding whitespace', '  /c.png ', [], 'https://img.example.com/c.png'],
    ['no Location', null, [], null],
    ['an empty Location', '', [], null],
    ['a blank Location', '   ', [], null],
    ['an unparseable Location', 'http://[::1', [], null],
    ['another host', 'https://evil.example.net/c.png', [], null],
    ['a private address', 'http://127.0.0.1/c.png', ['127.0.0.1'], null],
    ['localhost, even allowlisted', 'http://localhost/c.png', ['localhost'], null],
    ['a non-web scheme', 'ftp://img.example.com/c.png', [], null],
    ['javascript:', 'javascript:alert(1)', [], null],
    ['a port a Worker does not honour', 'https://img.example.com:6379/c.png', [], null],
    ['credentials', 'https://u:p@img.example.com/c.png', [], null],
  ])('%s → %s', (_name, location, allowlist, expected) => {
    expect(nextHop(location, current, original, allowlist)?.href ?? null).toBe(expected);
  });

  it('judges the host against the original, not the current hop', () => {
    const hop = new URL('https://cdn.example.net/1.png');
    expect(nextHop('https://cdn.example.net/2.png', hop, original, [])).toBeNull();
    expect(nextHop('https://img.example.com/2.png', hop, original, [])?.href).toBe('https://img.example.com/2.png');
    expect(nextHop('/2.png', hop, original, ['cdn.example.net'])?.href).toBe('https://cdn.example.net/2.png');
  });
});
