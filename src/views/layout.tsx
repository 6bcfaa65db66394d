import type { Child } from 'hono/jsx';
import type { AppConfig } from '../config.js';
import { jsonForScript } from './format.js';
import { SITE_CSS_PATH } from './assets.js';

export interface HeadInfo {
  title: string;
  description?: string;
  /** Root-relative path; made absolute with the configured site URL (never the Host header). */
  path: string;
  image?: string | null;
  type?: 'website' | 'article';
  jsonLd?: unknown;
  noindex?: boolean;
}

export function Layout(props: { config: AppConfig; head: HeadInfo; children: Child }) {
  const { config, head } = props;
  const canonical = `${config.siteUrl}${head.path}`;
  const fullTitle = head.title === config.siteTitle ? head.title : `${head.title} | ${config.siteTitle}`;
  const image = head.image ? `${config.siteUrl}${head.image}` : null;
  const description = head.description || config.siteDescription;
  return (
    <html lang={config.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        {head.noindex ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={canonical} />
        <link rel="alternate" type="application/atom+xml" title={config.siteTitle} href="/atom.xml" />
        <link rel="alternate" type="application/rss+xml" title={config.siteTitle} href="/rss2.xml" />
        <link rel="stylesheet" href={SITE_CSS_PATH} />
        {/* No icon yet: an empty one stops every browser from requesting /favicon.ico (a 404). */}
        <link rel="icon" href="data:," />
        <meta name="color-scheme" content="light dark" />
        <meta property="og:site_name" content={config.siteTitle} />
        <meta property="og:type" content={head.type ?? 'website'} />
        <meta property="og:title" content={head.title} />
        {description ? <meta property="og:description" content={description} /> : null}
        <meta property="og:url" content={canonical} />
        {image ? <meta property="og:image" content={image} /> : null}
        <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={head.title} />
        {description ? <meta name="twitter:description" content={description} /> : null}
        {image ? <meta name="twitter:image" content={image} /> : null}
        {head.jsonLd ? (
          <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(head.jsonLd) }} />
        ) : null}
      </head>
      <body>
        <header class="site-header">
          <a class="site-title" href="/">
            {config.siteTitle}
          </a>
          <nav>
            <a href="/atom.xml">订阅</a>
          </nav>
        </header>
        <main>{props.children}</main>
        <footer class="site-footer">
          <span>{config.siteTitle}</span>
          <span>Images are served through this site; no third-party requests.</span>
        </footer>
      </body>
    </html>
  );
}
