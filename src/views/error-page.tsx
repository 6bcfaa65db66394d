import type { AppConfig } from '../config.js';
import { Layout, type SiteLinks } from './layout.js';

/** Error pages: no canonical URL (they are not documents), not indexed. */
export function ErrorPage(props: { config: AppConfig; links: SiteLinks; title: string; message: string }) {
  const t = props.config.strings;
  return (
    <Layout config={props.config} links={props.links} head={{ title: props.title, path: null, noindex: true }}>
      <h1>{props.title}</h1>
      <p class="notice">{props.message}</p>
      <p>
        <a href="/">{t.backHome}</a> · <a href="/sitemap.xml">{t.sitemap}</a>
      </p>
    </Layout>
  );
}
