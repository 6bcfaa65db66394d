import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePost } from '../../../src/content/front-matter';
import { htmlToSearchText } from '../../../src/search/html-text';

const fixtures = path.resolve(__dirname, '../../fixtures');
const body = (file: string) => parsePost(file, readFileSync(path.join(fixtures, file), 'utf8')).article.body;

describe('htmlToSearchText', () => {
  it.each([
    ['tags stripped', '<p>Hello <b>world</b></p>', 'Hello world'],
    ['inline elements join as rendered', '<p><b>华为</b>手机</p>', '华为手机'],
    ['block elements end lines', '<p>one</p><p>two</p><div>three</div>', 'one\ntwo\nthree'],
    ['br ends a line', 'a<br>b', 'a\nb'],
    ['list items are lines', '<ul><li>a</li><li>b</li></ul>', 'a\nb'],
    ['table cells are separated, rows are lines', '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>', 'a b\nc'],
    ['named and numeric entities decoded', '<p>&lt;a&gt; &amp; &#123;x&#125; &copy; &#x4E2D;</p>', '<a> & {x} © 中'],
    ['whitespace collapsed, nbsp included', '<p>  a \n\t b&nbsp;&nbsp;c  </p>', 'a b c'],
    ['script, style, template and noscript dropped', '<script>var x=1</script><style>p{}</style><template>t</template><noscript>n</noscript><p>kept</p>', 'kept'],
    ['iframe, object and svg dropped', '<iframe src="x">fallback</iframe><object>o</object><svg><text>icon</text></svg>ok', 'ok'],
    ['image alt text is not shown, so not indexed', '<p>a<img alt="picture">b</p>', 'ab'],
    ['code keeps its lines', '<pre><code>const a = 1;\n  return a;\n</code></pre>', 'const a = 1;\nreturn a;'],
    ['raw < inside code is text', '<pre><code>if (a < b) {}</code></pre>', 'if (a < b) {}'],
    ['comments dropped', 'a<!-- hidden -->b', 'ab'],
    ['empty', '', ''],
  ])('%s', (_name, html, expected) => {
    expect(htmlToSearchText(html)).toBe(expected);
  });

  it('keeps code from a code block as text (05: Alda score in <pre><code>)', () => {
    const text = htmlToSearchText(body('05-oschina-alda2-code.md'));
    expect(text).toContain('\npiano:\no3\ng8 a b > c d e f+ g | a b > c d e f+ g4\n');
  });

  it('decodes the brace entities and drops a stray </> the way browsers do (47: hljs spans)', () => {
    const text = htmlToSearchText(body('47-juejin-redux-hljs-raw-lt-proxied-gif.md'));
    expect(text).toContain("import { createStore, combineReducers } from 'redux'");
    expect(text).toContain('counter addbutton>\n)');
    expect(text).not.toContain('&#123;');
  });

  it('leaves no style sheet text (17: a <style> block)', () => {
    const html = body('17-pmcaff-b2b-permissions-style.md');
    expect(html).toContain('<style');
    const text = htmlToSearchText(html);
    expect(text).not.toMatch(/\{[^}]*:[^}]*\}/);
    expect(text.length).toBeGreaterThan(1000);
  });

  it('turns a plain-text body into one line, as a browser shows it (43)', () => {
    expect(htmlToSearchText(body('43-eventernote-japanese-plaintext.md'))).toBe(
      'イベント みもパ！～夏休みだよ、全員集合！～ 開催場所 神奈川県民ホール 大ホール 開場 2021-08-14 17:00 開演 2021-08-14 18:00 終演 2021-08-14 19:19',
    );
  });

  it('gives the photo posts (a lone image) no text', () => {
    expect(htmlToSearchText(body('22-1x-photo-https-noproxy.md'))).toBe('');
    expect(htmlToSearchText(body('46-1x-photo-latin-diacritics-title.md'))).toBe('');
  });

  it('gives every other fixture text without tags, doubled spaces or empty lines', () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.md') && !f.includes('-1x-photo-'));
    expect(files).toHaveLength(59);
    for (const file of files) {
      const text = htmlToSearchText(body(file));
      expect(text.length, file).toBeGreaterThan(0);
      expect(text, file).not.toMatch(/ {2}|^ | $|\n\n/m);
      expect(text, file).not.toMatch(/referrerpolicy|<img|src="http/);
    }
  });
});

describe('hostile nesting', () => {
  it('reads a body nested 10,000 elements deep without overflowing the stack', () => {
    const html = `${'<div><b>'.repeat(5000)}深处的文字${'</b></div>'.repeat(5000)}`;
    expect(htmlToSearchText(html)).toBe('深处的文字');
  });
});
