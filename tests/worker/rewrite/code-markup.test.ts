/** Markup inside <code> that is really code text is escaped before parsing; highlighter markup is not. */
import { describe, expect, it } from 'vitest';
import { escapeCodeMarkup } from '../../../src/rewrite/code-markup';

describe('escapeCodeMarkup', () => {
  it.each([
    ['no code: unchanged', '<p>a <div>b</div></p>', '<p>a <div>b</div></p>'],
    ['JSX in code', '<pre><code>return <div>{x}</div></code></pre>', '<pre><code>return &lt;div>{x}&lt;/div></code></pre>'],
    ['spelling kept exactly', '<code><Child /> <button onClick = {f}>+</button></code>', '<code>&lt;Child /> &lt;button onClick = {f}>+&lt;/button></code>'],
    ['an HTML sample', '<p><code><p>CSRF</p></code></p>', '<p><code>&lt;p>CSRF&lt;/p></code></p>'],
    ['highlighter markup stays markup', '<code><span class="k">if</span> <b>x</b><br><a href="/y">y</a></code>', '<code><span class="k">if</span> <b>x</b><br><a href="/y">y</a></code>'],
    ['a > inside a kept tag’s attribute does not end the tag', '<code><span title="a>b"><div></span></code>', '<code><span title="a>b">&lt;div></span></code>'],
    ['comments, doctype-like and processing instructions in code are text', '<code><!-- c --><!x><?php ?></code>', '<code>&lt;!-- c -->&lt;!x>&lt;?php ?></code>'],
    ['a bogus end tag is text', '<code>a </ b></code>', '<code>a &lt;/ b></code>'],
    ['a < that starts no tag is left to the parser (it is text there)', '<code>a < b && c<1 && d<e</code>', '<code>a < b && c<1 && d&lt;e</code>'],
    ['upper-case tags', '<CODE><DIV></DIV></Code>', '<CODE>&lt;DIV>&lt;/DIV></Code>'],
    ['code without an end tag is left alone', '<code><div>x</div>', '<code><div>x</div>'],
    ['<code in a comment is not code', '<!-- <code> --><div>x</div></code>', '<!-- <code> --><div>x</div></code>'],
    ['<code in an attribute is not code', '<p title="<code>"><div>x</div></code>', '<p title="<code>"><div>x</div></code>'],
    ['<code in a script is not code', '<script>"<code>"</script><div>x</div></code>', '<script>"<code>"</script><div>x</div></code>'],
    ['two regions', '<code><i>a</i><u2></code><p>b</p><code><x></code>', '<code><i>a</i>&lt;u2></code><p>b</p><code>&lt;x></code>'],
    ['not a code element', '<codex><div></div></codex>', '<codex><div></div></codex>'],
  ])('%s', (_name, input, expected) => {
    expect(escapeCodeMarkup(input)).toBe(expected);
  });
});
