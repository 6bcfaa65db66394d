/** Options of the body rewrite, and the per-call context built from them. */
import type { AttrEnv } from './attributes';
import { HeadingOutline } from './headings';
import type { UrlContext } from './url-policy';

export interface RewriteOptions {
  /** From config, default ['https://cors.zfour.workers.dev/?']. */
  proxyPrefixes: string[];
  /** Route never-proxied images through our route too (default true). */
  routeAllImages: boolean;
  /** Lower-case hostnames whose https `<iframe>`s survive; [] drops every iframe. */
  iframeAllowlist: string[];
  /** Returns a root-relative route path for an absolute image URL, e.g. '/img/SIG/PAYLOAD'. */
  imageRoute: (absoluteUrl: string) => string;
  /**
   * Level of the body's top headings (default 2: the page title is the only h1). Body headings
   * are renumbered from here without skipping levels.
   */
  headingBase?: number;
  /**
   * Alt text for an image that is the only content of a link and has no text alternative of its
   * own, so that the link has a name (default '图片', "image"; the site's language is zh-CN).
   */
  linkedImageAlt?: string;
}

export interface Context extends AttrEnv {
  readonly headings: HeadingOutline;
  readonly iframeAllowlist: readonly string[];
  readonly linkedImageAlt: string;
}

export const DEFAULT_LINKED_IMAGE_ALT = '图片';

export function urlContext(options: RewriteOptions): UrlContext {
  return { prefixes: options.proxyPrefixes ?? [], routeAllImages: options.routeAllImages, imageRoute: options.imageRoute };
}

export function makeContext(options: RewriteOptions): Context {
  return {
    urls: urlContext(options),
    ids: new Set(),
    headings: new HeadingOutline(options.headingBase ?? 2),
    iframeAllowlist: options.iframeAllowlist ?? [],
    linkedImageAlt: options.linkedImageAlt?.trim() || DEFAULT_LINKED_IMAGE_ALT,
  };
}
