import { categoryPath } from './format.js';

/** The category links of an article, in list entries and on the article page. */
export function CategoryTags(props: { categories: string[] }) {
  if (props.categories.length === 0) return null;
  return (
    <ul class="tags" aria-label="分类">
      {props.categories.map((c) => (
        <li>
          <a href={categoryPath(c)}>{c}</a>
        </li>
      ))}
    </ul>
  );
}
