import fc from 'fast-check';
import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { type SearchXmlEntry, searchXml } from '../../../src/search/search-xml';
import { xmlProblems } from '../../worker/helpers/xml-check';

const entry = (over: Partial<SearchXmlEntry>): SearchXmlEntry => ({
  title: 't',
  url: '/articles/x',
  content: '<p>x</p>',
  date: '2021-01-01T00:00:00.000Z',
  categories: [],
  tags: [],
  ...over,
});

interface ReadEntry {
  title: string;
  link: string | null;
  url: string;
  contentType: string | null;
  content: string;
  categories: string[] | null;
  tags: string[] | null;
}

/** linkedom's XML parser leaves references in attribute values undecoded: decode them here. */
function decodeAttribute(value: string | null): string | null {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value === null
    ? null
    : value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (_, ref: string) =>
        ref.startsWith('#x') ? String.fromCodePoint(Number.parseInt(ref.slice(2), 16)) : ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1))) : (named[ref] as string),
      );
}

/** Reads the document back with an XML parser (after the strict well-formedness check). */
function readBack(xml: string): ReadEntry[] {
  expect(xmlProblems(xml)).toEqual([]);
  const doc = new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
  const root = doc.documentElement;
  expect(root.tagName).toBe('search');
  return Array.from(root.children).map((e) => {
    expect(e.tagName).toBe('entry');
    const child = (name: string) => Array.from(e.children).find((c) => c.tagName === name);
    const list = (outer: string, inner: string) => {
      const el = child(outer);
      return el ? Array.from(el.children).map((c) => {
        expect(c.tagName).toBe(inner);
        return c.textContent ?? '';
      }) : null;
    };
    return {
      title: child('title')?.textContent ?? '',
      link: decodeAttribute(child('link')?.getAttribute('href') ?? null),
      url: child('url')?.textContent ?? '',
      contentType: child('content')?.getAttribute('type') ?? null,
      content: child('content')?.textContent ?? '',
      categories: list('categories', 'category'),
      tags: list('tags', 'tag'),
    };
  });
}

describe('searchXml', () => {
  it("writes hexo-generator-search's entry shape", () => {
    const xml = searchXml([
      entry({ title: 'Alda 2 发布', url: '/articles/05-oschina', content: '<p>Alda 是</p>', categories: ['编程', '开源中国'], tags: ['音乐'] }),
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<search>\n  <entry>\n')).toBe(true);
    expect(xml).toContain('<content type="html"><![CDATA[<p>Alda 是</p>]]></content>');
    expect(readBack(xml)).toEqual([
      {
        title: 'Alda 2 发布',
        link: '/articles/05-oschina',
        url: '/articles/05-oschina',
        contentType: 'html',
        content: '<p>Alda 是</p>',
        categories: [' 编程 ', ' 开源中国 '],
        tags: [' 音乐 '],
      },
    ]);
  });

  it('leaves out empty category and tag lists, as the plugin does', () => {
    const [e] = readBack(searchXml([entry({})]));
    expect(e?.categories).toBeNull();
    expect(e?.tags).toBeNull();
  });

  it('lists newest first, undated last, and stops at the limit', () => {
    const entries = [
      entry({ title: 'old', date: '2020-01-01T00:00:00.000Z' }),
      entry({ title: 'undated', date: null }),
      entry({ title: 'new', date: '2022-01-01T00:00:00.000Z' }),
      entry({ title: 'mid', date: '2021-01-01T00:00:00.000Z' }),
    ];
    expect(readBack(searchXml(entries)).map((e) => e.title)).toEqual(['new', 'mid', 'old', 'undated']);
    expect(readBack(searchXml(entries, { limit: 2 })).map((e) => e.title)).toEqual(['new', 'mid']);
    expect(readBack(searchXml(entries, { limit: 0 }))).toEqual([]);
  });

  it('defaults to 10,000 entries like the real site', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => entry({ title: String(i), content: '' }));
    expect(readBack(searchXml(many))).toHaveLength(10_000);
  });

  it('escapes markup in titles, URLs and names, and splits ]]> in content', () => {
    const [e] = readBack(
      searchXml([
        entry({
          title: '<b>A & B</b> "q" \'s',
          url: '/articles/a?b=1&c=2',
          content: 'x ]]> y <![CDATA[ z',
          categories: ['a<b'],
          tags: ['&amp;'],
        }),
      ]),
    );
    expect(e).toMatchObject({ title: '<b>A & B</b> "q" \'s', url: '/articles/a?b=1&c=2', link: '/articles/a?b=1&c=2', content: 'x ]]> y <![CDATA[ z' });
    expect(e?.categories).toEqual([' a<b ']);
    expect(e?.tags).toEqual([' &amp; ']);
  });

  it('removes control characters from the content (its noControlChars) and characters XML forbids everywhere', () => {
    const [e] = readBack(searchXml([entry({ title: 'a\u0000b\ud800c\uffff', content: 'x\u0001\n\ty\u007f\udc00' })]));
    expect(e?.title).toBe('abc');
    expect(e?.content).toBe('xy');
  });

  it('is well-formed XML for any text', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    fc.assert(
      fc.property(text, text, text, text, (title, url, content, name) => {
        expect(xmlProblems(searchXml([entry({ title, url, content, categories: [name], tags: [name] })]))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
