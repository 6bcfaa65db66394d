import { afterEach, describe, expect, it, vi } from 'vitest';
import { imageRoutePath } from '../../../src/images/image-url';
import {
  call,
  env,
  imageResponse,
  KEY,
  PNG,
  redirect,
  scriptUpstream,
  SITE,
  subPath,
  uniqueImageUrl,
  upstreamRequests,
} from './helpers';

afterEach(() => vi.restoreAllMocks());

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Replaces the character at `index` with a different base64url character. */
function flip(text: string, index: number): string {
  const i = index < 0 ? text.length + index : index;
  const current = text[i] ?? 'A';
  const replacement = B64URL[(B64URL.indexOf(current) + 1) % B64URL.length] ?? 'A';
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

function parts(path: string): { sig: string; payload: string } {
  const [, sig = '', payload = ''] = path.split('/');
  return { sig, payload };
}

describe('only signed route URLs reach upstream', () => {
  const a = subPath('https://img.example.com/a.png');
  const b = subPath('https://other.example.net/b.png');
  const { sig, payload } = parts(a);
  const other = parts(b);
  // Its payload ends in '-', the character standard base64 spells '+'.
  const urlSafe = parts(subPath('https://img.example.com/a10.png?q=~>'));
  const evilPayload = Buffer.from('https://evil.example.net/a.png').toString('base64url');

  const tampered: { name: string; path: string }[] = [
    { name: 'a flipped first signature character', path: `/${flip(sig, 0)}/${payload}` },
    { name: 'a flipped last signature character', path: `/${flip(sig, -1)}/${payload}` },
    { name: 'a flipped first payload character', path: `/${sig}/${flip(payload, 0)}` },
    { name: 'a flipped middle payload character', path: `/${sig}/${flip(payload, 10)}` },
    { name: 'a flipped last payload character (non-canonical base64)', path: `/${sig}/${flip(payload, -1)}` },
    { name: "another URL's payload with this signature", path: `/${sig}/${other.payload}` },
    { name: "this payload with another URL's signature", path: `/${other.sig}/${payload}` },
    { name: 'a payload re-pointed at another host', path: `/${sig}/${evilPayload}` },
    { name: 'a signature under another key', path: subPath('https://img.example.com/a.png', 'not-the-key') },
    { name: 'a truncated signature', path: `/${sig.slice(0, -1)}/${payload}` },
    { name: 'a lengthened signature', path: `/${sig}A/${payload}` },
    { name: 'a padded payload', path: `/${sig}/${payload}=` },
    { name: 'a payload in standard base64 (+ for -)', path: `/${urlSafe.sig}/${urlSafe.payload.replace(/-/g, '+')}` },
    { name: 'an appended path segment', path: `${a}/extra` },
    { name: 'an appended empty segment', path: `${a}/` },
    { name: 'a missing payload', path: `/${sig}` },
    { name: 'an empty route', path: '/' },
    { name: 'an empty payload', path: `/${sig}/` },
  ];

  it.each(tampered)('$name → 404 and no fetch', async ({ path }) => {
    const spy = scriptUpstream(() => imageResponse());
    const { res } = await call(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('not found\n');
    expect(spy).not.toHaveBeenCalled();
  });

  it.each(['?url=https://evil.example.net/x.png', '?', '?sig=x&payload=y', '#frag'])(
    'a query or fragment (%s) never changes the target',
    async (suffix) => {
      const url = uniqueImageUrl();
      const spy = scriptUpstream(() => imageResponse());
      const { res } = await call(`${subPath(url)}${suffix}`);
      expect(res.status).toBe(200);
      expect(upstreamRequests(spy).map((r) => r.url)).toEqual([url]);
    },
  );

  it.each([
    'http://127.0.0.1/x.png',
    'http://localhost/x.png',
    'http://10.0.0.1/x.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/x.png',
    'http://192.168.1.1/x.png',
    'ftp://img.example.com/x.png',
    'file:///etc/passwd',
  ])('a signed URL to a forbidden target (%s) → 403 and no fetch (defence in depth)', async (target) => {
    const spy = scriptUpstream(() => imageResponse());
    const { res } = await call(subPath(target));
    expect(res.status).toBe(403);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(spy).not.toHaveBeenCalled();
  });

  it('the mounted /img prefix is part of what imageRoutePath signs, not of the signature', () => {
    expect(imageRoutePath('https://img.example.com/a.png', KEY, SITE)).toBe(`/img${a}`);
  });
});

describe('redirects', () => {
  function chain(hops: Record<string, () => Response>) {
    return scriptUpstream((request) => {
      const hop = hops[request.url];
      if (!hop) throw new Error(`unscripted upstream ${request.url}`);
      return hop();
    });
  }

  it.each([
    ['an absolute URL on the same host', 'https://img.example.com/moved/a.png', 'https://img.example.com/moved/a.png'],
    ['a relative path', '../moved/a.png?v=2', 'https://img.example.com/moved/a.png?v=2'],
    ['a root-relative path', '/moved/a.png', 'https://img.example.com/moved/a.png'],
    ['http on the same host', 'http://img.example.com/moved/a.png', 'http://img.example.com/moved/a.png'],
  ])('follows a redirect to %s', async (_name, location, resolvedTemplate) => {
    // Unique per case so that no case is answered from another's cache entry.
    const tag = Math.random().toString(36).slice(2);
    const original = `https://img.example.com/dir/a.png?t=${tag}`;
    const resolved = resolvedTemplate.replace('/moved/', `/moved-${tag}/`);
    location = location.replace('/moved/', `/moved-${tag}/`);
    const spy = chain({ [original]: () => redirect(location, 301), [resolved]: () => imageResponse() });
    const { res } = await call(subPath(original));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    expect(upstreamRequests(spy).map((r) => r.url)).toEqual([original, resolved]);
  });

  it.each([302, 303, 307, 308])('follows a %i', async (status) => {
    const original = uniqueImageUrl();
    const next = `${original}?hop`;
    const spy = chain({ [original]: () => redirect(next, status), [next]: () => imageResponse() });
    const { res } = await call(subPath(original));
    expect(res.status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('follows a redirect to a host in IMAGE_HOST_ALLOWLIST (exact match)', async () => {
    const original = uniqueImageUrl();
    const next = 'https://cdn.example.net/allow.png';
    const spy = chain({ [original]: () => redirect(next), [next]: () => imageResponse() });
    const { res } = await call(subPath(original), undefined, { ...env, IMAGE_HOST_ALLOWLIST: 'CDN.example.net, other.example.org' });
    expect(res.status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  const forbidden: { name: string; location: string; allowlist?: string }[] = [
    { name: 'another host', location: 'https://evil.example.net/a.png' },
    { name: 'a protocol-relative other host', location: '//evil.example.net/a.png' },
    { name: 'a subdomain of the original host', location: 'https://cdn.img.example.com/a.png' },
    { name: 'a subdomain of an allowlisted host', location: 'https://a.cdn.example.net/a.png', allowlist: 'cdn.example.net' },
    { name: 'a loopback IP', location: 'http://127.0.0.1/a.png' },
    { name: 'localhost, even when allowlisted', location: 'http://localhost/a.png', allowlist: 'localhost' },
    { name: 'a private IP', location: 'http://10.0.0.5/a.png' },
    { name: 'cloud metadata', location: 'http://169.254.169.254/latest/meta-data/' },
    { name: 'IPv6 loopback', location: 'http://[::1]/a.png' },
    { name: 'an IPv4-mapped IPv6 loopback', location: 'http://[::ffff:127.0.0.1]/a.png' },
    { name: 'a decimal IP for loopback', location: 'http://2130706433/a.png' },
    { name: 'a file URL', location: 'file:///etc/passwd' },
    { name: 'a data URL', location: 'data:image/png;base64,iVBORw0KGgo=' },
    { name: 'a javascript URL', location: 'javascript:alert(1)' },
    { name: 'credentials in the URL', location: 'https://user:pass@img.example.com/a.png' },
    { name: 'an empty Location', location: '' },
  ];

  it.each(forbidden)('refuses a redirect to $name → 502, only the first hop fetched', async ({ location, allowlist }) => {
    const original = uniqueImageUrl();
    const spy = scriptUpstream((request) => (request.url === original ? redirect(location) : imageResponse()));
    const bindings = allowlist === undefined ? env : { ...env, IMAGE_HOST_ALLOWLIST: allowlist };
    const { res } = await call(subPath(original), undefined, bindings);
    expect(res.status).toBe(502);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('image redirect not allowed\n');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('refuses a redirect without a Location header', async () => {
    const spy = scriptUpstream(() => new Response(null, { status: 302 }));
    const { res } = await call(subPath(uniqueImageUrl()));
    expect(res.status).toBe(502);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it.each([
    { redirects: 4, status: 200, fetches: 5 },
    { redirects: 5, status: 502, fetches: 5 },
    { redirects: 20, status: 502, fetches: 5 },
  ])('$redirects redirects → $status after $fetches fetches', async ({ redirects, status, fetches }) => {
    const base = uniqueImageUrl();
    const spy = scriptUpstream((request) => {
      const n = Number(new URL(request.url).searchParams.get('n') ?? '0');
      return n < redirects ? redirect(`${base}?n=${n + 1}`) : imageResponse();
    });
    const { res } = await call(subPath(base));
    expect(res.status).toBe(status);
    if (status === 502) expect(await res.text()).toBe('too many image redirects\n');
    expect(spy).toHaveBeenCalledTimes(fetches);
  });
});

describe('what goes upstream', () => {
  it('fetches the original URL byte for byte (path and query preserved)', async () => {
    const url = 'http://img.example.com/a%20b/c.jpg?x=1&y=%2F';
    const spy = scriptUpstream(() => imageResponse({ type: 'image/jpeg' }));
    const { res } = await call(subPath(url));
    expect(res.status).toBe(200);
    const [request] = upstreamRequests(spy);
    expect(request?.url).toBe(url);
  });

  it.each([
    'https://img.example.com/p%2Fq/%E4%B8%AD%E6%96%87.png?a=%20&b=c+d&c=%3D',
    'https://img.example.com/x.png?',
    'https://img.example.com:8443/x.png?q=%7E~',
    'https://img.example.com/a;b=c/x.png',
  ])('keeps %s exactly', async (url) => {
    const spy = scriptUpstream(() => imageResponse());
    await call(subPath(url));
    expect(upstreamRequests(spy)[0]?.url).toBe(url);
  });

  it('sends only our User-Agent and Accept: no cookies, referer, auth or client headers', async () => {
    const spy = scriptUpstream(() => imageResponse());
    await call(subPath(uniqueImageUrl()), {
      headers: {
        cookie: 'session=secret',
        referer: 'https://site.example/post',
        authorization: 'Bearer secret',
        'x-forwarded-for': '203.0.113.9',
        'cf-connecting-ip': '203.0.113.9',
        'user-agent': 'ClientBrowser/1.0',
        'accept-language': 'zh-CN',
        'if-none-match': '"v1"',
        range: 'bytes=0-1',
      },
    });
    const [request] = upstreamRequests(spy);
    expect(request?.method).toBe('GET');
    expect(request?.redirect).toBe('manual');
    expect(Object.fromEntries(request?.headers ?? [])).toEqual({
      'user-agent': 'edge-content-proxy/1.0 (+image route)',
      accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8',
    });
  });
});

describe('what comes back', () => {
  it('never passes Set-Cookie, hop-by-hop or other upstream headers', async () => {
    const upstreamHeaders: Record<string, string> = {
      'set-cookie': 'tracker=1; Path=/',
      connection: 'keep-alive, x-custom-hop',
      'x-custom-hop': 'secret',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'proxy-authenticate': 'Basic',
      'proxy-connection': 'keep-alive',
      upgrade: 'h2c',
      te: 'trailers',
      trailer: 'x-checksum',
      'access-control-allow-origin': '*',
      'content-disposition': 'attachment; filename=x.html',
      'content-security-policy': "script-src 'unsafe-inline'",
      'cache-control': 'private, no-cache',
      'x-powered-by': 'PHP/5.4',
      server: 'nginx',
      link: '<https://evil.example.net/>; rel=preload',
      refresh: '0; url=https://evil.example.net/',
      'strict-transport-security': 'max-age=0',
      vary: '*',
    };
    scriptUpstream(() => imageResponse({ headers: upstreamHeaders }));
    const { res } = await call(subPath(uniqueImageUrl()));
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].sort()).toEqual([
      'cache-control',
      'content-length',
      'content-security-policy',
      'content-type',
      'cross-origin-resource-policy',
      'server-timing',
      'x-content-type-options',
    ]);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('serves SVG with the sandboxing CSP and nosniff', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>';
    scriptUpstream(() => imageResponse({ type: 'image/svg+xml; charset=utf-8', body: svg }));
    const { res } = await call(subPath(uniqueImageUrl('svg')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(svg);
  });

  it.each(['image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'IMAGE/PNG', 'image/x-icon'])(
    'serves %s with its (lower-cased) type',
    async (type) => {
      scriptUpstream(() => imageResponse({ type }));
      const { res } = await call(subPath(uniqueImageUrl()));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type.toLowerCase());
    },
  );
});
