import { describe, expect, it } from 'vitest';
import { parsePublicHttpUrl } from '../../../src/images/url-safety';

describe('parsePublicHttpUrl', () => {
  it.each([
    'http://zkres1.myzaker.com/a.jpg',
    'https://img_cdn.example.com/a.jpg',
    'https://example.com:443/a.jpg',
    'http://example.com:8080/a.jpg',
    'https://example.com:8443/a.jpg',
    'http://93.184.216.34/a.png',
    'http://[2606:4700::6810:84e5]/a.png',
  ])('accepts %s', (url) => {
    expect(parsePublicHttpUrl(url)).not.toBeNull();
  });

  it.each([
    ['a non-web scheme', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://example.com/a.jpg'],
    ['credentials', 'http://user:pass@example.com/a.jpg'],
    ['a port fetch() would not honour', 'http://www.a.com:8002/content/delete/87343'],
    ['a database port', 'http://example.com:6379/'],
    ['localhost', 'http://localhost/a.png'],
    ['a .localhost name', 'http://x.localhost/a.png'],
    ['loopback', 'http://127.0.0.1/a.png'],
    ['loopback in hex', 'http://0x7f.1/a.png'],
    ['loopback as an integer', 'http://2130706433/a.png'],
    ['RFC 1918', 'http://10.0.0.1/a.png'],
    ['RFC 1918 172.16/12', 'http://172.20.1.1/a.png'],
    ['RFC 1918 192.168/16', 'http://192.168.1.1/a.png'],
    ['link-local metadata', 'http://169.254.169.254/latest/meta-data'],
    ['CGNAT', 'http://100.64.0.1/a.png'],
    ['unspecified', 'http://0.0.0.0/a.png'],
    ['IPv6 loopback', 'http://[::1]/a.png'],
    ['IPv6 unique local', 'http://[fd00::1]/a.png'],
    ['IPv6 link-local', 'http://[fe80::1]/a.png'],
    ['IPv6 site-local', 'http://[fec0::1]/a.png'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/a.png'],
    ['NAT64 with embedded loopback', 'http://[64:ff9b::7f00:1]/a.png'],
    ['6to4 with embedded loopback', 'http://[2002:7f00:1::]/a.png'],
    ['SIIT', 'http://[::ffff:0:7f00:1]/a.png'],
    ['not a URL', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(parsePublicHttpUrl(url)).toBeNull();
  });
});
