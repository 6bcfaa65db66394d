import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePostDate } from '../../../src/content/dates';
import { PostError, parsePost } from '../../../src/content/front-matter';

const fixtures = path.resolve(__dirname, '../../fixtures');
const post = (front: string, body = '<p>x</p>') => `---\n${front}\n---\n${body}`;

describe('parsePostDate', () => {
  it.each([
    ['RFC 2822 with GMT', 'Sat, 13 Nov 2021 06:08:05 GMT', 'UTC', '2021-11-13T06:08:05.000Z'],
    ['RFC 2822 with offset', 'Sat, 13 Nov 2021 14:08:05 +0800', 'UTC', '2021-11-13T06:08:05.000Z'],
    ['YAML timestamp read as UTC by default', '2021-10-28 14:08:07', 'UTC', '2021-10-28T14:08:07.000Z'],
    ['YAML timestamp in a configured zone', '2021-10-28 14:08:07', 'Asia/Shanghai', '2021-10-28T06:08:07.000Z'],
    ['YAML timestamp across DST', '2021-07-01 12:00:00', 'America/New_York', '2021-07-01T16:00:00.000Z'],
    ['YAML timestamp with Z', '2021-10-28T14:08:07Z', 'Asia/Shanghai', '2021-10-28T14:08:07.000Z'],
    ['YAML timestamp with its own offset', '2021-10-28 14:08:07 +08:00', 'UTC', '2021-10-28T06:08:07.000Z'],
    ['date only', '2021-10-28', 'UTC', '2021-10-28T00:00:00.000Z'],
  ])('%s', (_name, input, zone, expected) => {
    expect(parsePostDate(input, zone)).toBe(expected);
  });

  it.each([['not a date'], ['2021-02-30 10:00:00'], ['yesterday'], [''], ['13/11/2021']])(
    'returns null for %j',
    (input) => {
      expect(parsePostDate(input)).toBeNull();
    },
  );
});

describe('parsePost', () => {
  it('reads the first article exactly as given', () => {
    const source = readFileSync(path.join(fixtures, '000_1c07ab0e1a8962a0.md'), 'utf8');
    const { article, warnings } = parsePost('000_1c07ab0e1a8962a0.md', source);
    expect(article.slug).toBe('000_1c07ab0e1a8962a0');
    expect(article.title).toBe('习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话');
    expect(article.date).toBe('2021-11-13T06:08:05.000Z');
    expect(article.author).toBe('ZAKER');
    expect(article.categories).toEqual(['新媒体', 'ZAKER', 'source']);
    expect(article.headimg).toBe('https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/202111/618fb910b15ec028f46380f8_1024.jpg');
    expect(article.body).toContain('<img class="lazy opacity_0 "');
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a blank line before the fence', `\n${post("title: 'T'")}`],
    ['a BOM before the fence', `\uFEFF${post("title: 'T'")}`],
    ['CRLF line endings', `\r\n${post("title: 'T'")}`.replace(/\n/g, '\r\n')],
    ['several blank lines and spaces', `  \n\n${post("title: 'T'")}`],
  ])('accepts %s', (_name, source) => {
    expect(parsePost('a.md', source).article.title).toBe('T');
  });

  it.each([
    ['a list', 'categories:\n - a\n - b', ['a', 'b']],
    ['a single string', 'categories: news', ['news']],
    ['nested lists (Hexo hierarchy)', 'categories:\n - [a, b]\n - c', ['a', 'b', 'c']],
    ['missing', '', []],
  ])('reads categories given as %s', (_name, front, expected) => {
    expect(parsePost('a.md', post(`title: T\n${front}`)).article.categories).toEqual(expected);
  });

  it('reads tags as a single string', () => {
    expect(parsePost('a.md', post('title: T\ntags: one')).article.tags).toEqual(['one']);
  });

  it('keeps every optional field optional', () => {
    const { article } = parsePost('只有标题 的文章.md', post('title: 只有标题'));
    expect(article).toMatchObject({ slug: '只有标题 的文章', date: null, author: null, headimg: null, thumbnail: null, categories: [] });
  });

  it('keeps a hostile title as text and warns', () => {
    const { article, warnings } = parsePost('x.md', post("title: '<script>alert(1)</script>'"));
    expect(article.title).toBe('<script>alert(1)</script>');
    expect(warnings.join()).toMatch(/markup/);
  });

  it('drops a javascript: headimg with a warning', () => {
    const { article, warnings } = parsePost('x.md', post("title: T\nheadimg: 'javascript:alert(1)'\nthumbnail: ' JaVaScRiPt:x'"));
    expect(article.headimg).toBeNull();
    expect(article.thumbnail).toBeNull();
    expect(warnings).toHaveLength(2);
  });

  it('keeps a post with an unparseable date, undated, with a warning', () => {
    const { article, warnings } = parsePost('x.md', post('title: T\ndate: someday'));
    expect(article.date).toBeNull();
    expect(warnings.join()).toMatch(/unparseable date "someday"/);
  });

  it.each([
    ['no title', post('author: x'), 1, /missing or empty `title`/],
    ['an empty title', post("author: x\ntitle: ''"), 3, /missing or empty `title`/],
    ['broken YAML', `\n---\ntitle: T\ncategories: [a, b\n---\n`, null, /invalid YAML/],
    ['a value with an unquoted colon', post('title: T\nauthor: a: b'), 3, /invalid YAML/],
    ['no front matter', '<p>just html</p>', 1, /no front matter/],
    ['an unclosed front matter', '---\ntitle: T\n', 1, /not closed/],
    ['front matter that is a list', post('- a\n- b'), 2, /not a mapping/],
  ])('refuses a file with %s, naming the file and line', (_name, source, line, reason) => {
    let error: unknown;
    try {
      parsePost('bad.md', source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PostError);
    const e = error as PostError;
    expect(e.file).toBe('bad.md');
    expect(e.message).toMatch(reason);
    if (line !== null) expect(e.line).toBe(line);
    else expect(e.line).toBeGreaterThan(1);
  });

  it('reports the YAML error line in file coordinates after leading blank lines', () => {
    const source = '\n\n---\ntitle: T\nauthor: [x\nfoo: bar\n---\n';
    expect(() => parsePost('bad.md', source)).toThrow(/^bad\.md:\d+: invalid YAML/);
    try {
      parsePost('bad.md', source);
    } catch (e) {
      // Lines: 1 blank, 2 blank, 3 ---, 4 title, 5 author, 6 foo: js-yaml flags a line in 5..7.
      expect((e as PostError).line).toBeGreaterThanOrEqual(5);
      expect((e as PostError).line).toBeLessThanOrEqual(7);
    }
  });

  it('refuses a file name that cannot be a slug', () => {
    expect(() => parsePost(`${'x'.repeat(201)}.md`, post('title: T'))).toThrow(/longer than 200/);
  });

  const files = readdirSync(fixtures).filter((f) => f.endsWith('.md'));
  it('has every real post in the fixtures', () => {
    expect(files).toHaveLength(61);
  });
  it.each(files)('parses real post %s with a title, an ISO date and its body', (file) => {
    const source = readFileSync(path.join(fixtures, file), 'utf8');
    const { article } = parsePost(file, source);
    expect(article.title.length).toBeGreaterThan(0);
    expect(article.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(article.categories.length).toBeGreaterThan(0);
    // The body is everything after the closing fence, byte for byte.
    expect(source.endsWith(article.body)).toBe(true);
    expect(article.body.trim().length).toBeGreaterThan(0);
  });
});
