import type { AppConfig } from '../config.js';
import { imageRoutePath } from '../images/image-url.js';
import type { RewriteOptions } from '../rewrite/rewrite-html.js';

const memo = new WeakMap<AppConfig, RewriteOptions>();
const absoluteMemo = new WeakMap<AppConfig, RewriteOptions>();

export interface RewriteOptionsVariant {
  /**
   * Image routes as absolute URLs on `config.siteUrl` (never the request's Host) instead of
   * root-relative paths: for feeds, which are read away from the site.
   */
  absolute?: boolean;
}

/** The rewrite's options for a configuration: image URLs become signed, root-relative routes. */
export function rewriteOptionsFor(config: AppConfig, variant: RewriteOptionsVariant = {}): RewriteOptions {
  const absolute = variant.absolute === true;
  const store = absolute ? absoluteMemo : memo;
  let options = store.get(config);
  if (!options) {
    options = {
      proxyPrefixes: config.proxyPrefixes,
      routeAllImages: config.routeAllImages,
      iframeAllowlist: config.iframeAllowlist,
      imageRoute: absolute
        ? (url: string) => `${config.siteUrl}${imageRoutePath(url, config.signingKey, config.siteUrl)}`
        : (url: string) => imageRoutePath(url, config.signingKey, config.siteUrl),
    };
    store.set(config, options);
  }
  return options;
}
