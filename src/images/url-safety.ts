/**
 * Which URLs may be fetched by the image route (and so may be routed by the rewrite at all).
 * Only http(s) to a public host: never loopback, private (RFC 1918 / RFC 4193), link-local
 * (RFC 3927 / RFC 4291), CGNAT, unspecified or `localhost` names, so a post or a redirect cannot
 * make the Worker reach internal services (SSRF).
 */

function ipv4Octets(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

function isBlockedIpv4(o: number[]): boolean {
  const [a = 0, b = 0] = o;
  return (
    a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 192 && b === 0 && o[2] === 0) ||
    (a === 198 && (b === 18 || b === 19)) || a >= 224
  );
}

function isBlockedIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '::' || h === '::1') return true;
  if (/^f[cd]/.test(h)) return true; // unique local fc00::/7
  if (/^fe[89a-f]/.test(h)) return true; // link-local fe80::/10 and deprecated site-local fec0::/10
  // NAT64 (64:ff9b::/96), 6to4 (2002::/16) and SIIT (::ffff:0:0/96) embed an IPv4 address that
  // may be loopback or private: refuse them outright rather than decode every form.
  if (/^64:ff9b:/.test(h) || /^2002:/.test(h) || /^::ffff:0:/.test(h)) return true;
  if (/^ff/.test(h)) return true; // multicast
  // IPv4-mapped/compatible (::ffff:127.0.0.1 or ::ffff:7f00:1): judge the embedded IPv4.
  const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped?.[1]) {
    const o = ipv4Octets(mapped[1]);
    return o ? isBlockedIpv4(o) : true;
  }
  const mappedHex = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mappedHex?.[1] && mappedHex[2]) {
    const hi = parseInt(mappedHex[1], 16);
    const lo = parseInt(mappedHex[2], 16);
    return isBlockedIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  return false;
}

/** True when `hostname` (as the URL parser gives it) is a name or a public IP literal. */
export function isPublicHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === '' || host === 'localhost' || host.endsWith('.localhost')) return false;
  if (host.startsWith('[') || host.includes(':')) return !isBlockedIpv6(host);
  // WHATWG URL parsing already normalises 0x7f.1, 2130706433 and friends to dotted quads.
  const v4 = ipv4Octets(host);
  if (v4) return !isBlockedIpv4(v4);
  // Underscores occur in real CDN hostnames; a numeric last label would be an IP in disguise.
  return /^[a-z0-9_.-]+$/.test(host) && !/^\d+$/.test(host.split('.').pop() ?? '');
}

/**
 * Ports a Worker's fetch() honours (Cloudflare's list; any other port is silently replaced by
 * the default one). We refuse the rest instead of fetching something else than the URL says,
 * which also keeps image URLs like `http://www.a.com:8002/content/delete/87343` (a CSRF example
 * in fixture 18) from ever being requested.
 */
const ALLOWED_PORTS = new Set(['', '8080', '8880', '2052', '2082', '2086', '2095', '2053', '2083', '2087', '2096', '8443']);

/** Parses `raw` and returns it when it is an absolute http(s) URL to a public host and port. */
export function parsePublicHttpUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  if (!ALLOWED_PORTS.has(url.port)) return null;
  return isPublicHostname(url.hostname) ? url : null;
}
