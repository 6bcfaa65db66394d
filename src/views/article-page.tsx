import { raw } from 'hono/html';
import type { AppConfig } from '../config.js';
import type { StoredArticle } from '../store/kv-layout.js';
import { CategoryTags } from './category-tags.js';
import { displayDate, pathHref } from './format.js';
import { Layout } from './layout.js';
import type { ViewHelpers } from './list-page.js';

export interface ArticleView {
  article: StoredArticle;
  /** Rewritten, sanitised body HTML (trusted output of rewriteBody). */
  bodyHtml: string;
  excerpt: string;
  /** Root-relative route path of the header image (og:image, JSON-LD), or null. */
  headimg: string | null;
  /** False when the body already shows the same image. */
  showHeadimg: boolean;
}

/** The post's language, when it is not the site's own (then marked on the article element). */
function articleLang(article: StoredArticle, siteLang: string): string | undefined {
  if (!article.lang) return undefined;
  const primary = (tag: string) => tag.toLowerCase().split('-')[0];
  return primary(article.lang) === primary(siteLang) ? undefined : article.lang;
}

export function ArticlePage(props: { config: AppConfig; helpers: ViewHelpers; view: ArticleView }) {
  const { config, view, helpers } = props;
  const { article } = view;
  const t = config.strings;
  const nav = article.nav;
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: article.title,
    ...(article.date ? { datePublished: article.date, dateModified: article.changedAt > article.date ? article.changedAt : article.date } : {}),
    ...(article.author ? { author: { '@type': 'Organization', name: article.author } } : {}),
    ...(view.headimg ? { image: [`${config.siteUrl}${view.headimg}`] } : {}),
    mainEntityOfPage: `${config.siteUrl}${pathHref(article.path)}`,
    ...(view.excerpt ? { description: view.excerpt } : {}),
  };
  return (
    <Layout
      config={config}
      links={helpers.links}
      head={{ title: article.title, description: view.excerpt, path: pathHref(article.path), image: view.headimg, type: 'article', jsonLd }}
    >
      <article lang={articleLang(article, config.lang)}>
        <h1>{article.title}</h1>
        <div class="meta">
          {article.date ? <time datetime={article.date}>{displayDate(article.date, config.lang, config.displayTimeZone)}</time> : null}
          {article.author ? <span class="author">{article.author}</span> : null}
          <CategoryTags trails={article.links.categories} tags={article.links.tags} href={helpers.listHref} label={t.categoryOf} tagLabel={t.tagsOf} />
        </div>
        {view.headimg && view.showHeadimg ? <img class="headimg" src={view.headimg} alt="" decoding="async" /> : null}
        <div class="article-body">{raw(view.bodyHtml)}</div>
      </article>
      {nav.newer || nav.older ? (
        <nav class="article-nav" aria-label={t.articleNav}>
          <div class="prev">
            {nav.newer ? (
              <a href={pathHref(nav.newer.path)} rel="prev">
                <span>← {t.newerArticle}</span>
                {nav.newer.title}
              </a>
            ) : null}
          </div>
          <div class="next">
            {nav.older ? (
              <a href={pathHref(nav.older.path)} rel="next">
                <span>{t.olderArticle} →</span>
                {nav.older.title}
              </a>
            ) : null}
          </div>
        </nav>
      ) : null}
    </Layout>
  );
}
