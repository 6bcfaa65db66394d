/**
 * Content models, one row per shape: source body → exact output. Each row also checks that the
 * output is a fixed point of the HTML parser (parse5) and that a second rewrite changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { rewriteHtml } from '../../../src/rewrite/rewrite-html';
import { options, reserialize, route } from './helpers';

const TAIL = ' loading="lazy" decoding="async" referrerpolicy="no-referrer">';
const img = (url: string, alt = ''): string => `<img src="${route(url)}" alt="${alt}"${TAIL}`;
const A = 'http://a.com/a.png';

type Row = [name: string, input: string, expected: string];

const phrasing: Row[] = [
  ['a block in bold in a paragraph: both closed, bold reopened inside and after', '<p>a <b>b <div>c</div> d</b> e</p>', '<p>a <b>b </b></p><div><b>c</b></div><p><b> d</b> e</p>'],
  ['paragraphs in a span: the span is copied into each', '<span style="color:#333"><p>x</p><p>y</p></span>', '<p><span style="color: #333">x</span></p><p><span style="color: #333">y</span></p>'],
  ['a list in a paragraph closes it (as browsers do)', '<p>a<ul><li>b</li></ul>c</p>', '<p>a</p><ul><li>b</li></ul>c<p></p>'],
  ['a block link in flow content is valid and kept', '<a href="https://a.com/"><div>block</div></a>', '<a href="https://a.com/"><div>block</div></a>'],
  [
    'a block in a link in a paragraph: the link is copied, never emptied',
    '<p><a href="https://a.com/">x<div>y</div>z</a></p>',
    '<p><a href="https://a.com/">x</a></p><div><a href="https://a.com/">y</a></div><p><a href="https://a.com/">z</a></p>',
  ],
  ['unclosed tags are closed', '<p>a<b>b', '<p>a<b>b</b></p>'],
  ['stray end tags: </p> is an empty paragraph (as browsers), others vanish', '</p>x</b>', '<p></p>x'],
  ['a table in bold', '<b>a<table><tr><td>c</td></tr></table>d</b>', '<b>a</b><table tabindex="0"><tbody><tr><td><b>c</b></td></tr></tbody></table><b>d</b>'],
  ['an hr in a paragraph closes it', '<p>a<hr>b</p>', '<p>a</p><hr>b<p></p>'],
];

const lists: Row[] = [
  ['text and blocks in a list get their own items; a br there is dropped', '<ul>text<li>a</li><p>b</p><br><li>c</li></ul>', '<ul><li>text</li><li>a</li><li><p>b</p><br></li><li>c</li></ul>'],
  ['text after the last item gets an item', '<ol><li>a</li>b</ol>', '<ol><li>a</li><li>b</li></ol>'],
  ['a list item outside a list is a div', '<li>alone</li>', '<div>alone</div>'],
  ['a list item in italics outside a list', '<i><li>x</li></i>', '<div><i>x</i></div>'],
  [
    'a dl is kept only with dt+ dd+ groups; otherwise it and its terms become divs',
    '<dl><dt>t</dt><dd>d</dd></dl><dl><dd>d</dd></dl><dl><dt>t</dt>x<dd>d</dd></dl>',
    '<dl><dt>t</dt><dd>d</dd></dl><div><div>d</div></div><div><div>t</div>x<div>d</div></div>',
  ],
  ['terms outside a dl are divs', '<dt>t</dt><dd>d</dd>', '<div>t</div><div>d</div>'],
];

const tables: Row[] = [
  ['a table without rows stays; text in a table gets a cell; rows get a tbody', '<table></table><table>text<tr><td>a</td></tr></table>', '<table tabindex="0"></table><table tabindex="0"><tbody><tr><td>text</td></tr><tr><td>a</td></tr></tbody></table>'],
  ['cells directly in a table get their row and tbody', '<table><td>a</td><td>b</td></table>', '<table tabindex="0"><tbody><tr><td>a</td><td>b</td></tr></tbody></table>'],
  [
    'caption first, one thead, rows in tbody, tfoot written as tbody where it stands',
    '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tr><td>x</td></tr><tfoot><tr><td>f</td></tr></tfoot></table>',
    '<table tabindex="0"><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>x</td></tr></tbody><tbody><tr><td>f</td></tr></tbody></table>',
  ],
  ['an empty header cell is a data cell', '<table><tr><th></th><td>x</td></tr></table>', '<table tabindex="0"><tbody><tr><td></td><td>x</td></tr></tbody></table>'],
  ['table parts outside a table lose their tags (as browsers ignore them)', '<td>cell</td> <tr><td>row</td></tr> <caption>cap</caption>', 'cell row cap'],
  ['a table in a caption is unwrapped', '<table><caption><table><tr><td>x</td></tr></table></caption><tr><td>y</td></tr></table>', '<table tabindex="0"><caption>x</caption><tbody><tr><td>y</td></tr></tbody></table>'],
  ['a row without cells is removed', '<table><tr><td>a</td></tr><tr></tr><tr><td>b</td></tr></table>', '<table tabindex="0"><tbody><tr><td>a</td></tr><tr><td>b</td></tr></tbody></table>'],
  [
    'spans are cut to the table: colspan past every row, rowspan past the row group',
    '<table><tr><td colspan="5">a</td></tr><tr><td>b</td><td rowspan="9">c</td></tr></table>',
    '<table tabindex="0"><tbody><tr><td colspan="2">a</td></tr><tr><td>b</td><td>c</td></tr></tbody></table>',
  ],
  ['column groups are dropped', '<p><colgroup><col></colgroup>x</p>', '<p>x</p>'],
];

const headings: Row[] = [
  ['a heading in a span: the span goes inside the heading', '<span><h2>h</h2></span>', '<h2><span>h</span></h2>'],
  ['a paragraph in a heading is the heading text', '<h3><p>para</p></h3>', '<h2>para</h2>'],
  ['empty headings are not headings', '<h2></h2><h2> &nbsp; </h2><h2><img src="http://a.com/a.png"></h2>', ` &nbsp; ${img(A)}`],
  ['levels start at h2 and never skip', '<h4>a</h4><h1>b</h1><h6>c</h6>', '<h2>a</h2><h2>b</h2><h3>c</h3>'],
  ['a pre of blocks is prose', '<pre><p>para</p><h1>head</h1></pre>', '<div class="prose-pre"><p>para</p><h2>head</h2></div>'],
  [
    'a block deeper in a real pre splits it',
    '<pre><span>a<div>b</div>c</span></pre>',
    '<pre tabindex="0"><span>a</span></pre><div><span>b</span></div><pre tabindex="0"><span>c</span></pre>',
  ],
  ['a heading in an address is a paragraph; sectioning there is a div', '<address><h2>h</h2><section>s</section><address>a</address></address>', '<address><p>h</p><div>s</div><div>a</div></address>'],
];

const structure: Row[] = [
  ['a figcaption in the middle of a figure is a div', `<figure><img src="${A}"><p>t</p><figcaption>mid</figcaption><p>u</p></figure>`, `<figure>${img(A)}<p>t</p><div>mid</div><p>u</p></figure>`],
  ['a figure keeps one caption', '<figure><figcaption>first</figcaption><p>x</p><figcaption>last</figcaption></figure>', '<figure><figcaption>first</figcaption><p>x</p><div>last</div></figure>'],
  ['a figcaption outside a figure is a div', '<figcaption>alone</figcaption>', '<div>alone</div>'],
  [
    'details need a first summary with text, else they are a div',
    '<details><p>x</p></details><details><summary>s</summary>x</details><details open><summary></summary>y</details>',
    '<div><p>x</p></div><details><summary>s</summary>x</details><div><div></div>y</div>',
  ],
  ['a block in a summary ends it; the rest is flow content', '<details><summary>s<p>para</p>t</summary>x</details>', '<details><summary>s</summary><p>para</p><div>t</div>x</details>'],
  ['a summary outside details is a div', '<summary>alone</summary>', '<div>alone</div>'],
  ['header and footer do not nest', '<header><footer>f</footer></header><footer><header>h</header></footer>', '<header><div>f</div></header><footer><div>h</div></footer>'],
  ['main, nav and aside are divs (the page has its landmarks)', '<main><nav>n</nav><aside>a</aside></main>', '<div><div>n</div><div>a</div></div>'],
  ['forms and their controls: text stays, controls go', '<form action="x"><p>in form</p><input value="v"><label>l</label></form>', '<p>in form</p>l'],
];

const inline: Row[] = [
  ['a link in a link is unwrapped', '<a href="https://a.com/a">a<a href="https://a.com/b">b</a></a>', '<a href="https://a.com/a">ab</a>'],
  [
    'players and details in a link: fallback text kept, nothing interactive',
    '<a href="https://a.com/"><video src="https://v.com/a.mp4">fallback</video><details><summary>s</summary></details></a>',
    '<a href="https://a.com/">fallback<div><div>s</div></div></a>',
  ],
  [
    'obsolete elements become their modern equivalent',
    '<center>c</center><font color="#333" size="2">f</font><big>b</big><strike>s</strike><tt>t</tt>',
    '<div style="text-align: center">c</div><span style="color: #333; font-size: small">f</span><span style="font-size: larger">b</span><s>s</s><code>t</code>',
  ],
  [
    'time needs a valid datetime, bdo a direction, dfn does not nest',
    '<time>now</time><time datetime="2021-11-13">13</time><bdo>b</bdo><bdo dir="rtl">r</bdo><dfn>a<dfn>b</dfn></dfn>',
    '<span>now</span><time datetime="2021-11-13">13</time><span>b</span><bdo dir="rtl">r</bdo><dfn>ab</dfn>',
  ],
  ['ruby needs an rt; rt and rp outside ruby are text', '<ruby>漢<rt>kan</rt></ruby><ruby>no rt</ruby><rt>alone</rt><rp>(</rp>', '<ruby>漢<rt>kan</rt></ruby>no rtalone('],
  ['an image in code (unclosed, so not code text) is written outside the code', `<code>a<img src="${A}" alt="shot">b`, `<code>a</code>${img(A, 'shot')}<code>b</code>`],
  ['a block in code (unclosed) closes the code', '<code>a<div>b</div>c', '<code>a</code><div><code>b</code></div><code>c</code>'],
  [
    'a picture needs sources then one usable image, else only the image is kept',
    `<picture><source srcset="http://a.com/a.webp" type="image/webp"><img src="${A}" alt="p"></picture><picture><source srcset="http://a.com/b.webp"></picture><picture>t<img src="http://a.com/c.png" alt="cat"></picture>`,
    `<picture><source srcset="${route('http://a.com/a.webp')}" type="image/webp">${img(A, 'p')}</picture>t${img('http://a.com/c.png', 'cat')}`,
  ],
];

describe('content models', () => {
  describe.each([
    ['phrasing content', phrasing],
    ['lists', lists],
    ['tables', tables],
    ['headings and pre', headings],
    ['structural children', structure],
    ['inline restrictions', inline],
  ] as const)('%s', (_group, rows) => {
    it.each(rows)('%s', (_name, input, expected) => {
      const out = rewriteHtml(input, options());
      expect(out).toBe(expected);
      expect(reserialize(out)).toBe(out);
      expect(rewriteHtml(out, options())).toBe(out);
    });
  });
});
