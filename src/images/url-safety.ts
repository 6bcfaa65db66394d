/**
 * Which URLs may be fetched by the image route (and so may be routed by the rewrite at all):
 * http(s) on a port a Worker honours, to a host that can be a public image host.
 *
 * These are string rules on the URL, a first line of defence only: a name like
 * `img.example-intranet.com` may still resolve to a private address, and only the runtime's
 * outbound network can see that (Cloudflare refuses private destinations; `npm run dev` and
 * self-hosted workerd restrict the outbound network to public addresses: docs/image-route.md).
 *
 * - IP literals: only what ipaddr.js classifies as `unicast` (so never loopback, private,
 *   link-local, CGNAT, unspecified, broadcast, multicast, reserved/documentation, benchmarking,
 *   NAT64, 6to4, Teredo, …); an IPv4-mapped IPv6 address is judged by its IPv4 address, and the
 *   deprecated IPv4-compatible block ::/96 is refused.
 * - Names: never single-label names (`vm`, `intranet-host`, `ip6-localhost`: resolved by search
 *   domains or /etc/hosts, never by public DNS), never special-use or private-use suffixes
 *   (SPECIAL_USE_SUFFIXES), never wildcard-DNS services that map every name to loopback
 *   (LOOPBACK_DNS_SERVICES), and names under IP-embedding services (`10.0.0.1.nip.io`) only when
 *   every address they embed is public.
 */
import ipaddr from 'ipaddr.js';

/**
 * Suffixes no public image host can have. RFC 6761 (localhost, invalid, test, example), RFC 6762
 * (local), RFC 7686 (onion), RFC 8375 (home.arpa; all of .arpa is infrastructure), RFC 9476
 * (alt), ICANN's private-use `internal` (2024), and the never-delegated names that private
 * networks use (ICANN name-collision list: corp, home, mail, lan, intranet, private,
 * localdomain). Real domains such as example.com stay allowed: they resolve publicly.
 */
export const SPECIAL_USE_SUFFIXES: readonly string[] = [
  'localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'corp', 'home', 'mail', 'private',
  'arpa', 'test', 'invalid', 'example', 'onion', 'alt',
];

/** Public wildcard-DNS services that resolve every name below them to 127.0.0.1. */
export const LOOPBACK_DNS_SERVICES: readonly string[] = [
  'localtest.me', 'lvh.me', 'vcap.me', 'fuf.me', 'lacolhost.com', 'localho.st', 'localhost.direct', 'local.gd',
];

/** Wildcard-DNS services that resolve a name to the IP address written in it (`a.10.0.0.1.nip.io`, `a-10-0-0-1.sslip.io`). */
export const IP_EMBEDDING_DNS_SERVICES: readonly string[] = ['nip.io', 'sslip.io', 'xip.io', 'traefik.me', 'local-ip.co'];

function isUnder(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

/**
 * True when `address` (an IPv4 dotted quad or an IPv6 address without brackets) is public
 * unicast by ipaddr.js's classification.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291): ipaddr.js calls most of it unicast.
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
  } else if (!ipaddr.IPv4.isValidFourPartDecimal(address)) {
    return false; // `127.1` and friends: the URL parser never produces them, so refuse.
  }
  return ip.range() === 'unicast';
}

/**
 * Every IPv4 address that could be read from `labels`: any four consecutive decimal tokens
 * (split on dots and dashes: `10.0.0.1`, `10-0-0-1`, `app-10-0-0-1`) and any 8-digit hex token
 * (`c0a80101`). Overlapping readings all count, so an ambiguous name is judged by its worst one.
 */
function embeddedIpv4(labels: readonly string[]): string[] {
  const tokens = labels.join('.').split(/[.-]/);
  const found: string[] = [];
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const quad = tokens.slice(i, i + 4);
    if (quad.every((token) => /^\d{1,3}$/.test(token))) found.push(quad.join('.'));
  }
  for (const token of tokens) {
    if (/^[0-9a-f]{8}$/.test(token)) found.push([0, 2, 4, 6].map((at) => Number.parseInt(token.slice(at, at + 2), 16)).join('.'));
  }
  return found;
}

/**
 * Why `hostname` (as the WHATWG URL parser gives it) cannot be a public image host, or null when
 * it can. The reasons are for tests and logs.
 */
export function hostnameProblem(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === '') return 'empty host';
  if (host.startsWith('[')) return isPublicAddress(host.slice(1, -1)) ? null : 'non-public IPv6 address';
  const labels = host.split('.');
  // The URL parser turns any host whose last label is numeric into a dotted quad (or fails).
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return isPublicAddress(host) ? null : 'non-public IPv4 address';
  if (!/^[a-z0-9_.-]+$/.test(host) || labels.some((label) => label === '')) return 'not a DNS name';
  if (labels.length < 2) return 'single-label name (resolved locally, never by public DNS)';
  const special = SPECIAL_USE_SUFFIXES.find((suffix) => isUnder(host, suffix));
  if (special !== undefined) return `special-use or private name (.${special})`;
  const loopback = LOOPBACK_DNS_SERVICES.find((service) => isUnder(host, service));
  if (loopback !== undefined) return `${loopback} resolves every name to loopback`;
  const embedding = IP_EMBEDDING_DNS_SERVICES.find((service) => isUnder(host, service));
  if (embedding !== undefined) {
    const addresses = embeddedIpv4(labels.slice(0, -embedding.split('.').length));
    if (addresses.length === 0 || !addresses.every(isPublicAddress)) return `${embedding} name without a public IPv4 address in it`;
  }
  return null;
}

/** True when `hostname` (as the URL parser gives it) is a public IP literal or a name that may be public. */
export function isPublicHostname(hostname: string): boolean {
  return hostnameProblem(hostname) === null;
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
