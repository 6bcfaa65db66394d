/** Article rendering: rewrite the body once, then the page or the API JSON around it. */
import type { AppConfig } from '../config.js';
import { rewriteBody, rewriteImageUrl } from '../rewrite/rewrite-html.js';
import type { StoredArticle } from '../store/kv-layout.js';
import { ArticlePage } from '../views/article-page.js';
import { pathHref } from '../views/format.js';

export function renderArticleHtml(config: AppConfig, article: StoredArticle): string {
  const options = config.rewriteOptions;
  const body = rewriteBody(article.body, options);
  const headimg = rewriteImageUrl(article.headimg, options) ?? rewriteImageUrl(article.thumbnail, options);
  const page = ArticlePage({
    config,
    helpers: config.helpers,
    view: {
      article,
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
  categories: string[][];
  tags: string[];
  headimg: string | null;
  thumbnail: string | null;
  abbrlink: string;
  url: string;
  html: string;
}

export const articleUrl = (config: AppConfig, path: string) => `${config.siteUrl}${pathHref(path)}`;

export function renderArticleJson(config: AppConfig, article: StoredArticle): string {
  const options = config.rewriteOptions;
  const json: ArticleJson = {
    slug: article.slug,
    title: article.title,
    date: article.date,
    author: article.author,
    categories: article.categories,
    tags: article.tags,
    headimg: rewriteImageUrl(article.headimg, options),
    thumbnail: rewriteImageUrl(article.thumbnail, options),
    abbrlink: article.abbrlink,
    url: articleUrl(config, article.path),
    html: rewriteBody(article.body, options).html,
  };
  return JSON.stringify(json);
}
