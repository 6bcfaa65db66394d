/**
 * One row per shape: input body → exact output (default options unless the row says otherwise).
 * Every row also checks that a second rewrite changes nothing and that the output is a fixed
 * point of the HTML parser (parse5). docs/rewrite-shapes.md lists these rows by name.
 */
import { describe, expect, it } from 'vitest';
import { rewriteBody, rewriteHtml, type RewriteOptions } from '../../../src/rewrite/rewrite-html';
import { collapse, options, reserialize, route, textOf } from './helpers';

const A = 'http://a.com/b.png';
const IMG_TAIL = ' loading="lazy" decoding="async" referrerpolicy="no-referrer">';
/** An output image: src, alt (every image has one), then `extra` attributes. */
const img = (src: string, extra = '', alt = ''): string => `<img src="${src}" alt="${alt}"${extra}${IMG_TAIL}`;

type Row = [name: string, input: string, expected: string, overrides?: Partial<RewriteOptions>];

const images: Row[] = [
  [
    'zaker lazy-load markup becomes a plain lazy image',
    '<div class="img_box" id="id_imagebox_0" onclick><div class="content_img_div perview_img_div"><img class="lazy opacity_0 " id="img_0" data-original="http://zkres1.myzaker.com/202111/a_1024.jpg" data-height="423" data-width="600" src="https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/202111/a_1024.jpg" referrerpolicy="no-referrer"></div></div>',
    `<div id="id_imagebox_0" class="img_box"><div class="content_img_div perview_img_div">${img(route('http://zkres1.myzaker.com/202111/a_1024.jpg'), ' id="img_0" width="600" height="423"')}</div></div>`,
  ],
  ['https proxy in img src', `<img src="https://cors.zfour.workers.dev/?${A}">`, img(route(A))],
  ['http proxy in img src', `<img src="http://cors.zfour.workers.dev/?${A}">`, img(route(A))],
  ['protocol-relative proxy in img src', `<img src="//cors.zfour.workers.dev/?${A}">`, img(route(A))],
  [
    'target with its own query string (&amp; in the attribute)',
    '<img src="https://cors.zfour.workers.dev/?http://a.com/b.jpg?x=1&amp;y=2">',
    img(route('http://a.com/b.jpg?x=1&y=2')),
  ],
  [
    'percent-encoded target',
    '<img src="https://cors.zfour.workers.dev/?http%3A%2F%2Fa.com%2Fb.png">',
    img(route(A)),
  ],
  [
    'upper-case tag and attributes',
    `<IMG SRC="https://cors.zfour.workers.dev/?${A}" ALT="Pic">`,
    img(route(A), '', 'Pic'),
  ],
  ['unquoted attribute values', `<img src=https://cors.zfour.workers.dev/?${A} alt=pic>`, img(route(A), '', 'pic')],
  [
    'proxy URL entity-encoded in the attribute',
    '<img src="https&#58;//cors.zfour.workers.dev/?http&#x3A;//a.com/b.png">',
    img(route(A)),
  ],
  [
    'srcset candidates are each unwrapped and routed',
    `<img srcset="https://cors.zfour.workers.dev/?http://a.com/1.png 1x, http://a.com/2.png?w=1,2 2x">`,
    `<img src="${route('http://a.com/1.png')}" srcset="${route('http://a.com/1.png')} 1x, ${route('http://a.com/2.png?w=1,2')} 2x" alt=""${IMG_TAIL}`,
  ],
  [
    'width-described srcset gets the column sizes; mixed or repeated descriptors are dropped',
    '<img src="http://a.com/1.png" srcset="http://a.com/1.png 600w, http://a.com/2.png 1200w, http://a.com/3.png 2x, http://a.com/4.png 600w" sizes="(max-width: 9px) 9px">',
    `<img src="${route('http://a.com/1.png')}" srcset="${route('http://a.com/1.png')} 600w, ${route('http://a.com/2.png')} 1200w" sizes="(max-width: 736px) 100vw, 736px" alt=""${IMG_TAIL}`,
  ],
  [
    'picture source srcset',
    `<picture><source srcset="https://cors.zfour.workers.dev/?${A}" type="image/png"><img src="${A}"></picture>`,
    `<picture><source srcset="${route(A)}" type="image/png">${img(route(A))}</picture>`,
  ],
  [
    'data-src wins over a data: placeholder src',
    `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${A}">`,
    img(route(A)),
  ],
  ['data:image/* src stays', '<img src="data:image/png;base64,iVBORw0KGgo=">', img('data:image/png;base64,iVBORw0KGgo=')],
  ['non-image data: src removes the image', '<p>x<img src="data:text/html;base64,PHNjcmlwdD4=">y</p>', '<p>xy</p>'],
  ['root-relative src cannot be resolved: image removed', '<p><img src="/uploads/a.png" alt="a"></p>', '<p></p>'],
  ['alt that is a URL is not used: title instead', `<img src="${A}" alt="${A}" title="Chart">`, img(route(A), ' title="Chart"', 'Chart')],
  ['alt that is the proxy URL is not used (no unwrapped URL as alt)', `<img src="${A}" alt="https://cors.zfour.workers.dev/?${A}">`, img(route(A))],
  ['alt that is the file name is not used', '<img src="http://a.com/IMG_1234.JPG" alt="IMG_1234">', img(route('http://a.com/IMG_1234.JPG'))],
  ['title that is a file name is not used as alt (kept as the tooltip)', `<img src="${A}" title="b.png">`, img(route(A), ' title="b.png"')],
  [
    'the caption of a figure is the alt of its only image',
    `<figure><img src="${A}"><figcaption>The <b>new</b> engine</figcaption></figure>`,
    `<figure>${img(route(A), '', 'The new engine')}<figcaption>The <b>new</b> engine</figcaption></figure>`,
  ],
  [
    'a figure with two images: no caption alt',
    `<figure><img src="${A}"><img src="${A}"><figcaption>Both</figcaption></figure>`,
    `<figure>${img(route(A))}${img(route(A))}<figcaption>Both</figcaption></figure>`,
  ],
  [
    'a figure in a list item: no caption alt (it would repeat the item text)',
    `<ul><li><figure><img src="${A}"><figcaption>Item</figcaption></figure></li></ul>`,
    `<ul><li><figure>${img(route(A))}<figcaption>Item</figcaption></figure></li></ul>`,
  ],
  [
    'an image alone in a link gets a name',
    `<a href="https://a.com/"><img src="${A}"></a>`,
    `<a href="https://a.com/">${img(route(A), '', '图片')}</a>`,
  ],
  [
    'an image in a link with text keeps alt=""',
    `<a href="https://a.com/"><img src="${A}">Home</a>`,
    `<a href="https://a.com/">${img(route(A))}Home</a>`,
  ],
  [
    'linkedImageAlt option names image-only links',
    `<a href="https://a.com/"><img src="${A}"></a>`,
    `<a href="https://a.com/">${img(route(A), '', 'image')}</a>`,
    { linkedImageAlt: 'image' },
  ],
  ['align on an image becomes a float', `<img src="${A}" align="left" border="0">`, img(route(A), ' style="float: left"')],
  ['parent-relative src: image removed', '<p><img src="../a.png"></p>', '<p></p>'],
  ['windows path src: image removed', '<p><img src="C:\\Users\\me\\a.png"></p>', '<p></p>'],
  ['file: src: image removed', '<p><img src="file:///C:/a.png"></p>', '<p></p>'],
  ['proxied loopback target is dropped, not routed', '<p><img src="https://cors.zfour.workers.dev/?http://127.0.0.1/a.png"></p>', '<p></p>'],
  [
    'proxied link-local (metadata) target is dropped',
    '<p><img src="https://cors.zfour.workers.dev/?http://169.254.169.254/latest/meta-data/"></p>',
    '<p></p>',
  ],
  ['proxied private IPv6 target is dropped', '<p><img src="https://cors.zfour.workers.dev/?http://[::1]/a.png"></p>', '<p></p>'],
  ['proxied javascript: target is dropped', '<p><img src="https://cors.zfour.workers.dev/?javascript:alert(1)"></p>', '<p></p>'],
  ['proxied file: target is dropped', '<p><img src="https://cors.zfour.workers.dev/?file:///etc/passwd"></p>', '<p></p>'],
  ['empty proxied target is dropped', '<p><img src="https://cors.zfour.workers.dev/?"></p>', '<p></p>'],
  ['our own route path is kept (idempotence)', `<img src="${route(A)}">`, img(route(A))],
  ['never-proxied https image is routed', '<img src="https://img.ithome.com/a.png">', img(route('https://img.ithome.com/a.png'))],
  ['never-proxied http image is routed', `<img src="${A}">`, img(route(A))],
  ['protocol-relative image is routed as https', '<img src="//img.example.com/a.png">', img(route('https://img.example.com/a.png'))],
  [
    'routeAllImages off: never-proxied image keeps its URL',
    '<img src="https://img.ithome.com/a.png">',
    img('https://img.ithome.com/a.png'),
    { routeAllImages: false },
  ],
  [
    'routeAllImages off: proxied image is still routed',
    `<img src="https://cors.zfour.workers.dev/?${A}">`,
    img(route(A)),
    { routeAllImages: false },
  ],
  [
    'cors-anywhere prefix from config',
    '<img src="https://proxy.example.net/https:/a.com/b.png">',
    img(route('https://a.com/b.png')),
    { proxyPrefixes: ['https://proxy.example.net/'] },
  ],
  [
    'width/height only as a pair of positive integers (the title is the alt)',
    `<img src="${A}" width="50%" title="t">`,
    img(route(A), ' title="t"', 't'),
  ],
  ['width/height attributes win over data-width/height', `<img src="${A}" width="760" height="350" data-width="1" data-height="2">`, img(route(A), ' width="760" height="350"')],
  ['lazy classes removed, others kept', `<img class="lazy aligncenter opacity_0" src="${A}">`, img(route(A), ' class="aligncenter"')],
  ['title that is a proxy URL shows the original', `<img src="${A}" title="https://cors.zfour.workers.dev/?${A}">`, img(route(A), ` title="${A}"`)],
  [
    'video poster routed, proxied https media unwrapped, sources dropped when the video has a src',
    `<video poster="https://cors.zfour.workers.dev/?${A}" src="https://cors.zfour.workers.dev/?https://v.com/a.mp4" autoplay><source src="https://v.com/c.webm"></video>`,
    `<video src="https://v.com/a.mp4" poster="${route(A)}" controls="" preload="none"></video>`,
  ],
  [
    'video sources: http dropped, proxied https unwrapped, only before other content',
    `<video><source src="http://v.com/b.mp4"><source src="https://cors.zfour.workers.dev/?https://v.com/c.webm" type="video/webm; codecs=vp9">old browser<source src="https://v.com/d.mp4"></video>`,
    `<video controls="" preload="none"><source src="https://v.com/c.webm" type="video/webm">old browser</video>`,
  ],
  ['audio src over http dropped', '<audio src="http://a.com/a.mp3"></audio>', '<audio controls="" preload="none"></audio>'],
  ['source outside picture/video/audio is dropped', `<div><source srcset="${A}"></div>`, '<div></div>'],
];

