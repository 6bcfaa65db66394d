/** Article rendering: rewrite the body once, then the page or the API JSON around it. */
import type { AppConfig } from '../config.js';
import { rewriteBody, rewriteImageUrl } from '../rewrite/rewrite-html.js';
import type { StoredArticle, StoredNav } from '../store/kv-layout.js';
import { ArticlePage } from '../views/article-page.js';
import { rewriteOptionsFor } from './rewrite-options.js';

export function renderArticleHtml(config: AppConfig, article: StoredArticle, nav: StoredNav): string {
  const options = rewriteOptionsFor(config);
  const body = rewriteBody(article.body, options);
  const headimg = rewriteImageUrl(article.headimg, options) ?? rewriteImageUrl(article.thumbnail, options);
  const page = ArticlePage({
    config,
    view: {
      article,
      nav,
      bodyHtml: body.html,
      excerpt: body.excerpt,
      headimg,
      // Feed generators often copy the first body image into headimg: show it once.
      showHeadimg: headimg !== null && !body.html.includes(`src="${headimg}"`),
    },
  });
  return `<!doctype html>${String(page)}`;
}

export interface ArticleJson {
  slug: string;
  title: string;
  date: string | null;
  author: string | null;
  categories: string[];
  headimg: string | null;
  thumbnail: string | null;
  url: string;
  html: string;
}

export function renderArticleJson(config: AppConfig, article: StoredArticle): string {
  const options = rewriteOptionsFor(config);
  const json: ArticleJson = {
    slug: article.slug,
    title: article.title,
    date: article.date,
    author: article.author,
    categories: article.categories,
    headimg: rewriteImageUrl(article.headimg, options),
    thumbnail: rewriteImageUrl(article.thumbnail, options),
    url: `${config.siteUrl}/articles/${encodeURIComponent(article.slug)}`,
    html: rewriteBody(article.body, options).html,
  };
  return JSON.stringify(json);
}
