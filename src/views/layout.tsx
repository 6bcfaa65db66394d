import type { Child } from 'hono/jsx';
import type { AppConfig } from '../config.js';
import { SITE_CSS_PATH } from './assets.js';
import { jsonForScript } from './format.js';

export interface HeadInfo {
  title: string;
  description?: string;
  /** Root-relative canonical path; null for pages that are not documents (errors). */
  path: string | null;
  image?: string | null;
  type?: 'website' | 'article';
  jsonLd?: unknown;
  noindex?: boolean;
}

export interface SiteLinks {
  categories: string;
  tags: string;
  archives: string;
}

/** The page frame: head (canonical, Open Graph, feeds), header with navigation and search, footer. */
export function Layout(props: { config: AppConfig; links: SiteLinks; head: HeadInfo; query?: string; children: Child }) {
  const { config, head, links } = props;
  const t = config.strings;
  const canonical = head.path === null ? null : `${config.siteUrl}${head.path}`;
  const fullTitle = head.title === config.siteTitle ? head.title : `${head.title} | ${config.siteTitle}`;
  const image = head.image ? `${config.siteUrl}${head.image}` : null;
  // Search engines (and Lighthouse's SEO audit) expect a description on every page.
  const description = head.description || config.siteDescription || t.defaultDescription;
  return (
    <html lang={config.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        {head.noindex ? <meta name="robots" content="noindex" /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
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
        {canonical ? <meta property="og:url" content={canonical} /> : null}
        {image ? <meta property="og:image" content={image} /> : null}
        <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={head.title} />
        {description ? <meta name="twitter:description" content={description} /> : null}
        {image ? <meta name="twitter:image" content={image} /> : null}
        {head.jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(head.jsonLd) }} /> : null}
      </head>
      <body>
        <header class="site-header">
          <a class="site-title" href="/">
            {config.siteTitle}
          </a>
          <nav class="site-nav" aria-label={config.siteTitle}>
            <a href="/">{t.home}</a>
            <a href={links.categories}>{t.categories}</a>
            <a href={links.tags}>{t.tags}</a>
            <a href={links.archives}>{t.archives}</a>
            <a href="/atom.xml">{t.feed}</a>
          </nav>
          <form class="search-form" role="search" action="/search" method="get">
            <label class="visually-hidden" for="site-search">
              {t.searchLabel}
            </label>
            <input id="site-search" type="search" name="q" value={props.query ?? ''} maxlength={100} placeholder={t.searchPlaceholder} />
            <button type="submit">{t.searchSubmit}</button>
          </form>
        </header>
        <main>{props.children}</main>
        <footer class="site-footer">
          <span>{config.siteTitle}</span>
          <span>{t.footer}</span>
        </footer>
      </body>
    </html>
  );
}