const links: Row[] = [
  ['a href to a proxied image is routed', `<a href="https://cors.zfour.workers.dev/?${A}">big</a>`, `<a href="${route(A)}">big</a>`],
  [
    'a href to a proxied non-image is routed (the proxy only carried images)',
    '<a href="https://cors.zfour.workers.dev/?http://a.com/page">p</a>',
    `<a href="${route('http://a.com/page')}">p</a>`,
  ],
  ['a href to a proxied private target loses its href', '<a href="https://cors.zfour.workers.dev/?http://10.0.0.1/a.png">p</a>', '<a>p</a>'],
  ['a href to an unproxied image is routed', '<a href="http://dockone.io/a.jpg">x</a>', `<a href="${route('http://dockone.io/a.jpg')}">x</a>`],
  ['a href to an image with a CDN style suffix is routed', '<a href="http://img.jandan.net/a.jpg!custom">x</a>', `<a href="${route('http://img.jandan.net/a.jpg!custom')}">x</a>`],
  ['a href to a web page stays', '<a href="https://gitee.com/dromara/cubic?a=1&amp;b=2">g</a>', '<a href="https://gitee.com/dromara/cubic?a=1&amp;b=2">g</a>'],
  ['routeAllImages off: a href to an unproxied image stays', '<a href="http://dockone.io/a.jpg">x</a>', '<a href="http://dockone.io/a.jpg">x</a>', { routeAllImages: false }],
  ['relative and fragment links stay', '<a href="#toc-1">1</a><a href="/about">2</a>', '<a href="#toc-1">1</a><a href="/about">2</a>'],
  ['mailto link stays', '<a href="mailto:a@b.c">m</a>', '<a href="mailto:a@b.c">m</a>'],
  ['javascript: link loses its href', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
  ['data: link loses its href', '<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a>x</a>'],
  [
    'target=_blank gets rel=noopener noreferrer, merged with existing rel',
    '<a href="https://a.com/" target="_blank" rel="nofollow">x</a>',
    '<a href="https://a.com/" target="_blank" rel="nofollow noopener noreferrer">x</a>',
  ],
  ['blockquote cite proxy unwrapped', `<blockquote cite="https://cors.zfour.workers.dev/?${A}">q</blockquote>`, `<blockquote cite="${A}">q</blockquote>`],
  [
    'URLs are made valid: spaces, braces, a second # and stray % are percent-encoded',
    '<a href="https://a.com/a b?q={x}|y#f#g">1</a><a href="/x y\\z">2</a><a href="https://a.com/%zz">3</a>',
    '<a href="https://a.com/a%20b?q=%7Bx%7D%7Cy#f%23g">1</a><a href="/x%20y/z">2</a><a href="https://a.com/%25zz">3</a>',
  ],
  ['target keywords other than _blank/_self/_parent/_top are dropped', '<a href="https://a.com/" target="_new">x</a>', '<a href="https://a.com/">x</a>'],
  ['unknown rel keywords are dropped', '<a href="https://a.com/" rel="nofollow bogus opener">x</a>', '<a href="https://a.com/" rel="nofollow">x</a>'],
  ['an empty link loses its href (it would have no name)', '<p><a href="https://a.com/" id="top"></a>x</p>', '<p><a id="top"></a>x</p>'],
];

const styles: Row[] = [
  [
    'style url() proxied is routed, other declarations kept',
    `<div style="background: url('https://cors.zfour.workers.dev/?${A}') no-repeat; color: red;">x</div>`,
    `<div style="background: url(&quot;${route(A)}&quot;) no-repeat; color: #da0000">x</div>`,
  ],
  [
    'style url() never proxied is routed',
    '<p style="background-image:URL(http://a.com/bg.jpg)">x</p>',
    `<p style="background-image: url(&quot;${route('http://a.com/bg.jpg')}&quot;)">x</p>`,
  ],
  ['style url(javascript:) declaration dropped', '<p style="color: #333; background-image: url(javascript:alert(1))">x</p>', '<p style="color: #333">x</p>'],
  ['text colours too light for the page are darkened (contrast ≥ 4.5:1)', '<p style="color: red">x</p>', '<p style="color: #da0000">x</p>'],
  [
    'the overlay link keeps none of its style',
    '<a href="https://evil.example/" style="position:fixed;inset:0;z-index:2147483647;background:rgba(255,255,255,.01)">x</a>',
    '<a href="https://evil.example/" style="background: #fefefd">x</a>',
  ],
  ['negative and huge margins are dropped', '<p style="margin: -500px 0; margin-left: 9000px; padding: 1em">x</p>', '<p style="padding: 1em">x</p>'],
  ['!important is removed', '<p style="text-align: center !important">x</p>', '<p style="text-align: center">x</p>'],
  [
    'no text under 12px: tiny font sizes are dropped, <font size=1> is small',
    '<p style="font-size: 8px; line-height: 0">a</p><font size="1">b</font>',
    '<p>a</p><span style="font-size: small">b</span>',
  ],
  ['style url() with a relative target dropped', '<p style="background: url(/a.png); margin: 0">x</p>', '<p style="margin: 0">x</p>'],
  ['style expression() dropped', '<p style="width: expression(alert(1)); height: 1px">x</p>', '<p style="height: 1px">x</p>'],
  ['style with CSS-escaped expression dropped', '<p style="width: \\65 xpression(alert(1))">x</p>', '<p>x</p>'],
  ['style with comment-split expression dropped', '<p style="width: expr/**/ession(alert(1))">x</p>', '<p>x</p>'],
  ['style -moz-binding and behavior dropped', '<p style="-moz-binding: url(http://a.com/x.xml#x); behavior: url(x.htc); color: blue">x</p>', '<p style="color: blue">x</p>'],
  ['style image-set() dropped (plain-string URLs cannot be routed)', '<p style="background-image: image-set(\'http://a.com/a.png\' 1x)">x</p>', '<p>x</p>'],
  ['ordinary inline style kept', '<p style="text-indent: 2em; text-align: left;">x</p>', '<p style="text-indent: 2em; text-align: left">x</p>'],
];

const text: Row[] = [
  ['proxy URL in prose is text and stays', `<p>see https://cors.zfour.workers.dev/?${A} here</p>`, `<p>see https://cors.zfour.workers.dev/?${A} here</p>`],
  [
    'proxy URL in pre/code text stays',
    `<pre><code>&lt;img src="https://cors.zfour.workers.dev/?${A}"&gt;</code></pre>`,
    `<pre tabindex="0"><code>&lt;img src="https://cors.zfour.workers.dev/?${A}"&gt;</code></pre>`,
  ],
  [
    'unescaped markup in code is shown as written',
    '<pre><code>return <div className="a">{x}</div>; <Child /></code></pre>',
    '<pre tabindex="0"><code>return &lt;div className="a"&gt;{x}&lt;/div&gt;; &lt;Child /&gt;</code></pre>',
  ],
  [
    'highlighter markup in code stays markup',
    '<code class="hljs"><span class="hljs-keyword">const</span> a = <b>1</b>;</code>',
    '<code class="hljs"><span class="hljs-keyword">const</span> a = <b>1</b>;</code>',
  ],
  ['comments are dropped (with any proxy URL in them)', `<p>a<!-- <img src="https://cors.zfour.workers.dev/?${A}"> -->b</p>`, '<p>ab</p>'],
  ['&lt; in text stays escaped', '<p>a &lt; b &gt; c &amp; d</p>', '<p>a &lt; b &gt; c &amp; d</p>'],
  ['&nbsp; and U+00A0 stay non-breaking spaces', '<p>a&nbsp;b\u00a0c</p>', '<p>a&nbsp;b&nbsp;c</p>'],
  ['&#123; braces display as braces', '<code>&#123;state.todo&#125;</code>', '<code>{state.todo}</code>'],
  ['raw < in text is re-escaped', '<p>if a < b then 1<2</p>', '<p>if a &lt; b then 1&lt;2</p>'],
  ['the newline browsers drop after <pre> is dropped', '<pre>\ncode</pre>', '<pre tabindex="0">code</pre>'],
  ['a second leading newline of pre is kept (written twice so it survives parsing)', '<pre>\n\ncode</pre>', '<pre tabindex="0">\n\ncode</pre>'],
  ['xmp is shown as preformatted text', '<xmp><b>x</b></xmp>', '<pre tabindex="0">&lt;b&gt;x&lt;/b&gt;</pre>'],
  ['CR and CRLF become LF; control characters are dropped', '<p>a\r\nb\rc\u0001d\u0085e</p>', '<p>a\nb\ncde</p>'],
];

const elementsRows: Row[] = [
  ['script removed with its content', '<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
  ['style element removed with its content', '<div><style>.x{color:red}</style>t</div>', '<div>t</div>'],
  ['iframe removed when the allowlist is empty', '<p><iframe src="https://www.kaspersky.com/embed"></iframe>x</p>', '<p>x</p>'],
  [
    'iframe from an allowlisted https host survives, sandboxed',
    '<iframe title="t" src="https://www.kaspersky.com/blog/x/embed/#?secret=1" width="500" height="282" onload="x()" style="position:absolute"><b>fallback</b></iframe>',
    '<iframe src="https://www.kaspersky.com/blog/x/embed/#?secret=1" width="500" height="282" title="t" loading="lazy" sandbox="allow-scripts allow-popups allow-presentation" referrerpolicy="strict-origin-when-cross-origin"></iframe>',
    { iframeAllowlist: ['www.kaspersky.com'] },
  ],
  ['iframe from an allowlisted host over http is removed', '<iframe src="http://www.kaspersky.com/x"></iframe>', '', { iframeAllowlist: ['www.kaspersky.com'] }],
  ['iframe from another host is removed', '<iframe src="https://evil.com/x"></iframe>', '', { iframeAllowlist: ['www.kaspersky.com'] }],
  ['button removed with its content (and its svg)', '<div>a<button class="b" data-avatar="http://a.com/a.jpg"><svg><path d="M0"/></svg>pay</button></div>', '<div>a</div>'],
  ['form is unwrapped: its text stays, the form goes', '<form action="javascript:alert(1)"><p>text</p><input value="x"></form>', '<p>text</p>'],
  ['unknown element unwrapped', '<my-widget foo="bar"><b>bold</b></my-widget><o:p>word</o:p>', '<b>bold</b>word'],
  ['stray body/html tags unwrapped, handlers dropped', '<body onload="alert(1)"><p>x</p></body>', '<p>x</p>'],
  ['event handlers and data-* dropped from kept elements', '<div onclick="x()" data-x="1" class="c" ONMOUSEOVER="y()">t</div>', '<div class="c">t</div>'],
  ['text after a stray </body></html> is kept', 'a</body></html>tail<p>more</p>', 'atail<p>more</p>'],
  [
    'table: rows get their tbody, obsolete attributes become CSS, spans are trimmed to the table',
    '<table border="1" width="80%"><tr><td colspan="2" onclick="x" valign="top">c</td><td colspan="9">d</td></tr><tr><td>1</td><td rowspan="3">2</td><td>3</td></tr></table>',
    '<table style="width: 80%" tabindex="0"><tbody><tr><td colspan="2" style="vertical-align: top">c</td><td>d</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>',
  ],
];

describe('rewriteHtml shapes', () => {
  describe.each([
    ['images', images],
    ['links', links],
    ['styles', styles],
    ['text', text],
    ['elements', elementsRows],
  ] as const)('%s', (_group, rows) => {
    it.each(rows)('%s', (_name, input, expected, overrides) => {
      const opts = options(overrides);
      const out = rewriteHtml(input, opts);
      expect(out).toBe(expected);
      expect(rewriteHtml(out, opts)).toBe(out);
      expect(reserialize(out)).toBe(out.replace(/(<pre\b[^>]*>)\n/g, '$1'));
    });
  });
});

describe('rendering equivalence of untouched markup', () => {
  it('keeps what a browser shows for entities, non-breaking spaces, braces and raw <', () => {
    const input =
      '<p>英特尔&reg;至强&trade; a &lt; b &amp;&amp; c&nbsp;d\u00a0e &#123;x&#125; 5 &gt; 3 &quot;q&quot; &copy 2021 &#x1F600;</p><pre>  if (a &lt; b) &#123;\n    x();\n  &#125;</pre>';
    const out = rewriteHtml(input, options());
    const textIn = textOf(input);
    const textOut = textOf(out);
    expect(textOut).toBe(textIn);
    expect(textOut).toContain('a < b && c\u00a0d\u00a0e {x} 5 > 3 "q" © 2021 😀');
    expect(out).toContain('c&nbsp;d&nbsp;e');
    expect(out).toContain('a &lt; b &amp;&amp; c');
    expect(out).toContain('{x}');
    expect(out).toContain('<pre tabindex="0">  if (a &lt; b) {\n    x();\n  }</pre>');
  });

  it('keeps attribute values exact, including & and quotes (a quote in a URL is percent-encoded)', () => {
    const input = '<a href="https://a.com/?x=1&amp;copy;=2&amp;y=&quot;z&quot;" title="a &amp;lt; &quot;b&quot;">l</a>';
    const out = rewriteHtml(input, options());
    expect(out).toBe('<a href="https://a.com/?x=1&amp;copy;=2&amp;y=%22z%22" title="a &amp;lt; &quot;b&quot;">l</a>');
    expect(new URL('https://a.com/?x=1&copy;=2&y=%22z%22').href).toBe(new URL('https://a.com/?x=1&copy;=2&y="z"').href);
  });

  it('excerpt is the first non-empty paragraph, whitespace collapsed, at most 200 characters', () => {
    const long = '长'.repeat(300);
    expect(rewriteBody('<p> </p><p>\n  Hello&nbsp;<b>world</b>\n</p><p>second</p>', options()).excerpt).toBe('Hello world');
    expect(rewriteBody(`<p>${long}</p>`, options()).excerpt).toBe(`${'长'.repeat(199)}…`);
    expect([...rewriteBody(`<p>${long}</p>`, options()).excerpt]).toHaveLength(200);
    expect(rewriteBody('plain text\n\n  body', options()).excerpt).toBe('plain text body');
    expect(rewriteBody('<div>no<br>paragraph</div><div>here</div>', options()).excerpt).toBe('no paragraph here');
  });

  it('counts the images in the output', () => {
    const r = rewriteBody(`<img src="${A}"><img src="/x.png"><img src="https://cors.zfour.workers.dev/?${A}">`, options());
    expect(r.imageCount).toBe(2);
    expect(collapse(r.html)).toBe(img(route(A)) + img(route(A)));
  });
});
