import type { TrailStep } from '../store/d1-layout.js';

/** An article's category hierarchies (每级链接) and tags, as links to their lists. */
export function CategoryTags(props: { trails: TrailStep[][]; tags?: TrailStep[]; href: (key: string) => string; label: string; tagLabel: string }) {
  const { trails, tags = [], href } = props;
  if (trails.length === 0 && tags.length === 0) return null;
  return (
    <>
      {trails.length > 0 ? (
        <ul class="tags" aria-label={props.label}>
          {trails.map((trail) => (
            <li>
              {trail.map(([name, key], i) => (
                <>
                  {i > 0 ? <span aria-hidden="true"> › </span> : null}
                  <a href={href(key)}>{name}</a>
                </>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
      {tags.length > 0 ? (
        <ul class="tags" aria-label={props.tagLabel}>
          {tags.map(([name, key]) => (
            <li>
              <a href={href(key)}>#{name}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
