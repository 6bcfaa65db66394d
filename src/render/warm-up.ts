/**
 * Renders a small representative article once when the isolate starts. The first linkedom parse
 * and template render in a fresh isolate cost several times a warm one (JIT, lazy module state:
 * see BENCHMARKS.md "Render"); paying that at start-up keeps the first reader's request fast.
 * Start-up stays well under Workers' limit (module start-up is measured in BENCHMARKS.md).
 */
import { getConfig } from '../config.js';
import { LAYOUT_VERSION, type StoredArticle } from '../store/kv-layout.js';
import { renderArticleHtml } from './render-article.js';

const SAMPLE_BODY = `
<div><p><strong>标题</strong>：正文 <a href="https://example.com/a">链接</a> &amp; 文字&nbsp;。</p>
<div class="img_box" onclick><img class="lazy opacity_0 " data-original="http://img.example.com/a.jpg" data-width="600"
data-height="400" src="https://cors.zfour.workers.dev/?http://img.example.com/a.jpg" referrerpolicy="no-referrer"></div>
<p>第二段 <em>强调</em> <code>a &lt; b</code></p><ul><li>一</li><li>二</li></ul>
<table><tr><td>1</td></tr></table><blockquote><p>引用</p></blockquote><pre>code</pre>
<p style="text-align: center;"><img src="https://img.example.com/b.png" width="600" height="400"></p>
<h2>小标题</h2><p>一段&nbsp;文字<br>换行</p><button>打赏</button><svg viewBox="0 0 1 1"><path d="M0"/></svg></div>`;

export function warmUp(): void {
  try {
    const config = getConfig({ IMAGE_SIGNING_KEY: 'warm-up-only-key', SITE_URL: 'http://localhost' } as Partial<Env>);
    const article: StoredArticle = {
      v: LAYOUT_VERSION,
      slug: 'warm-up',
      path: '/warm-up/',
      abbrlink: '0',
      title: '预热',
      date: '2021-11-13T06:08:05.000Z',
      author: 'warm-up',
      categories: [['a']],
      tags: [],
      headimg: 'https://cors.zfour.workers.dev/?http://img.example.com/h.jpg',
      thumbnail: null,
      lang: null,
      // One pass over a representative sample: enough for the first render (BENCHMARKS.md).
      body: SAMPLE_BODY,
      nav: { newer: null, older: null },
      links: { categories: [[['a', 'cat:a']]], tags: [] },
      hash: 'warm-up',
      changedAt: '2021-11-13T06:08:05.000Z',
    };
    renderArticleHtml(config, article);
  } catch (error) {
    // Never let a warm-up problem stop the Worker from starting.
    console.error(`warm-up failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
