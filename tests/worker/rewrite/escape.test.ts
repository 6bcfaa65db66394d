/** Escaping and text normalisation: what the parser would change or a document may not contain. */
import { describe, expect, it } from 'vitest';
import { cleanText, escapeAttr, escapeText } from '../../../src/rewrite/escape';
import { reserialize } from './helpers';

describe('escape', () => {
  it.each([
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d', 'a &amp; b &lt; c &gt; d'],
    ['"quoted" \u00a0', '"quoted" &nbsp;', '&quot;quoted&quot; &nbsp;'],
    ['a\r\nb\rc', 'a\nb\nc', 'a\nb\nc'],
    ['nul\u0000 c0\u0001\u001f del\u007f c1\u0085 nonchar\ufdd0\uffff\ud83f\udffe', 'nul c0 del c1 nonchar', 'nul c0 del c1 nonchar'],
    ['tab\tff\fnl\n', 'tab\tff\fnl\n', 'tab\tff\fnl\n'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate', 'lone \ufffd surrogate'],
    ['emoji 😀 中文', 'emoji 😀 中文', 'emoji 😀 中文'],
  ])('%j', (input, text, attr) => {
    expect(escapeText(input)).toBe(text);
    expect(escapeAttr(input)).toBe(attr);
    // What we write in text is what parse5 writes back for the same text.
    expect(reserialize(`<p>${escapeText(input)}</p>`)).toBe(`<p>${escapeText(input)}</p>`);
    expect(reserialize(`<p title="${escapeAttr(input)}"></p>`)).toBe(`<p title="${escapeAttr(input)}"></p>`);
  });

  it('leaves clean text untouched (same string)', () => {
    const s = 'plain text 中文';
    expect(cleanText(s)).toBe(s);
  });
});
