/** robots.txt and the stylesheet: constant bodies with long-lived, validator-backed caching. */
import { Hono } from 'hono';
import { getConfig } from '../config.js';
import { respond, strongEtag } from '../http/respond.js';
import { contentHash } from '../store/hash.js';
import { SITE_CSS_VERSION } from '../views/assets.js';
import { SITE_CSS } from '../views/site-css.js';
import type { AppEnv } from './app-env.js';
import { loadSite } from './site.js';

export const staticRoutes = new Hono<AppEnv>();

staticRoutes.get('/robots.txt', async (c) => {
  // The sitemap's absolute URL needs the site URL, which an upload may have published; during a
  // KV outage the configured one (or the default) still gives a valid file.
  let config;
  try {
    config = (await loadSite(c)).config;
  } catch {
    config = getConfig(c.env);
  }
  const body = `User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /search\n\nSitemap: ${config.siteUrl}/sitemap.xml\n`;
  return respond(c.req.raw, config, {
    body,
    contentType: 'text/plain; charset=utf-8',
    etag: strongEtag('robots', contentHash(body)),
    kind: 'static',
  });
});

staticRoutes.get('/assets/site.css', async (c) => {
  const res = await respond(c.req.raw, null, {
    body: SITE_CSS,
    contentType: 'text/css; charset=utf-8',
    etag: strongEtag('css', SITE_CSS_VERSION),
    kind: 'static',
  });
  // The URL carries the content hash (?v=), so it can be cached as immutable.
  if (c.req.query('v') === SITE_CSS_VERSION) res.headers.set('cache-control', 'public, max-age=31536000, immutable');
  return res;
});
