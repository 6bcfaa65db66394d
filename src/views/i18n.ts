/**
 * Every string the site itself shows, in the site's language (SITE_LANG): Simplified Chinese by
 * default, English when the language is `en`/`en-*`. Article text is never translated.
 */

export interface UiStrings {
  defaultTitle: string;
  /** The meta description when SITE_DESCRIPTION (or _config.yml's) is empty: every page gets one. */
  defaultDescription: string;
  home: string;
  feed: string;
  search: string;
  searchLabel: string;
  searchPlaceholder: string;
  searchSubmit: string;
  categories: string;
  tags: string;
  archives: string;
  allArticles: string;
  noArticles: string;
  newer: string;
  older: string;
  newerArticle: string;
  olderArticle: string;
  articleNav: string;
  pagination: string;
  pageOf: (page: number, pages: number) => string;
  pageTitle: (title: string, page: number) => string;
  articles: (count: number) => string;
  categoryOf: string;
  tagsOf: string;
  breadcrumb: string;
  footer: string;
  searchResults: (query: string) => string;
  searchCount: (count: number) => string;
  searchEmpty: string;
  searchNone: (query: string) => string;
  archiveYear: (year: string) => string;
  archiveMonth: (year: string, month: string) => string;
  backHome: string;
  sitemap: string;
  errors: Record<400 | 404 | 405 | 500 | 503, { title: string; message: string }>;
  misconfigured: { title: string; message: string };
  queryTooLong: (max: number) => string;
  badPage: string;
}

const ZH: UiStrings = {
  defaultTitle: '新闻聚合',
  defaultDescription: '汇集多个来源的新闻与技术文章，图片经本站转发。',
  home: '首页',
  feed: '订阅',
  search: '搜索',
  searchLabel: '搜索文章',
  searchPlaceholder: '搜索文章',
  searchSubmit: '搜索',
  categories: '分类',
  tags: '标签',
  archives: '归档',
  allArticles: '全部文章',
  noArticles: '还没有文章。',
  newer: '← 上一页',
  older: '下一页 →',
  newerArticle: '较新',
  olderArticle: '较早',
  articleNav: '上一篇 / 下一篇',
  pagination: '分页',
  pageOf: (page, pages) => `第 ${page} / ${pages} 页`,
  pageTitle: (title, page) => (page > 1 ? `${title}（第 ${page} 页）` : title),
  articles: (count) => `${count} 篇文章`,
  categoryOf: '分类',
  tagsOf: '标签',
  breadcrumb: '位置',
  footer: '图片经本站转发，不向第三方发出请求。',
  searchResults: (query) => `搜索：${query}`,
  searchCount: (count) => `找到 ${count} 篇文章`,
  searchEmpty: '输入关键词搜索全部文章。',
  searchNone: (query) => `没有找到与“${query}”相关的文章。`,
  archiveYear: (year) => `${year} 年`,
  archiveMonth: (year, month) => `${year} 年 ${Number(month)} 月`,
  backHome: '← 返回首页',
  sitemap: '站点地图',
  errors: {
    400: { title: '请求无效', message: '这个地址的参数不正确。' },
    404: { title: '页面不存在', message: '找不到这个页面。它可能已被删除，或者链接有误。' },
    405: { title: '不支持的请求方式', message: '这个地址只能用浏览器打开。' },
    500: { title: '出错了', message: '服务器出了点问题，请稍后再试。' },
    503: { title: '暂时不可用', message: '服务暂时不可用，请稍后再试。' },
  },
  misconfigured: { title: '站点配置有误', message: '网站暂时无法显示，管理员需要检查站点配置。' },
  queryTooLong: (max) => `搜索词太长了：最多 ${max} 个字。`,
  badPage: '页码必须是正整数。',
};

const EN: UiStrings = {
  defaultTitle: 'Syndicated News',
  defaultDescription: 'News and technology articles from many sources, with images served by this site.',
  home: 'Home',
  feed: 'Feed',
  search: 'Search',
  searchLabel: 'Search articles',
  searchPlaceholder: 'Search articles',
  searchSubmit: 'Search',
  categories: 'Categories',
  tags: 'Tags',
  archives: 'Archives',
  allArticles: 'All articles',
  noArticles: 'No articles yet.',
  newer: '← Newer',
  older: 'Older →',
  newerArticle: 'Newer',
  olderArticle: 'Older',
  articleNav: 'Newer and older articles',
  pagination: 'Pages',
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  pageTitle: (title, page) => (page > 1 ? `${title} (page ${page})` : title),
  articles: (count) => `${count} ${count === 1 ? 'article' : 'articles'}`,
  categoryOf: 'Categories',
  tagsOf: 'Tags',
  breadcrumb: 'Breadcrumb',
  footer: 'Images are served through this site; no third-party requests.',
  searchResults: (query) => `Search: ${query}`,
  searchCount: (count) => `${count} ${count === 1 ? 'article' : 'articles'} found`,
  searchEmpty: 'Type words to search every article.',
  searchNone: (query) => `No articles match “${query}”.`,
  archiveYear: (year) => year,
  archiveMonth: (year, month) =>
    new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(year), Number(month) - 1, 1))),
  backHome: '← Back to the home page',
  sitemap: 'Sitemap',
  errors: {
    400: { title: 'Bad request', message: 'This address has parameters that are not valid.' },
    404: { title: 'Page not found', message: 'There is no page here. It may have been removed, or the link is wrong.' },
    405: { title: 'Method not allowed', message: 'This address can only be opened in a browser.' },
    500: { title: 'Something went wrong', message: 'The server had a problem. Please try again later.' },
    503: { title: 'Temporarily unavailable', message: 'The site is temporarily unavailable. Please try again later.' },
  },
  misconfigured: { title: 'Site misconfigured', message: 'The site cannot be shown right now; its administrator needs to check its configuration.' },
  queryTooLong: (max) => `The search is too long: at most ${max} characters.`,
  badPage: 'The page number must be a positive whole number.',
};

export function uiStrings(lang: string): UiStrings {
  return /^en(?:-|$)/i.test(lang) ? EN : ZH;
}
