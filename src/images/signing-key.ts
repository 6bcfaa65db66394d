/**
 * Whether IMAGE_SIGNING_KEY may be used to sign image-route URLs.
 *
 * A missing key must not be reported as anything else (it used to surface as "KV unavailable"),
 * and the development key from .dev.vars.example is public (it is in the repository): a Worker
 * reachable from anywhere but the developer's own machine that signed with it would be an open
 * image proxy for anyone who reads the repository. So the development key is only accepted while
 * SITE_URL is a local origin. Pure functions: the Worker and the Node scripts share them.
 */

/** The value of .dev.vars.example; never valid outside local development. */
export const DEV_SIGNING_KEY = 'dev-only-insecure-image-signing-key';

const PUT_SECRET = 'set a long random value with `npx wrangler secret put IMAGE_SIGNING_KEY`';

/**
 * True for an http(s) origin on this machine: `localhost` (and `*.localhost`, which RFC 6761
 * §6.3 reserves for loopback), 127.0.0.0/8 or [::1]. Anything else, an unparseable value
 * included, is not local.
 */
export function isLocalOrigin(siteUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(siteUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  // The WHATWG parser has already turned 0x7f.1, 2130706433 and friends into dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Null when `key` may sign image URLs for a site at `siteUrl`; otherwise one line saying what is
 * wrong and how to fix it (for the log, never for clients).
 */
export function signingKeyProblem(key: string | undefined, siteUrl: string): string | null {
  if (key === undefined || key.trim() === '') {
    return `IMAGE_SIGNING_KEY is not set: ${PUT_SECRET} (for local development, \`npm run dev\` creates .dev.vars)`;
  }
  if (key.trim() === DEV_SIGNING_KEY && !isLocalOrigin(siteUrl)) {
    return `IMAGE_SIGNING_KEY is the public development key from .dev.vars.example, but SITE_URL (${siteUrl}) is not a local origin: ${PUT_SECRET}`;
  }
  return null;
}

/** Thrown instead of signing with a key that signingKeyProblem refuses; `problem` is the log line. */
export class SigningKeyError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'SigningKeyError';
  }
}

let memo: { key: string | undefined; siteUrl: string; problem: string | null } | null = null;

/** signingKeyProblem, remembered for the last (key, siteUrl) pair: called once per signed image. */
export function cachedSigningKeyProblem(key: string | undefined, siteUrl: string): string | null {
  if (memo === null || memo.key !== key || memo.siteUrl !== siteUrl) memo = { key, siteUrl, problem: signingKeyProblem(key, siteUrl) };
  return memo.problem;
}

const logged = new Set<string>();

/**
 * Logs `problem` once per isolate (every request would otherwise repeat it), prefixed so that it
 * is easy to find in `wrangler tail`. Returns true when it was logged now.
 */
export function logSigningKeyProblemOnce(problem: string, log: (line: string) => void = console.error): boolean {
  if (logged.has(problem)) return false;
  logged.add(problem);
  log(`server misconfigured: ${problem}`);
  return true;
}
