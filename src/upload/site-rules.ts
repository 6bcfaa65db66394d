/**
 * The Hexo rules of one upload (src/hexo), bound to its settings: permalinks, category and tag
 * list keys, archive months, abbrlinks. Slugs are memoised: 100k posts name few categories.
 */
import { zonedParts } from '../content/dates.js';
import { assignAbbrlinks } from '../hexo/abbrlink.js';
import { permalinkFor } from '../hexo/permalink.js';
import { categorySlugs, tagSlug } from '../hexo/site-paths.js';
import { type TrailStep, listKey } from '../store/d1-layout.js';
import type { SiteRules } from './plan.js';
import type { UploadSettings } from './settings.js';

/** Hexo would make `/categories//` of a name that slugizes to nothing; we keep the name instead. */
const fallback = (slug: string, name: string) => (slug !== '' ? slug : name.replace(/[\s/]+/g, '-'));

export function siteRules(settings: UploadSettings): SiteRules {
  const slugOptions = { filename_case: settings.filenameCase, category_map: settings.categoryMap };
  const tagOptions = { filename_case: settings.filenameCase, tag_map: settings.tagMap };
  const levelSlug = new Map<string, string>();
  const slugOf = (name: string) => {
    let slug = levelSlug.get(name);
    if (slug === undefined) {
      slug = fallback(categorySlugs([name], slugOptions)[0] ?? '', name);
      levelSlug.set(name, slug);
    }
    return slug;
  };
  const tags = new Map<string, { key: string; name: string }>();
  return {
    permalink: (post) =>
      permalinkFor(settings.permalink, post, {
        timeZone: settings.timeZone,
        default_category: settings.defaultCategory,
        filename_case: settings.filenameCase,
        category_map: settings.categoryMap,
      }),
    categoryTrails(categories) {
      const trails: TrailStep[][] = [];
      const seen = new Set<string>();
      for (const names of categories) {
        if (names.length === 0) continue;
        const slugs = names.map(slugOf);
        const trail = names.map((name, i): TrailStep => [name, listKey.category(slugs.slice(0, i + 1))]);
        const leaf = trail[trail.length - 1]![1];
        if (seen.has(leaf)) continue;
        seen.add(leaf);
        trails.push(trail);
      }
      return trails;
    },
    tagList(tag) {
      let t = tags.get(tag);
      if (!t) {
        t = { key: listKey.tag(fallback(tagSlug(tag, tagOptions), tag)), name: tag };
        tags.set(tag, t);
      }
      return t;
    },
    archive(date) {
      if (date === null) return null;
      const parts = zonedParts(date, settings.timeZone);
      return { year: String(parts.year).padStart(4, '0'), month: String(parts.month).padStart(2, '0') };
    },
    abbrlinks: (posts, existing) => assignAbbrlinks(posts, existing, settings.abbrlink),
  };
}
