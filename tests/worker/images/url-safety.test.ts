import { describe, expect, it } from 'vitest';
import { hostnameProblem, isPublicAddress, parsePublicHttpUrl } from '../../../src/images/url-safety';

describe('parsePublicHttpUrl', () => {
  it.each([
    'http://zkres1.myzaker.com/a.jpg',
    'https://img_cdn.example.com/a.jpg',
    'https://example.com:443/a.jpg',
    'http://example.com:8080/a.jpg',
    'https://example.com:8443/a.jpg',
    'https://IMG.Example.COM./a.jpg',
    'http://93.184.216.34/a.png',
    'http://[2606:4700::6810:84e5]/a.png',
    'http://[::ffff:93.184.216.34]/a.png',
    'https://xn--fiqs8s.xn--fiqs8s/a.png', // 中国.中国 (IDN, punycoded by the parser)
    'https://cdn.localhost-images.com/a.png', // "localhost" as part of a label is just a name
    'https://8.8.8.8.nip.io/a.png',
    'https://app-93-184-216-34.sslip.io/a.png',
    'https://testing.example.org/a.png',
    'https://internal.example.com/a.png',
  ])('accepts %s', (url) => {
    expect(parsePublicHttpUrl(url)?.href).toBe(new URL(url).href);
  });

  it.each([
    ['a non-web scheme', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://example.com/a.jpg'],
    ['credentials', 'http://user:pass@example.com/a.jpg'],
    ['a port fetch() would not honour', 'http://www.a.com:8002/content/delete/87343'],
    ['a database port', 'http://example.com:6379/'],
    ['localhost', 'http://localhost/a.png'],
    ['localhost with a trailing dot', 'http://localhost./a.png'],
    ['a .localhost name', 'http://x.localhost/a.png'],
    ['loopback', 'http://127.0.0.1/a.png'],
    ['loopback in hex', 'http://0x7f.1/a.png'],
    ['loopback as an integer', 'http://2130706433/a.png'],
    ['loopback in octal', 'http://0177.0.0.1/a.png'],
    ['RFC 1918', 'http://10.0.0.1/a.png'],
    ['RFC 1918 172.16/12', 'http://172.20.1.1/a.png'],
    ['RFC 1918 192.168/16', 'http://192.168.1.1/a.png'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data'],
    ['CGNAT', 'http://100.64.0.1/a.png'],
    ['unspecified', 'http://0.0.0.0/a.png'],
    ['"this network"', 'http://0.1.2.3/a.png'],
    ['broadcast', 'http://255.255.255.255/a.png'],
    ['multicast', 'http://224.0.0.1/a.png'],
    ['reserved 240/4', 'http://240.0.0.1/a.png'],
    ['documentation TEST-NET-3', 'http://203.0.113.7/a.png'],
    ['benchmarking 198.18/15', 'http://198.18.0.1/a.png'],
    ['IETF protocol assignments 192.0.0/24', 'http://192.0.0.8/a.png'],
    ['IPv6 loopback', 'http://[::1]/a.png'],
    ['IPv6 unspecified', 'http://[::]/a.png'],
    ['IPv6 unique local', 'http://[fd00::1]/a.png'],
    ['IPv6 link-local', 'http://[fe80::1]/a.png'],
    ['IPv6 site-local', 'http://[fec0::1]/a.png'],
    ['IPv6 multicast', 'http://[ff02::1]/a.png'],
    ['IPv6 documentation', 'http://[2001:db8::1]/a.png'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/a.png'],
    ['IPv4-mapped private, hex form', 'http://[::ffff:a00:1]/a.png'],
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]/a.png'],
    ['IPv4-compatible public', 'http://[::8.8.8.8]/a.png'],
    ['NAT64 with embedded loopback', 'http://[64:ff9b::7f00:1]/a.png'],
    ['NAT64 with an embedded public address', 'http://[64:ff9b::808:808]/a.png'],
    ['6to4 with embedded loopback', 'http://[2002:7f00:1::]/a.png'],
    ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/a.png'],
    ['SIIT', 'http://[::ffff:0:7f00:1]/a.png'],
    ['a single-label name', 'http://intranet-host/x.png'],
    ['a single-label VM name', 'http://vm/x.png'],
    ['ip6-localhost', 'http://ip6-localhost/x.png'],
    ['cloud metadata by name', 'http://metadata.google.internal/computeMetadata/v1/'],
    ['.local (mDNS)', 'http://printer.local/a.png'],
    ['.home.arpa', 'http://nas.home.arpa/a.png'],
    ['.lan', 'http://router.lan/a.png'],
    ['.corp', 'http://wiki.corp/a.png'],
    ['.intranet', 'http://img.intranet/a.png'],
    ['.localdomain', 'http://localhost.localdomain/a.png'],
    ['.test', 'http://img.test/a.png'],
    ['.example', 'http://img.example/a.png'],
    ['.invalid', 'http://img.invalid/a.png'],
    ['.onion', 'http://abc.onion/a.png'],
    ['a loopback wildcard-DNS service', 'http://anything.localtest.me/a.png'],
    ['lvh.me', 'http://lvh.me/a.png'],
    ['nip.io with loopback', 'http://127.0.0.1.nip.io/a.png'],
    ['nip.io with a prefix and a private address', 'http://app.10.0.0.1.nip.io/a.png'],
    ['nip.io, dashed private address', 'http://app-192-168-1-1.nip.io/a.png'],
    ['nip.io, hex loopback', 'http://7f000001.nip.io/a.png'],
    ['nip.io, one public and one private reading', 'http://8-8-8-8-10-0-0-1.nip.io/a.png'],
    ['nip.io with no address in it', 'http://nip.io/a.png'],
    ['sslip.io with loopback', 'http://127-0-0-1.sslip.io/a.png'],
    ['sslip.io with IPv6 loopback', 'http://--1.sslip.io/a.png'],
    ['not a URL', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(parsePublicHttpUrl(url)).toBeNull();
  });
});

describe('hostnameProblem says why', () => {
  it.each([
    ['vm', 'single-label name (resolved locally, never by public DNS)'],
    ['metadata.google.internal', 'special-use or private name (.internal)'],
    ['x.localtest.me', 'localtest.me resolves every name to loopback'],
    ['127.0.0.1.nip.io', 'nip.io name without a public IPv4 address in it'],
    ['127.0.0.1', 'non-public IPv4 address'],
    ['[::1]', 'non-public IPv6 address'],
    ['', 'empty host'],
    ['a..b.com', 'not a DNS name'],
    ['img.example.com', null],
  ])('%s → %s', (host, expected) => {
    expect(hostnameProblem(host)).toBe(expected);
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2606:4700::6810:84e5', true],
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['127.1', false], // not a four-part address
    ['256.1.1.1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('every listed name and port', () => {
  it.each([
    'localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'corp', 'home', 'mail', 'private',
    'arpa', 'test', 'invalid', 'example', 'onion', 'alt',
  ])('refuses names under .%s, and the suffix alone', (suffix) => {
    expect(hostnameProblem(`img.${suffix}`)).toBe(`special-use or private name (.${suffix})`);
    expect(parsePublicHttpUrl(`http://img.${suffix}/a.png`)).toBeNull();
    // A label that only ends with the suffix is another name.
    expect(hostnameProblem(`img.my${suffix}`)).toBeNull();
  });

  it.each(['localtest.me', 'lvh.me', 'vcap.me', 'fuf.me', 'lacolhost.com', 'localho.st', 'localhost.direct', 'local.gd'])('refuses %s and every name under it', (service) => {
    expect(hostnameProblem(service)).toBe(`${service} resolves every name to loopback`);
    expect(hostnameProblem(`img.${service}`)).toBe(`${service} resolves every name to loopback`);
    expect(hostnameProblem(`img-${service}`)).toBeNull();
  });

  it.each(['nip.io', 'sslip.io', 'xip.io', 'traefik.me', 'local-ip.co'])('reads the address in names under %s', (service) => {
    expect(hostnameProblem(`8.8.8.8.${service}`)).toBeNull();
    expect(hostnameProblem(`app-8-8-8-8.${service}`)).toBeNull();
    expect(hostnameProblem(`10.0.0.1.${service}`)).toBe(`${service} name without a public IPv4 address in it`);
    expect(hostnameProblem(`app.${service}`)).toBe(`${service} name without a public IPv4 address in it`);
  });

  it.each(['8080', '8880', '2052', '2082', '2086', '2095', '2053', '2083', '2087', '2096', '8443'])('accepts port %s (one a Worker\'s fetch honours)', (port) => {
    expect(parsePublicHttpUrl(`http://example.com:${port}/a.png`)?.port).toBe(port);
    expect(parsePublicHttpUrl(`https://example.com:${port}/a.png`)?.port).toBe(port);
  });

  it('accepts each scheme\'s default port, written or not, and not the other scheme\'s', () => {
    expect(parsePublicHttpUrl('http://example.com:80/a.png')?.href).toBe('http://example.com/a.png');
    expect(parsePublicHttpUrl('https://example.com:443/a.png')?.href).toBe('https://example.com/a.png');
    expect(parsePublicHttpUrl('https://example.com:80/a.png')).toBeNull();
    expect(parsePublicHttpUrl('http://example.com:443/a.png')).toBeNull();
  });

  it.each(['21', '22', '81', '3000', '8000', '8081', '8444', '2051', '9000'])('refuses port %s', (port) => {
    expect(parsePublicHttpUrl(`https://example.com:${port}/a.png`)).toBeNull();
  });
});

describe('IP addresses embedded in names (nip.io and friends), reading by reading', () => {
  it.each<[string, string | null]>([
    // An 8-hex-digit label is an address too: 08080808 is 8.8.8.8, c0a80101 is 192.168.1.1.
    ['08080808.nip.io', null],
    ['app-08080808.nip.io', null],
    ['c0a80101.nip.io', 'nip.io name without a public IPv4 address in it'],
    ['C0A80101.nip.io', 'nip.io name without a public IPv4 address in it'], // upper case: the host is lower-cased first
    // Tokens that are only nearly numbers or hex are not read …
    ['a1-8-8-8-8.nip.io', null],
    ['app-1234-8-8-8-8.nip.io', null],
    ['8-8-8-8-1a.nip.io', null],
    ['8-8-8-8-zzzzzzzz.nip.io', null],
    ['8-8-8-8-7f0000011.nip.io', null],
    ['8-8-8-8-x7f000001.nip.io', null],
    // … but every reading that is an address counts, the worst decides.
    ['8-8-8-8-7f000001.nip.io', 'nip.io name without a public IPv4 address in it'],
    ['app-010-8-8-8.nip.io', 'nip.io name without a public IPv4 address in it'], // not a decimal quad
  ])('%s → %s', (host, expected) => {
    expect(hostnameProblem(host)).toBe(expected);
  });
});

describe('hostnameProblem edge cases', () => {
  it.each<[string, string | null]>([
    ['img.a1', null],
    ['img.1a', null],
    ['IMG.Example.COM.', null],
    ['!img.example.com', 'not a DNS name'],
    ['img.example.com!', 'not a DNS name'],
    ['img example.com', 'not a DNS name'],
    ['.example.com', 'not a DNS name'],
    ['8.8.8.8', null],
    ['1.2.3.256', 'non-public IPv4 address'],
    ['[2606:4700::6810:84e5]', null],
    ['[::ffff:7f00:1]', 'non-public IPv6 address'],
  ])('%j → %j', (host, expected) => {
    expect(hostnameProblem(host)).toBe(expected);
  });

  it.each([
    ['http://img.a1/a.png', 'http://img.a1/a.png'],
    ['http://img.1a/a.png', 'http://img.1a/a.png'],
  ])('accepts %s (a last label that is not all digits)', (url, href) => {
    expect(parsePublicHttpUrl(url)?.href).toBe(href);
  });

  it.each([
    ['a user name only', 'http://user@example.com/a.png'],
    ['a password only', 'http://:secret@example.com/a.png'],
  ])('refuses credentials: %s', (_name, url) => {
    expect(parsePublicHttpUrl(url)).toBeNull();
  });
});

describe('isPublicAddress: only four-part decimal IPv4', () => {
  it.each(['8.8.2056', '134744072', '0x8.8.8.8', '010.8.8.8', '8.8.8'])('refuses %s (ipaddr.js would read it as a public address)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});
