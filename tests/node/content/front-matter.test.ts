import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostError, parsePost } from '../../../src/content/front-matter';

const fixtures = path.resolve(__dirname, '../../fixtures');
const post = (front: string, body = '<p>x</p>') => `---\n${front}\n---\n${body}`;

function postError(fn: () => unknown): PostError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PostError);
    return error as PostError;
  }
  throw new Error('expected a PostError');
}

describe('parsePost', () => {
  it('reads the first article exactly as given', () => {
    const source = readFileSync(path.join(fixtures, '000_1c07ab0e1a8962a0.md'), 'utf8');
    const { article, warnings } = parsePost('000_1c07ab0e1a8962a0.md', source);
    expect(article).toEqual({
      slug: '000_1c07ab0e1a8962a0',
      title: '习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话',
      date: '2021-11-13T06:08:05.000Z',
      updated: null,
      author: 'ZAKER',
      categories: [['新媒体', 'ZAKER', 'source']],
      tags: [],
      abbrlink: null,
      lang: null,
      headimg: 'https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg',
      thumbnail: 'https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg',
      body: source.slice(source.indexOf('\n---\n', 1) + 5),
    });
    expect(article.body).toContain('<img class="lazy opacity_0 "');
    expect(warnings).toEqual([]);
  });

  it('takes the slug from the path under the posts root, NFC', () => {
    const { article } = parsePost('新媒体/ZAKER/channel/Ame\u0301lie "100%" + & # ?.md', post('title: T'));
    expect(article.slug).toBe('新媒体/ZAKER/channel/Am\u00e9lie "100%" + & # ?');
  });

  it.each([
    ['a blank line before the fence', `\n${post("title: 'T'")}`],
    ['a BOM before the fence', `\uFEFF${post("title: 'T'")}`],
    ['CRLF line endings', `\r\n${post("title: 'T'")}`.replace(/\n/g, '\r\n')],
    ['several blank lines and spaces', `  \n\n${post("title: 'T'")}`],
    ['spaces after the fences', "--- \ntitle: 'T'\n---\t\n<p>x</p>"],
    ['a file ending at the closing fence', "---\ntitle: T\n---"],
  ])('accepts %s', (_name, source) => {
    expect(parsePost('a.md', source).article.title).toBe('T');
  });

  it('keeps the body byte for byte after the closing fence line', () => {
    expect(parsePost('a.md', '---\ntitle: T\n---\n\n<div>  \n</div>\n            ').article.body).toBe('\n<div>  \n</div>\n            ');
    expect(parsePost('a.md', '---\ntitle: T\n---').article.body).toBe('');
    // A `---` inside the body is body.
    expect(parsePost('a.md', '---\ntitle: T\n---\na\n---\nb').article.body).toBe('a\n---\nb');
  });

  it.each([
    ['a list: one hierarchy', 'categories:\n - a\n - b', [['a', 'b']]],
    ['the generator shape', 'categories: \n - 新媒体\n - ZAKER\n - channel', [['新媒体', 'ZAKER', 'channel']]],
    ['a single string', 'categories: news', [['news']]],
    ['nested lists: each its own hierarchy, strings too', 'categories:\n - [a, b]\n - c', [['a', 'b'], ['c']]],
    ['`category` when `categories` is absent', 'category: [a, b]', [['a', 'b']]],
    ['numbers as names', 'categories: [2021, 1.50, true]', [['2021', '1.5', 'true']]],
    ['duplicated hierarchies once', 'categories: [[a, b], [a, b], c, c]', [['a', 'b'], ['c']]],
    ['missing', '', []],
  ])('reads categories given as %s', (_name, front, expected) => {
    expect(parsePost('a.md', post(`title: T\n${front}`)).article.categories).toEqual(expected);
  });

  it.each([
    ['a single string', 'tags: one', ['one']],
    ['a list, deduplicated', 'tags: [a, b, a, 2]', ['a', 'b', '2']],
    ['nested lists, flattened', 'tags: [a, [b, c]]', ['a', 'b', 'c']],
    ['`tag` when `tags` is absent', 'tag: [x]', ['x']],
    ['nulls and empties dropped', "tags: [a, ~, '', b]", ['a', 'b']],
  ])('reads tags given as %s', (_name, front, expected) => {
    expect(parsePost('a.md', post(`title: T\n${front}`)).article.tags).toEqual(expected);
  });

  it.each([
    ['absent', '', null],
    ['a hex string', 'abbrlink: 1a2b', '1a2b'],
    ['an integer', 'abbrlink: 12345', '12345'],
    ['0 (hexo-abbrlink: none)', 'abbrlink: 0', null],
    ["'0' (hexo-abbrlink: none)", "abbrlink: '0'", null],
    ['empty', "abbrlink: ''", null],
  ])('reads abbrlink %s', (_name, front, expected) => {
    expect(parsePost('a.md', post(`title: T\n${front}`)).article.abbrlink).toBe(expected);
  });

  it.each([
    ['lang', 'lang: ja', 'ja', []],
    ['language, canonicalised', 'language: zh_cn', 'zh-CN', []],
    ['lang before language', 'lang: en\nlanguage: ja', 'en', []],
    ['absent', '', null, []],
    ['not a tag', 'lang: Klingon!', null, ['`lang` "Klingon!" is not a language tag; the site\'s language is used']],
    ['a number', 'lang: 12', null, ['`lang` "12" is not a language tag; the site\'s language is used']],
  ])('reads the language from %s', (_name, front, expected, warnings) => {
    const result = parsePost('a.md', post(`title: T\n${front}`));
    expect(result.article.lang).toBe(expected);
    expect(result.warnings).toEqual(warnings);
  });

  it('reads `updated` with the same rules as `date`', () => {
    const { article } = parsePost('a.md', post('title: T\ndate: 2021-10-28 14:08:07\nupdated: 2021-10-29 08:00:00'), { timeZone: 'Asia/Shanghai' });
    expect(article.date).toBe('2021-10-28T06:08:07.000Z');
    expect(article.updated).toBe('2021-10-29T00:00:00.000Z');
  });

  it('reads a zoneless date in the configured zone, never the process zone', () => {
    const source = post('title: T\ndate: Sat, 13 Nov 2021 06:08:05');
    expect(parsePost('a.md', source, { timeZone: 'Asia/Shanghai' }).article.date).toBe('2021-11-12T22:08:05.000Z');
    expect(parsePost('a.md', source, { timeZone: 'UTC' }).article.date).toBe('2021-11-13T06:08:05.000Z');
    expect(parsePost('a.md', source).article.date).toBe('2021-11-13T06:08:05.000Z');
  });

  it('keeps every optional field optional', () => {
    const { article } = parsePost('只有标题 的文章.md', post('title: 只有标题'));
    expect(article).toMatchObject({
      slug: '只有标题 的文章',
      date: null,
      updated: null,
      author: null,
      headimg: null,
      thumbnail: null,
      categories: [],
      tags: [],
      abbrlink: null,
      lang: null,
    });
  });

  it('keeps a hostile title as text and warns', () => {
    const { article, warnings } = parsePost('x.md', post("title: '<script>alert(1)</script>'"));
    expect(article.title).toBe('<script>alert(1)</script>');
    expect(warnings).toEqual(['title contains markup; it is shown as text']);
  });

  it('drops a javascript: headimg with a warning', () => {
    const { article, warnings } = parsePost('x.md', post("title: T\nheadimg: 'javascript:alert(1)'\nthumbnail: ' JaVaScRiPt:x'"));
    expect(article.headimg).toBeNull();
    expect(article.thumbnail).toBeNull();
    expect(warnings).toEqual(['headimg has an unsafe URL scheme; it is not shown', 'thumbnail has an unsafe URL scheme; it is not shown']);
  });

  it('warns about a category whose URL segment would be empty', () => {
    const { article, warnings } = parsePost('x.md', post("title: T\ncategories: ['...']"));
    expect(article.categories).toEqual([['...']]);
    expect(warnings).toEqual(['the category or tag "..." has nothing to put in a URL; its page path would be empty']);
  });

  it('holds __proto__ and constructor fields without touching any prototype', () => {
    const { article } = parsePost('x.md', post('title: T\n__proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\ncategories: [__proto__]'));
    expect(article.categories).toEqual([['__proto__']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  // Lines: the opening fence is line 1 (plus any skipped lines before it).
  it.each([
    ['no title', post('author: x'), 1, /^missing or empty `title`$/],
    ['an empty title', post("author: x\ntitle: ''"), 3, /^missing or empty `title`$/],
    ['broken YAML', `\n---\ntitle: T\ncategories: [a, b\nauthor: x\n---\n`, 5, /^invalid YAML front matter: /],
    ['a value with an unquoted colon', post('title: T\nauthor: a: b'), 3, /^invalid YAML front matter: /],
    ['no front matter', '<p>just html</p>', 1, /^no front matter/],
    ['an unclosed front matter', '---\ntitle: T\n', 1, /not closed/],
    ['front matter that is a list', post('- a\n- b'), 2, /^front matter is not a mapping of fields$/],
    ['a duplicate key', post('title: T\ntitle: U'), 3, /^invalid YAML front matter: Map keys must be unique/],
    ['categories that are a mapping', post('title: T\ncategories:\n  a: b'), 3, /^`categories` is a mapping; write a list of names$/],
    ['a mapping inside categories', post('title: T\ncategories: [a, {b: c}]'), 3, /^`categories` contains a mapping, not names$/],
    ['categories nested three deep', post('title: T\ncategories: [[a, [b]]]'), 3, /nests lists more than two levels deep/],
    ['tags that are a mapping', post('title: T\ntags: {a: 1}'), 3, /^`tags` is a mapping/],
    ['a NaN date', post('title: T\ndate: .nan'), 3, /^invalid `date`: NaN is a number, not a date/],
    ['a numeric date', post('title: T\ndate: 20211028'), 3, /^invalid `date`: 20211028 is a number/],
    ['30 February', post('title: T\ndate: 2021-02-30'), 3, /^invalid `date`: February 30 does not exist in 2021$/],
    ['minute 60', post('title: T\ndate: Sat, 13 Nov 2021 06:60:05'), 3, /^invalid `date`: minute 60 is out of range/],
    ['an unreadable date', post('title: T\ndate: someday'), 3, /^invalid `date`: unrecognised date "someday"/],
    ['a wrong weekday', post('title: T\ndate: Sun, 13 Nov 2021 06:08:05 GMT'), 3, /^invalid `date`: "Sun" is not the weekday/],
    ['an impossible updated', post('title: T\nupdated: 2021-04-31'), 3, /^invalid `updated`: April 31 does not exist/],
    ['a boolean abbrlink', post('title: T\nabbrlink: true'), 3, /abbrlink must be a text or a whole number/],
    ['a slash in abbrlink', post('title: T\nabbrlink: a/b'), 3, /abbrlink "a\/b" contains a slash/],
    ['a circular alias', post('title: T\ncategories: &c [a, *c]'), 3, /circular alias/],
  ])('refuses a file with %s, naming the file and line', (_name, source, line, reason) => {
    const e = postError(() => parsePost('bad.md', source));
    expect(e.file).toBe('bad.md');
    expect(e.line).toBe(line);
    expect(e.reason).toMatch(reason);
    expect(e.message).toBe(`bad.md:${line}: ${e.reason}`);
  });

  it.each([
    ['a BOM', '\ufeff'],
    ['CRLF endings', '\r\n'],
    ['two blank lines', '\n\n'],
  ])('counts lines in the original file after %s', (_name, prefix) => {
    const source = `${prefix}---\ntitle: T\nauthor: x\ndate: 2021-02-30\n---\n<p>x</p>`;
    const crlf = prefix === '\r\n' ? source.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r') : source;
    const skipped = prefix === '\n\n' ? 2 : prefix === '\r\n' ? 1 : 0;
    expect(postError(() => parsePost('bad.md', crlf)).line).toBe(skipped + 4);
  });

  it('refuses a 12-line alias bomb in categories without expanding it', () => {
    let front = 'title: T\na0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++) front += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    front += `categories: [${Array(9).fill('*a9').join(', ')}]`;
    expect(front.split('\n')).toHaveLength(12);
    const e = postError(() => parsePost('bomb.md', post(front)));
    expect(e.reason).toMatch(/expands YAML aliases more than 100 times/);
    expect(e.line).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['a backslash', 'a\\b.md', /^the path contains a backslash$/],
    ['a bidi override', 'evil\u202egpj.md', /bidirectional control character U\+202E/],
    ['a ".." segment', '../secret.md', /"\.\." path segment/],
    ['an empty segment', 'a//b.md', /empty path segment/],
    ['a lone surrogate', 'a\ud800.md', /lone surrogate/],
  ])('refuses a path with %s', (_name, relPath, reason) => {
    const e = postError(() => parsePost(relPath, post('title: T')));
    expect(e.file).toBe(relPath);
    expect(e.line).toBeNull();
    expect(e.reason).toMatch(reason);
  });

  it('refuses an unknown time zone as a programming error', () => {
    expect(() => parsePost('a.md', post('title: T'), { timeZone: 'Mars/Base' })).toThrow(RangeError);
  });

  const files = readdirSync(fixtures).filter((f) => f.endsWith('.md'));
  it('has every real post in the fixtures', () => {
    expect(files).toHaveLength(61);
  });
  it.each(files)('parses real post %s: title, ISO date, one three-level hierarchy, its body', (file) => {
    const source = readFileSync(path.join(fixtures, file), 'utf8');
    const { article, warnings } = parsePost(file, source, { timeZone: 'Asia/Shanghai' });
    expect(article.title.length).toBeGreaterThan(0);
    expect(article.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(article.categories).toHaveLength(1);
    expect(article.categories[0]).toHaveLength(3);
    expect(article.tags).toEqual([]);
    expect(article.abbrlink).toBeNull();
    expect(warnings).toEqual([]);
    // The body is everything after the closing fence, byte for byte.
    expect(source.endsWith(article.body)).toBe(true);
    expect(article.body.trim().length).toBeGreaterThan(0);
  });
});

describe('the title as written', () => {
  it('keeps surrounding spaces (hexo-abbrlink computes the abbrlink from exactly this string)', () => {
    const { article } = parsePost('a.md', "---\ntitle: ' 标题 '\n---\nbody");
    expect(article.title).toBe(' 标题 ');
  });

  it('still refuses a title of spaces only', () => {
    expect(() => parsePost('a.md', "---\ntitle: '   '\n---\nbody")).toThrow(/missing or empty `title`/);
  });
});

describe('parsePost, field by field', () => {
  it('names the file alone when the line is unknown', () => {
    const e = new PostError('a.md', null, 'bad');
    expect(e.message).toBe('a.md: bad');
    expect(e.name).toBe('PostError');
  });

  it.each<[string, string, string | null]>([
    ['a number', 'author: 42', '42'],
    ['a boolean', 'author: true', 'true'],
    ['text with spaces around it', "author: '  Ann  '", 'Ann'],
    ['spaces only', "author: '   '", null],
    ['null', 'author: ~', null],
    ['a list', 'author: [a, b]', null],
    ['nothing', 'tags: []', null],
  ])('reads an author that is %s', (_name, line, expected) => {
    expect(parsePost('a.md', post(`title: T\n${line}`)).article.author).toBe(expected);
  });

  it.each([
    ['a query that mentions javascript:', 'https://example.com/r?next=javascript:x'],
    ['a scheme that only ends in "data"', 'xdata:abc'],
  ])('keeps a headimg with %s', (_name, url) => {
    const { article, warnings } = parsePost('a.md', post(`title: T\nheadimg: '${url}'`));
    expect(article.headimg).toBe(url);
    expect(warnings).toEqual([]);
  });

  it('needs the fence at the start: a --- line after other text is not front matter', () => {
    const e = postError(() => parsePost('a.md', '<p>x</p>\n---\ntitle: T\n---\n'));
    expect(e.line).toBe(1);
    expect(e.reason).toMatch(/^no front matter/);
  });

  it('reads an empty front matter (a closing fence right after the opening one) as no fields', () => {
    const e = postError(() => parsePost('a.md', '---\n---\n<p>x</p>'));
    expect(e.reason).toBe('missing or empty `title`');
  });

  it('names the time zone it does not know', () => {
    expect(() => parsePost('a.md', post('title: T'), { timeZone: 'Mars/Base' })).toThrow('parsePost: unknown time zone "Mars/Base"');
  });

  it('passes YAML warnings on with the line in the file', () => {
    expect(parsePost('a.md', post('title: T\nbin: !!binary aGk=')).warnings).toEqual(['front matter line 3: Unresolved tag: tag:yaml.org,2002:binary']);
    expect(parsePost('a.md', `\n\n${post('title: T\nbin: !!binary aGk=')}`).warnings).toEqual(['front matter line 5: Unresolved tag: tag:yaml.org,2002:binary']);
  });

  it.each([
    ['category', post('title: T\nauthor: x\ncategory:\n  a: b'), 4],
    ['tag', post('title: T\nauthor: x\ntag:\n  a: b'), 4],
  ])('names the line of the singular %s field', (_name, source, line) => {
    expect(postError(() => parsePost('a.md', source)).line).toBe(line);
  });

  it.each<[string, string, string | null, string[]]>([
    ['lang', 'lang: en', 'en', []],
    ['language when lang is null', 'lang: ~\nlanguage: ja', 'ja', []],
    ['nothing when both are null', 'lang: ~\nlanguage: ~', null, []],
    ['nothing when lang is empty', "lang: ''", null, []],
    ['nothing, with a warning, when lang is not a tag', 'lang: en_US_x_', null, ['`lang` "en_US_x_" is not a language tag; the site\'s language is used']],
  ])('takes the language from %s', (_name, lines, lang, warnings) => {
    const result = parsePost('a.md', post(`title: T\n${lines}`));
    expect(result.article.lang).toBe(lang);
    expect(result.warnings).toEqual(warnings);
  });
});
