import type { AppConfig } from '../config.js';
import type { ArticleSummary } from '../store/kv-layout.js';
import { CategoryTags } from './category-tags.js';
import { articlePath, displayDate } from './format.js';
import { Layout } from './layout.js';

export interface ListView {
  heading: string | null;
  /** Root-relative path of page 1 (`/` or `/categories/x`). */
  basePath: string;
  page: number;
  pages: number;
  items: (ArticleSummary & { thumbnailSrc: string | null })[];
}

function pageHref(basePath: string, page: number): string {
  return page === 1 ? basePath : `${basePath}?page=${page}`;
}

export function ListPage(props: { config: AppConfig; view: ListView }) {
  const { config, view } = props;
  const title = view.heading ?? config.siteTitle;
  const path = pageHref(view.basePath, view.page);
  return (
    <Layout config={config} head={{ title: view.page > 1 ? `${title} (${view.page})` : title, path }}>
      {view.heading ? <h1>{view.heading}</h1> : null}
      {view.items.length === 0 ? <p class="empty">还没有文章。</p> : null}
      <ul class="post-list">
        {view.items.map((item) => (
          <li>
            {item.thumbnailSrc ? (
              <img class="thumb" src={item.thumbnailSrc} alt="" width={120} height={80} loading="lazy" decoding="async" />
            ) : null}
            <div>
              <h2>
                <a href={articlePath(item.slug)}>{item.title}</a>
              </h2>
              <div class="meta">
                {item.date ? (
                  <time datetime={item.date}>{displayDate(item.date, config.lang, config.displayTimeZone)}</time>
                ) : null}
                {item.author ? <span>{item.author}</span> : null}
                <CategoryTags categories={item.categories} />
              </div>
            </div>
          </li>
        ))}
      </ul>
      {view.pages > 1 ? (
        <nav class="pager" aria-label="分页">
          {view.page > 1 ? <a href={pageHref(view.basePath, view.page - 1)} rel="prev">← 上一页</a> : <span />}
          <span>
            {view.page} / {view.pages}
          </span>
          {view.page < view.pages ? <a href={pageHref(view.basePath, view.page + 1)} rel="next">下一页 →</a> : <span />}
        </nav>
      ) : null}
    </Layout>
  );
}
