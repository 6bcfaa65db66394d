/** What every content route reads first: the KV index record, and the configuration it implies. */
import { type AppConfig, getConfig, runtimeSettings } from '../config.js';
import { withTimeout } from '../http/versioned-response.js';
import { getIndexRecord } from '../store/article-store.js';
import type { IndexRecord } from '../store/kv-layout.js';
import type { AppContext } from './app-env.js';

export interface Site {
  /** Null before the first upload. */
  record: IndexRecord | null;
  config: AppConfig;
}

export async function loadSite(c: AppContext): Promise<Site> {
  const { kvTimeoutMs } = runtimeSettings(c.env);
  const record = await withTimeout(getIndexRecord(c.env.ARTICLES), kvTimeoutMs, 'KV');
  return { record, config: getConfig(c.env, record) };
}

/** Version parts every page shares: the index and the configuration. */
export function siteVersion(site: Site): string[] {
  return [site.record?.version ?? 'empty', site.config.renderVersion];
}

/** The later of two ISO times (either may be missing). */
export function latest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
