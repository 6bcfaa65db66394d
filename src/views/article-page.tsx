import { raw } from 'hono/html';
import type { AppConfig } from '../config.js';
import type { StoredArticle, StoredNav } from '../store/kv-layout.js';
import { CategoryTags } from './category-tags.js';
import { articlePath, displayDate } from './format.js';
import { Layout } from './layout.js';

export interface ArticleView {
  article: StoredArticle;
  nav: StoredNav;
  /** Rewritten, sanitised body HTML (trusted output of rewriteBody). */
  bodyHtml: string;
  excerpt: string;
  /** Root-relative route path of the header image (og:image, JSON-LD), or null. */
  headimg: string | null;
  /** False when the body already shows the same image. */
  showHeadimg: boolean;
}

export function ArticlePage(props: { config: AppConfig; view: ArticleView }) {
  const { config, view } = props;
  const { article, nav } = view;
  const path = articlePath(article.slug);
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: article.title,
    ...(article.date ? { datePublished: article.date, dateModified: article.date } : {}),
    ...(article.author ? { author: { '@type': 'Organization', name: article.author } } : {}),
    ...(view.headimg ? { image: [`${config.siteUrl}${view.headimg}`] } : {}),
    mainEntityOfPage: `${config.siteUrl}${path}`,
    ...(view.excerpt ? { description: view.excerpt } : {}),
  };
  return (
    <Layout
      config={config}
      head={{ title: article.title, description: view.excerpt, path, image: view.headimg, type: 'article', jsonLd }}
    >
      <article>
        <h1>{article.title}</h1>
        <div class="meta">
          {article.date ? (
            <time datetime={article.date}>{displayDate(article.date, config.lang, config.displayTimeZone)}</time>
          ) : null}
          {article.author ? <span class="author">{article.author}</span> : null}
          <CategoryTags categories={article.categories} />
        </div>
        {view.headimg && view.showHeadimg ? <img class="headimg" src={view.headimg} alt="" decoding="async" /> : null}
        <div class="article-body">{raw(view.bodyHtml)}</div>
      </article>
      {nav.prev || nav.next ? (
        <nav class="article-nav" aria-label="上一篇 / 下一篇">
          <div class="prev">
            {nav.prev ? (
              <a href={articlePath(nav.prev.slug)} rel="prev">
                <span>← 较新</span>
                {nav.prev.title}
              </a>
            ) : null}
          </div>
          <div class="next">
            {nav.next ? (
              <a href={articlePath(nav.next.slug)} rel="next">
                <span>较早 →</span>
                {nav.next.title}
              </a>
            ) : null}
          </div>
        </nav>
      ) : null}
    </Layout>
  );
}
