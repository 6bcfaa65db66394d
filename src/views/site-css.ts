import { ARTICLE_BODY_CSS } from '../rewrite/article-css.js';

/**
 * The site's only stylesheet, served from /assets/site.css (same origin, so the CSP can forbid
 * every third-party and inline style element). System CJK font stacks: no web fonts to fetch.
 */
/**
 * The site's own rules (what the rewritten article body needs comes after them). Choices the
 * validators drove: inline code keeps its spaces (`pre-wrap`, so a sample reads as written, and
 * still wraps at 360 px); ruby text is at least 12 px; search highlights set their own text colour
 * (muted snippet text on them was under 4.5:1 in dark mode, WCAG 1.4.3).
 */
export const SITE_CSS_BASE = `
:root{color-scheme:light dark;--bg:#fdfdfc;--fg:#1f2328;--muted:#5f6670;--line:#e3e5e8;--accent:#0b62c4;--card:#fff;--code:#f3f4f6}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e8eb;--muted:#a2a9b3;--line:#2d3136;--accent:#6cb1ff;--card:#1c1f23;--code:#22262b}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.8 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;overflow-wrap:anywhere;word-break:normal;line-break:strict}
a{color:var(--accent);text-decoration-thickness:1px;text-underline-offset:2px}
.site-header,.site-footer{max-width:46rem;margin:0 auto;padding:1rem 1.25rem;display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
.site-header{border-bottom:1px solid var(--line)}
.site-nav{display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.95rem}
.search-form{display:flex;gap:.4rem;flex:1 1 12rem;min-width:0}
.search-form input{flex:1 1 auto;min-width:0;font:inherit;font-size:.95rem;padding:.3rem .6rem;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg)}
.search-form button{font:inherit;font-size:.95rem;padding:.3rem .8rem;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg);cursor:pointer}
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.breadcrumb{color:var(--muted);font-size:.9rem;margin-top:1rem}
.list-count{color:var(--muted);margin-top:0}
.archive-month{font-size:1.2rem;margin:1.5rem 0 .3rem}
.post-list h3{font-size:1.05rem;line-height:1.5;margin:0 0 .3rem}
.post-list h3 a{color:var(--fg);text-decoration:none}
.category-tree,.tag-cloud{line-height:2}
.category-tree .count,.tag-cloud .count{color:var(--muted);font-size:.85rem}
.tag-cloud{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.search-results mark{background:#ffe58f;color:#1f2328;padding:0 .1em;border-radius:2px}
@media (prefers-color-scheme:dark){.search-results mark{background:#6b4f00;color:#f3f4f6}}
.snippet{color:var(--muted);margin:.2rem 0 0;font-size:.95rem}
.site-title{font-weight:700;font-size:1.15rem;color:var(--fg);text-decoration:none}
.site-footer{border-top:1px solid var(--line);color:var(--muted);font-size:.85rem;margin-top:3rem}
main{max-width:46rem;margin:0 auto;padding:1rem 1.25rem}
h1{font-size:1.6rem;line-height:1.4;margin:1.2rem 0 .6rem;letter-spacing:.01em}
.meta{color:var(--muted);font-size:.9rem;display:flex;flex-wrap:wrap;gap:.25rem .9rem;margin-bottom:1rem}
.tags{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:0}
.tags a{font-size:.8rem;border:1px solid var(--line);border-radius:999px;padding:0 .6rem;text-decoration:none}
.headimg{display:block;width:100%;height:auto;max-height:60vh;object-fit:cover;border-radius:8px;margin:.5rem 0 1.25rem;background:var(--line)}
.article-body{font-size:1.0625rem}
.article-body p{margin:0 0 1.1em;text-align:justify}
.article-body img,.article-body video,.article-body iframe{max-width:100%;height:auto;border-radius:4px}
.article-body img{display:block;margin:1em auto}
.article-body figure{margin:1em 0}
.article-body pre{overflow-x:auto;background:var(--code);padding:.8rem 1rem;border-radius:6px;font-size:.875rem;line-height:1.6;white-space:pre}
.article-body code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;font-size:.9em;white-space:pre-wrap}
.article-body pre code{white-space:inherit}
.article-body table{display:block;max-width:100%;overflow-x:auto;border-collapse:collapse;margin:1em 0}
.article-body td,.article-body th{border:1px solid var(--line);padding:.3rem .6rem}
.article-body h5,.article-body h6{font-size:1em}
.article-body rt{font-size:max(12px,.5em)}
.article-body blockquote{margin:1em 0;padding:.2rem 1rem;border-left:4px solid var(--line);color:var(--muted)}
.article-nav{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin-top:2.5rem;border-top:1px solid var(--line);padding-top:1rem;font-size:.95rem}
.article-nav .next{text-align:right}
.article-nav span{display:block;color:var(--muted);font-size:.8rem}
.post-list{list-style:none;margin:0;padding:0}
.post-list>li{display:flex;gap:1rem;padding:1rem 0;border-bottom:1px solid var(--line);align-items:flex-start}
.post-list .thumb{flex:0 0 auto;width:120px;height:80px;object-fit:cover;border-radius:6px;background:var(--line)}
.post-list h2{font-size:1.05rem;line-height:1.5;margin:0 0 .3rem}
.post-list h2 a{color:var(--fg);text-decoration:none}
.post-list h2 a:hover{color:var(--accent)}
.pager{display:flex;justify-content:space-between;align-items:center;margin:1.5rem 0;color:var(--muted);font-size:.9rem}
.empty,.notice{color:var(--muted)}
@media (max-width:480px){body{font-size:16px}h1{font-size:1.35rem}.article-body p{text-align:start}.post-list .thumb{width:88px;height:64px}.article-nav{grid-template-columns:1fr}.article-nav .next{text-align:left}}
`;

export const SITE_CSS = `${SITE_CSS_BASE}${ARTICLE_BODY_CSS}\n`;
