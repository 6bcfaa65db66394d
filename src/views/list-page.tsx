import type { AppConfig } from '../config.js';
import type { ListItem, TrailStep } from '../store/d1-layout.js';
import { CategoryTags } from './category-tags.js';
import { displayDate, pathHref } from './format.js';
import { Layout, type SiteLinks } from './layout.js';

export interface ListView {
  /** The page's one h1. */
  heading: string;
  /** Shown under the heading (e.g. "12 篇文章"). */
  subheading: string | null;
  /** Breadcrumb trail of a category (all levels but the last link to their lists). */
  trail: TrailStep[];
  /** Group items under month headings (archives). */
  groupByMonth: boolean;
  page: number;
  pages: number;
  /** Root-relative path of this page (canonical). */
  path: string;
  pageHref: (page: number) => string;
  items: (ListItem & { thumbnailSrc: string | null })[];
}

export interface ViewHelpers {
  links: SiteLinks;
  listHref: (key: string) => string;
}

function Item(props: { config: AppConfig; helpers: ViewHelpers; item: ListView['items'][number]; level: 2 | 3 }) {
  const { config, item, helpers } = props;
  const t = config.strings;
  const title = <a href={pathHref(item.path)}>{item.title}</a>;
  return (
    <li>
      {item.thumbnailSrc ? <img class="thumb" src={item.thumbnailSrc} alt="" width={120} height={80} loading="lazy" decoding="async" /> : null}
      <div>
        {props.level === 2 ? <h2>{title}</h2> : <h3>{title}</h3>}
        <div class="meta">
          {item.date ? <time datetime={item.date}>{displayDate(item.date, config.lang, config.displayTimeZone)}</time> : null}
          {item.author ? <span>{item.author}</span> : null}
          <CategoryTags trails={item.categories} href={helpers.listHref} label={t.categoryOf} tagLabel={t.tagsOf} />
        </div>
      </div>
    </li>
  );
}

/** Consecutive items of the same month (in the site's zone), for archive pages. */
function byMonth(config: AppConfig, items: ListView['items']): { label: string; items: ListView['items'] }[] {
  const fmt = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: config.displayTimeZone });
  const groups: { key: string; label: string; items: ListView['items'] }[] = [];
  for (const item of items) {
    const key = item.date ? fmt.format(new Date(item.date)) : '';
    const [year = '', month = ''] = key.split('-');
    let group = groups[groups.length - 1];
    if (!group || group.key !== key) {
      group = { key, label: key ? config.strings.archiveMonth(year, month) : '—', items: [] };
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups;
}

export function ListPage(props: { config: AppConfig; helpers: ViewHelpers; view: ListView }) {
  const { config, view, helpers } = props;
  const t = config.strings;
  return (
    <Layout config={config} links={helpers.links} head={{ title: t.pageTitle(view.heading, view.page), path: view.path }}>
      {view.trail.length > 1 ? (
        <nav class="breadcrumb" aria-label={t.breadcrumb}>
          {view.trail.slice(0, -1).map(([name, key]) => (
            <>
              <a href={helpers.listHref(key)}>{name}</a>
              <span aria-hidden="true"> › </span>
            </>
          ))}
        </nav>
      ) : null}
      <h1>{view.heading}</h1>
      {view.subheading ? <p class="list-count">{view.subheading}</p> : null}
      {view.items.length === 0 ? <p class="empty">{t.noArticles}</p> : null}
      {view.groupByMonth ? (
        byMonth(config, view.items).map((group) => (
          <section>
            <h2 class="archive-month">{group.label}</h2>
            <ul class="post-list">
              {group.items.map((item) => (
                <Item config={config} helpers={helpers} item={item} level={3} />
              ))}
            </ul>
          </section>
        ))
      ) : view.items.length > 0 ? (
        <ul class="post-list">
          {view.items.map((item) => (
            <Item config={config} helpers={helpers} item={item} level={2} />
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
