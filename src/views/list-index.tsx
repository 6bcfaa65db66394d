import type { AppConfig } from '../config.js';
import type { ListRow } from '../store/d1-layout.js';
import { Layout } from './layout.js';
import type { ViewHelpers } from './list-page.js';

interface Node {
  row: ListRow;
  children: Node[];
}

/** Categories as a tree (by parent key); rows come sorted by key. */
function tree(rows: ListRow[]): Node[] {
  const nodes = new Map<string, Node>();
  for (const row of rows) nodes.set(row.key, { row, children: [] });
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.row.parent ? nodes.get(node.row.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function Branch(props: { nodes: Node[]; helpers: ViewHelpers }) {
  return (
    <ul class="category-tree">
      {props.nodes.map((node) => (
        <li>
          <a href={props.helpers.listHref(node.row.key)}>{node.row.name}</a> <span class="count">({node.row.count})</span>
          {node.children.length > 0 ? <Branch nodes={node.children} helpers={props.helpers} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** /categories/ (the tree with counts) and /tags/ (every tag with its count). */
export function ListIndexPage(props: { config: AppConfig; helpers: ViewHelpers; index: 'categories' | 'tags'; rows: ListRow[]; path: string }) {
  const { config, helpers, rows } = props;
  const t = config.strings;
  const heading = props.index === 'categories' ? t.categories : t.tags;
  return (
    <Layout config={config} links={helpers.links} head={{ title: heading, path: props.path }}>
      <h1>{heading}</h1>
      {rows.length === 0 ? <p class="empty">{t.noArticles}</p> : null}
      {props.index === 'categories' ? (
        rows.length > 0 ? <Branch nodes={tree(rows)} helpers={helpers} /> : null
      ) : rows.length > 0 ? (
        <ul class="tag-cloud">
          {rows.map((row) => (
            <li>
              <a href={helpers.listHref(row.key)}>{row.name}</a> <span class="count">({row.count})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}
