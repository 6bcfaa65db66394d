/**
 * The configuration, parsed and validated once (valibot), from three layers:
 *   wrangler.toml `[vars]` and secrets  >  site settings the upload published (a Hexo _config.yml)
 *   >  built-in defaults.
 * Everything derived from it (render version, rewrite options, CSP, UI strings) is computed here,
 * once per configuration, and read by the rest of the app.
 *
 * A malformed variable or an unusable signing key is a ConfigError: every page answers 500
 * "server misconfigured" and the reason is logged once — never a silent fallback.
 */
import * as v from 'valibot';
import { type CacheKind, cachePolicy } from './http/cache-policy.js';
import { htmlCsp } from './http/security-headers.js';
import { imageRoutePath } from './images/image-url.js';
import { logSigningKeyProblemOnce, signingKeyProblem } from './images/signing-key.js';
import type { RewriteOptions } from './rewrite/rewrite-html.js';
import { contentHash } from './store/hash.js';
import type { PublishedSite } from './store/kv-layout.js';
import { viewHelpers } from './routes/hexo-paths.js';
import { type UiStrings, uiStrings } from './views/i18n.js';
import type { ViewHelpers } from './views/list-page.js';

export interface HexoDirs {
  category: string;
  tag: string;
  archive: string;
  pagination: string;
}

export interface AppConfig {
  siteTitle: string;
  siteDescription: string;
  siteAuthor: string | null;
  /** Absolute origin used for canonical/feed/sitemap links; never derived from the Host header. */
  siteUrl: string;
  lang: string;
  /** IANA zone in which dates are shown to readers (and archives are grouped). */
  displayTimeZone: string;
  /** Articles per list page; 0 in Hexo means "no pagination" (capped at MAX_PER_PAGE). */
  perPage: number;
  feedSize: number;
  searchXmlLimit: number;
  dirs: HexoDirs;
  proxyPrefixes: string[];
  routeAllImages: boolean;
  iframeAllowlist: string[];
  imageHostAllowlist: string[];
  imageTimeoutMs: number;
  imageMaxBytes: number;
  signingKey: string;
  /** A KV or D1 read slower than this counts as a failure (then stale-if-error or 503). */
  kvTimeoutMs: number;
  /** Lifetime of the per-isolate memory cache of responses (0 disables it). */
  hotCacheMs: number;
  cache: Record<CacheKind, string>;
  // Derived, once per configuration:
  /** Everything rendered output depends on besides the data: in every ETag and render-cache key. */
  renderVersion: string;
  rewriteOptions: RewriteOptions;
  /** The same, with image routes as absolute URLs on siteUrl (feeds). */
  rewriteOptionsAbsolute: RewriteOptions;
  /** Content-Security-Policy of HTML pages. */
  csp: string;
  strings: UiStrings;
  /** Links views need (Hexo directories applied). */
  helpers: ViewHelpers;
  /** When the configuration last changed what pages show (ISO): the deployment or the published settings. */
  changedAt: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_PROXY_PREFIXES = ['https://cors.zfour.workers.dev/?'];
export const MAX_PER_PAGE = 500;
const DEFAULT_SITE_URL = 'http://localhost:8787';

/** Splits a comma/whitespace separated wrangler var into its non-empty items. */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
const DIR = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

const whole = (name: string, min: number, max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^\d{1,12}$/, `${name} must be a whole number`),
    v.transform(Number),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );
const bool = (name: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^(?:true|false|1|0|yes|no|on|off)$/i, `${name} must be true or false`),
    v.transform((s) => /^(?:true|1|yes|on)$/i.test(s)),
  );
