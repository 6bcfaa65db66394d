/**
 * Recognises URLs that go through a public CORS proxy and returns the URL they proxy.
 *
 * Two proxy styles are configured by how the prefix ends (see PROXY_PREFIXES in wrangler.toml):
 * - ends in `?` (or anything but `/`), cors.zfour style: everything after the prefix, byte for byte,
 *   is the target, query string and fragment included (`…/?http://a/b.jpg?x=1&y=2`).
 * - ends in `/`, cors-anywhere style: the rest of the path is the target
 *   (`https://host/https://example.com/a.jpg`, also `https:/example.com/a.jpg` as some proxies
 *   collapse `//`, and a bare `example.com/a.jpg`, which cors-anywhere fetches over http).
 *
 * Matching follows what a browser would request: surrounding whitespace/control characters are
 * ignored and tabs/newlines inside are removed (WHATWG URL parsing), the scheme may be http, https
 * or absent (protocol-relative) and the host is compared case-insensitively.
 */

interface CompiledPrefix {
  /** Lower-case host (with port if the prefix has one). */
  host: string;
  /** Path and query part of the prefix, always starting with `/` (`/?` for cors.zfour). */
  path: string;
  /** cors-anywhere style: the target is the rest of the path. */
  pathStyle: boolean;
}

const PREFIX_SHAPE = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)([\s\S]*)$/i;
const RAW_SHAPE = /^(?:https?:)?\/\/([^/?#]*)([\s\S]*)$/i;

const compiledCache = new WeakMap<readonly string[], CompiledPrefix[]>();

function normalisePath(path: string): string {
  // `https://host?x` and `https://host/?x` are the same URL.
  return path.startsWith('/') ? path : `/${path}`;
}

function compile(prefixes: readonly string[]): CompiledPrefix[] {
  const hit = compiledCache.get(prefixes);
  if (hit) return hit;
  const compiled: CompiledPrefix[] = [];
  for (const prefix of prefixes) {
    const trimmed = prefix.trim();
    // A prefix configured without a scheme (`cors.example.com/?`) names a host all the same.
    const m = PREFIX_SHAPE.exec(/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(trimmed) ? trimmed : `//${trimmed}`);
    if (!m || !m[1]) continue;
    const path = normalisePath(m[2] ?? '');
    compiled.push({ host: m[1].toLowerCase(), path, pathStyle: path.endsWith('/') });
  }
  compiledCache.set(prefixes, compiled);
  return compiled;
}

/** What a browser does to an attribute URL before parsing it: trim C0/space, drop tab/CR/LF. */
export function cleanUrlString(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
}

const ENCODED_START = /^(?:https?%3a|%2f%2f)/i;
const SCHEME_SLASHES = /^(https?):[/\\]*/i;
const BARE_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d{1,5})?\//i;

/** Turns the text after a prefix into an absolute URL string ('' when it cannot be decoded). */
function normaliseTarget(target: string, pathStyle: boolean): string | null {
  let t = target;
  if (ENCODED_START.test(t)) {
    // `?https%3A%2F%2Fexample.com%2Fa.jpg`: the whole target was encoded once; decode once.
    try {
      t = decodeURIComponent(t);
    } catch {
      return '';
    }
  }
  if (t.startsWith('//')) return `https:${t}`;
  const scheme = SCHEME_SLASHES.exec(t);
  if (scheme?.[1]) return `${scheme[1].toLowerCase()}://${t.slice(scheme[0].length)}`;
  if (pathStyle) {
    // cors-anywhere: `/example.com/a.jpg` (a host, then a path) means http://example.com/a.jpg;
    // any other path (`/`, `/favicon.ico`) is the proxy's own page, not a proxied URL.
    return BARE_HOST.test(t) ? `http://${t}` : null;
  }
  return t;
}

function unwrapOnce(cleaned: string, compiled: readonly CompiledPrefix[]): string | null {
  const m = RAW_SHAPE.exec(cleaned);
  if (!m || !m[1]) return null;
  const host = m[1].toLowerCase();
  const rest = normalisePath(m[2] ?? '');
  for (const prefix of compiled) {
    if (prefix.host !== host || !rest.startsWith(prefix.path)) continue;
    const target = normaliseTarget(rest.slice(prefix.path.length), prefix.pathStyle);
    if (target !== null) return target;
  }
  return null;
}

/**
 * If `raw` (an attribute value as the parser decoded it) is a URL through one of `proxyPrefixes`,
 * returns the URL it proxies; otherwise null.
 *
 * The result is NOT validated: it may be `javascript:…`, a private address or relative junk,
 * and is `''` for a proxy URL with nothing (or undecodable text) after the prefix. Callers decide
 * with `parsePublicHttpUrl` whether it may be used. Proxies of proxies are unwrapped fully.
 */
export function unwrapProxyUrl(raw: string, proxyPrefixes: string[]): string | null {
  const compiled = compile(proxyPrefixes);
  if (compiled.length === 0) return null;
  let current = cleanUrlString(raw);
  let result: string | null = null;
  for (let depth = 0; depth < 5; depth++) {
    const next = unwrapOnce(current, compiled);
    if (next === null) break;
    result = next;
    current = next;
  }
  return result;
}

/** True when `raw` is a URL through one of the proxies (whether or not its target is usable). */
export function isProxyUrl(raw: string, proxyPrefixes: string[]): boolean {
  return unwrapProxyUrl(raw, proxyPrefixes) !== null;
}
