/** Typed, validated configuration read once per `env` object from wrangler.toml vars and secrets. */
import { type CacheKind, cachePolicy } from './http/cache-policy.js';

export interface AppConfig {
  siteTitle: string;
  siteDescription: string;
  /** Absolute origin used for canonical/feed/sitemap links; never derived from the Host header. */
  siteUrl: string;
  lang: string;
  proxyPrefixes: string[];
  routeAllImages: boolean;
  iframeAllowlist: string[];
  imageHostAllowlist: string[];
  imageTimeoutMs: number;
  imageMaxBytes: number;
  signingKey: string;
  /** IANA zone in which dates are shown to readers. */
  displayTimeZone: string;
  feedSize: number;
  /** A KV read slower than this counts as a failure (then stale-if-error or 503). */
  kvTimeoutMs: number;
  /** Lifetime of the per-isolate memory cache of responses (0 disables it). */
  hotCacheMs: number;
  cache: Record<CacheKind, string>;
}

export const DEFAULT_PROXY_PREFIXES = ['https://cors.zfour.workers.dev/?'];

/** Splits a comma/whitespace separated wrangler var into its non-empty items. */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function parseBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !/^(false|0|no|off)$/i.test(value.trim());
}

function parsePositiveInt(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function parseNonNegativeInt(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

const cache = new WeakMap<object, AppConfig>();

export function getConfig(env: Partial<Env>): AppConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const proxyPrefixes = parseList(env.PROXY_PREFIXES);
  const config: AppConfig = {
    siteTitle: env.SITE_TITLE || 'Edge Content Proxy',
    siteDescription: env.SITE_DESCRIPTION || '',
    siteUrl: (env.SITE_URL || 'http://localhost:8787').replace(/\/+$/, ''),
    lang: env.SITE_LANG || 'zh-CN',
    proxyPrefixes: proxyPrefixes.length > 0 ? proxyPrefixes : DEFAULT_PROXY_PREFIXES,
    routeAllImages: parseBool(env.ROUTE_ALL_IMAGES, true),
    iframeAllowlist: parseList(env.IFRAME_ALLOWLIST).map((h) => h.toLowerCase()),
    imageHostAllowlist: parseList(env.IMAGE_HOST_ALLOWLIST).map((h) => h.toLowerCase()),
    imageTimeoutMs: parsePositiveInt(env.IMAGE_TIMEOUT_MS, 10_000),
    imageMaxBytes: parsePositiveInt(env.IMAGE_MAX_BYTES, 10 * 1024 * 1024),
    signingKey: env.IMAGE_SIGNING_KEY ?? '',
    displayTimeZone: env.SITE_TIMEZONE || 'UTC',
    feedSize: parsePositiveInt(env.FEED_SIZE, 20),
    kvTimeoutMs: parsePositiveInt(env.KV_TIMEOUT_MS, 3000),
    hotCacheMs: parseNonNegativeInt(env.HOT_CACHE_MS, 1000),
    cache: cachePolicy(env as Record<string, unknown>),
  };
  cache.set(env, config);
  return config;
}