const origin = v.pipe(
  v.string(),
  v.trim(),
  v.check((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'SITE_URL must be an http(s) origin such as https://news.example.com'),
  v.transform((s) => s.replace(/\/+$/, '')),
);
const text = v.pipe(v.string(), v.trim());

/** wrangler.toml vars (strings; '' means unset). Unknown vars are ignored (looseObject). */
const Vars = v.looseObject({
  SITE_TITLE: v.optional(text),
  SITE_DESCRIPTION: v.optional(text),
  SITE_AUTHOR: v.optional(text),
  SITE_URL: v.optional(origin),
  SITE_LANG: v.optional(v.pipe(v.string(), v.trim(), v.regex(LANGUAGE_TAG, 'SITE_LANG must be a language tag such as zh-CN'))),
  SITE_TIMEZONE: v.optional(v.pipe(v.string(), v.trim(), v.check(isValidTimeZone, 'SITE_TIMEZONE must be an IANA zone such as Asia/Shanghai'))),
  PER_PAGE: v.optional(whole('PER_PAGE', 0, MAX_PER_PAGE)),
  FEED_SIZE: v.optional(whole('FEED_SIZE', 1, 1000)),
  SEARCH_XML_LIMIT: v.optional(whole('SEARCH_XML_LIMIT', 0, 1_000_000)),
  CATEGORY_DIR: v.optional(v.pipe(v.string(), v.trim(), v.regex(DIR, 'CATEGORY_DIR must be a path like categories'))),
  TAG_DIR: v.optional(v.pipe(v.string(), v.trim(), v.regex(DIR, 'TAG_DIR must be a path like tags'))),
  ARCHIVE_DIR: v.optional(v.pipe(v.string(), v.trim(), v.regex(DIR, 'ARCHIVE_DIR must be a path like archives'))),
  PAGINATION_DIR: v.optional(v.pipe(v.string(), v.trim(), v.regex(DIR, 'PAGINATION_DIR must be a path like page'))),
  PROXY_PREFIXES: v.optional(v.string()),
  ROUTE_ALL_IMAGES: v.optional(bool('ROUTE_ALL_IMAGES')),
  IFRAME_ALLOWLIST: v.optional(v.string()),
  IMAGE_HOST_ALLOWLIST: v.optional(v.string()),
  IMAGE_TIMEOUT_MS: v.optional(whole('IMAGE_TIMEOUT_MS', 1, 120_000)),
  IMAGE_MAX_BYTES: v.optional(whole('IMAGE_MAX_BYTES', 1, 100 * 1024 * 1024)),
  KV_TIMEOUT_MS: v.optional(whole('KV_TIMEOUT_MS', 1, 60_000)),
  HOT_CACHE_MS: v.optional(whole('HOT_CACHE_MS', 0, 3_600_000)),
  IMAGE_SIGNING_KEY: v.optional(v.string()),
});
type ParsedVars = v.InferOutput<typeof Vars>;

interface EnvParse {
  vars: ParsedVars;
  cache: Record<CacheKind, string>;
  versionId: string;
  /** When this deployment was made (ISO), when the runtime says. */
  versionTimestamp: string | null;
  /** Effective configurations by published site settings (a new upload may publish new ones). */
  bySite: Map<string, AppConfig | ConfigError>;
}

const parsed = new WeakMap<object, EnvParse | ConfigError>();

/**
 * Logs a configuration problem once per isolate (not once per request, nor once per env object or
 * published settings: an error page builds the configuration without them). The same line as the
 * image route's, so an operator greps for one thing.
 */
function logOnce(problem: string): void {
  logSigningKeyProblemOnce(problem);
}

function parseEnv(env: Partial<Env>): EnvParse {
  const hit = parsed.get(env);
  if (hit instanceof ConfigError) throw hit;
  if (hit) return hit;
  // '' is "unset", as in wrangler.toml where a var cannot be removed by an environment.
  const raw: Record<string, unknown> = Object.create(null);
  for (const [k, value] of Object.entries(env)) if (!(typeof value === 'string' && value.trim() === '')) raw[k] = value;
  const result = v.safeParse(Vars, raw);
  if (!result.success) {
    const error = new ConfigError(result.issues.map((i) => i.message).join('; '));
    logOnce(error.message);
    parsed.set(env, error);
    throw error;
  }
  const meta = (env as { CF_VERSION_METADATA?: { id?: string; timestamp?: string } }).CF_VERSION_METADATA;
  const value: EnvParse = {
    vars: result.output,
    cache: cachePolicy(env as Record<string, unknown>),
    // The deployed version: a new deployment (new code, or a new secret) renders anew.
    versionId: typeof meta?.id === 'string' && meta.id !== '' ? meta.id : 'unversioned',
    versionTimestamp: typeof meta?.timestamp === 'string' && !Number.isNaN(Date.parse(meta.timestamp)) ? meta.timestamp : null,
    bySite: new Map(),
  };
  parsed.set(env, value);
  return value;
}

/** Settings that do not depend on the published site (read before any KV value). */
export function runtimeSettings(env: Partial<Env>): { hotCacheMs: number; kvTimeoutMs: number; versionId: string } {
  const p = parseEnv(env);
  return { hotCacheMs: p.vars.HOT_CACHE_MS ?? 1000, kvTimeoutMs: p.vars.KV_TIMEOUT_MS ?? 3000, versionId: p.versionId };
}

function siteLanguage(lang: string | undefined): string | undefined {
  return lang !== undefined && LANGUAGE_TAG.test(lang) ? lang : undefined;
}

function latest(...isos: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const iso of isos) if (iso && !Number.isNaN(Date.parse(iso)) && (best === null || Date.parse(iso) > Date.parse(best))) best = iso;
  return best;
}

