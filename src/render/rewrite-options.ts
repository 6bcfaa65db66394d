import type { AppConfig } from '../config.js';
import { imageRoutePath } from '../images/image-url.js';
import type { RewriteOptions } from '../rewrite/rewrite-html.js';

const memo = new WeakMap<AppConfig, RewriteOptions>();

/** The rewrite's options for a configuration: image URLs become signed, root-relative routes. */
export function rewriteOptionsFor(config: AppConfig): RewriteOptions {
  let options = memo.get(config);
  if (!options) {
    options = {
      proxyPrefixes: config.proxyPrefixes,
      routeAllImages: config.routeAllImages,
      iframeAllowlist: config.iframeAllowlist,
      imageRoute: (url: string) => imageRoutePath(url, config.signingKey),
    };
    memo.set(config, options);
  }
  return options;
}
