import type { AppConfig } from '../config.js';
import { contentHash } from '../store/hash.js';

/**
 * Bump when templates or the rewrite change output: every ETag and render-cache key includes it,
 * so a deploy never serves (or validates) a page rendered by older code.
 */
export const RENDERER_VERSION = 2;

const memo = new WeakMap<AppConfig, string>();

/** Renderer version plus a fingerprint of the configuration that shapes rendered output. */
export function renderVersion(config: AppConfig): string {
  let v = memo.get(config);
  if (!v) {
    v = `r${RENDERER_VERSION}.${contentHash(config).slice(0, 8)}`;
    memo.set(config, v);
  }
  return v;
}