function build(p: EnvParse, site: PublishedSite, siteChangedAt: string | null): AppConfig {
  const vars = p.vars;
  const lang = vars.SITE_LANG ?? siteLanguage(site.language) ?? 'zh-CN';
  const strings = uiStrings(lang);
  const siteUrl = vars.SITE_URL ?? (site.url ? site.url.replace(/\/+$/, '') : DEFAULT_SITE_URL);
  const timeZone = vars.SITE_TIMEZONE ?? (site.timezone && isValidTimeZone(site.timezone) ? site.timezone : 'UTC');
  const signingKey = vars.IMAGE_SIGNING_KEY ?? '';
  const keyProblem = signingKeyProblem(signingKey, siteUrl);
  if (keyProblem) throw new ConfigError(keyProblem);
  const proxyPrefixes = parseList(vars.PROXY_PREFIXES);
  const shaping = {
    siteTitle: vars.SITE_TITLE ?? site.title ?? strings.defaultTitle,
    siteDescription: vars.SITE_DESCRIPTION ?? site.description ?? '',
    siteAuthor: vars.SITE_AUTHOR ?? site.author ?? null,
    siteUrl,
    lang,
    displayTimeZone: timeZone,
    perPage: vars.PER_PAGE ?? (typeof site.perPage === 'number' && site.perPage >= 0 ? Math.min(site.perPage, MAX_PER_PAGE) : 10),
    feedSize: vars.FEED_SIZE ?? 20,
    searchXmlLimit: vars.SEARCH_XML_LIMIT ?? 10_000,
    dirs: {
      category: vars.CATEGORY_DIR ?? 'categories',
      tag: vars.TAG_DIR ?? 'tags',
      archive: vars.ARCHIVE_DIR ?? 'archives',
      pagination: vars.PAGINATION_DIR ?? 'page',
    },
    proxyPrefixes: proxyPrefixes.length > 0 ? proxyPrefixes : DEFAULT_PROXY_PREFIXES,
    routeAllImages: vars.ROUTE_ALL_IMAGES ?? true,
    iframeAllowlist: parseList(vars.IFRAME_ALLOWLIST).map((h) => h.toLowerCase()),
  };
  const rewriteBase = {
    proxyPrefixes: shaping.proxyPrefixes,
    routeAllImages: shaping.routeAllImages,
    iframeAllowlist: shaping.iframeAllowlist,
  };
  return {
    ...shaping,
    imageHostAllowlist: parseList(vars.IMAGE_HOST_ALLOWLIST).map((h) => h.toLowerCase()),
    imageTimeoutMs: vars.IMAGE_TIMEOUT_MS ?? 10_000,
    imageMaxBytes: vars.IMAGE_MAX_BYTES ?? 10 * 1024 * 1024,
    signingKey,
    kvTimeoutMs: vars.KV_TIMEOUT_MS ?? 3000,
    hotCacheMs: vars.HOT_CACHE_MS ?? 1000,
    cache: p.cache,
    // Only what shapes output, and the deployment's version (which changes with the code and
    // with every secret): never the signing key itself, nor timeouts or cache lifetimes.
    renderVersion: contentHash([shaping, p.versionId]).slice(0, 12),
    rewriteOptions: { ...rewriteBase, imageRoute: (url: string) => imageRoutePath(url, signingKey, siteUrl) },
    rewriteOptionsAbsolute: { ...rewriteBase, imageRoute: (url: string) => `${siteUrl}${imageRoutePath(url, signingKey, siteUrl)}` },
    csp: htmlCsp(shaping.iframeAllowlist),
    strings,
    helpers: viewHelpers(shaping.dirs),
    changedAt: latest(p.versionTimestamp, siteChangedAt),
  };
}

/**
 * The configuration for this env and the site settings the last upload published (the KV index
 * record; null before the first upload, or where no content is read). Throws ConfigError when it
 * is unusable.
 */
export function getConfig(env: Partial<Env>, record: { site: PublishedSite; siteChangedAt?: string | null } | null = null): AppConfig {
  const p = parseEnv(env);
  const key = record ? JSON.stringify([record.site, record.siteChangedAt ?? null]) : '';
  let config = p.bySite.get(key);
  if (!config) {
    try {
      config = build(p, record?.site ?? {}, record?.siteChangedAt ?? null);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      logOnce(error.message);
      config = error;
    }
    // Bounded: a deployment sees few distinct published settings (one per change of _config.yml).
    if (p.bySite.size >= 16) p.bySite.clear();
    p.bySite.set(key, config);
  }
  if (config instanceof ConfigError) throw config;
  return config;
}
