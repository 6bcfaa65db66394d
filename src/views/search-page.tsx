import { raw } from 'hono/html';
import type { AppConfig } from '../config.js';
import type { TrailStep } from '../store/d1-layout.js';
import { CategoryTags } from './category-tags.js';
import { displayDate, pathHref } from './format.js';
import { Layout } from './layout.js';
import type { ViewHelpers } from './list-page.js';

export interface SearchHit {
  path: string;
  /** The title with the matches marked: escaped HTML from highlightTitle. */
  titleHtml: string;
  date: string | null;
  categories: TrailStep[][];
  /** Escaped HTML with <mark> from makeSnippet. */
  snippetHtml: string;
}

export interface SearchView {
  /** What the reader typed (shown in the form and the heading), or '' before a search. */
  query: string;
  total: number;
  page: number;
  pages: number;
  hits: SearchHit[];
  pageHref: (page: number) => string;
  /** Root-relative path of this page. */
  path: string;
}

/** /search: the form's results, or the invitation to search when nothing was asked. */
export function SearchPage(props: { config: AppConfig; helpers: ViewHelpers; view: SearchView }) {
  const { config, view, helpers } = props;
  const t = config.strings;
  const heading = view.query ? t.searchResults(view.query) : t.search;
  return (
    <Layout config={config} links={helpers.links} head={{ title: t.pageTitle(heading, view.page), path: view.path, noindex: true }} query={view.query}>
      <h1>{heading}</h1>
      {view.query === '' ? <p class="empty">{t.searchEmpty}</p> : view.total === 0 ? <p class="empty">{t.searchNone(view.query)}</p> : <p class="list-count">{t.searchCount(view.total)}</p>}
      {view.hits.length > 0 ? (
        <ul class="post-list search-results">
          {view.hits.map((hit) => (
            <li>
              <div>
                <h2>
                  <a href={pathHref(hit.path)}>{raw(hit.titleHtml)}</a>
                </h2>
                <div class="meta">
                  {hit.date ? <time datetime={hit.date}>{displayDate(hit.date, config.lang, config.displayTimeZone)}</time> : null}
                  <CategoryTags trails={hit.categories} href={helpers.listHref} label={t.categoryOf} tagLabel={t.tagsOf} />
                </div>
                {hit.snippetHtml ? <p class="snippet">{raw(hit.snippetHtml)}</p> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {view.pages > 1 ? (
        <nav class="pager" aria-label={t.pagination}>
          {view.page > 1 ? (
            <a href={view.pageHref(view.page - 1)} rel="prev">
              {t.newer}
            </a>
          ) : (
            <span />
          )}
          <span>{t.pageOf(view.page, view.pages)}</span>
          {view.page < view.pages ? (
            <a href={view.pageHref(view.page + 1)} rel="next">
              {t.older}
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </Layout>
  );
}
