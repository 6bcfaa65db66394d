import type { AppConfig } from '../config.js';
import { Layout } from './layout.js';

export function ErrorPage(props: { config: AppConfig; status: number; title: string; message: string; path: string }) {
  return (
    <Layout config={props.config} head={{ title: props.title, path: props.path, noindex: true }}>
      <h1>{props.title}</h1>
      <p class="notice">{props.message}</p>
      <p>
        <a href="/">← 返回首页</a> · <a href="/sitemap.xml">站点地图</a>
      </p>
    </Layout>
  );
}
