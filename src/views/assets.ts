import { contentHash } from '../store/hash.js';
import { SITE_CSS } from './site-css.js';

/** Versioned by content, so the stylesheet can be cached for a year. */
export const SITE_CSS_VERSION = contentHash(SITE_CSS).slice(0, 10);
export const SITE_CSS_PATH = `/assets/site.css?v=${SITE_CSS_VERSION}`;
