import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERMALINK, PermalinkError, type PermalinkPost, permalinkFor, permalinkTokens, unsupportedPermalinkToken } from '../../../src/hexo/permalink';
import { decodePath, encodePath } from '../../../src/hexo/url-path';

const post: PermalinkPost = {
  slug: '新媒体/ZAKER/channel/习近平出席会议',
  title: 'Hello, World! Ünïcode 标题',
  // 18:08:39Z on the 12th is 02:08:39 on the 13th in Shanghai.
  date: '2021-09-12T18:08:39.000Z',
  abbrlink: '5df8',
  categories: [['新媒体', 'ZAKER', 'channel']],
};
const site = { timeZone: 'Asia/Shanghai', default_category: 'uncategorized' };

describe('permalinkFor', () => {
  it.each([
    ['the real site (p/:abbrlink.html)', 'p/:abbrlink.html', '/p/5df8.html'],
    ["Hexo's default, dates in the site zone", DEFAULT_PERMALINK, '/2021/09/13/新媒体/ZAKER/channel/习近平出席会议/'],
    ['every date token', ':year-:month-:day :i_month/:i_day :hour::minute::second', '/2021-09-13 9/13 02:08:39'],
    [':name is the file name only', 'posts/:name/', '/posts/习近平出席会议/'],
    [':post_title is the slugized title, lower case', ':post_title.html', '/hello-world-unicode-标题.html'],
    [':category is the first hierarchy, slugized', ':category/:abbrlink/', '/新媒体/ZAKER/channel/5df8/'],
    ['a leading slash is not doubled', '/p/:abbrlink.html', '/p/5df8.html'],
    // hexo-util's token pattern cannot end in `_`, so the `_` is text.
    ['a token followed by _', ':year_/:abbrlink', '/2021_/5df8'],
    ['no tokens at all', 'static/page.html', '/static/page.html'],
  ])('%s', (_name, pattern, expected) => {
    expect(permalinkFor(pattern, post, site)).toBe(expected);
  });

  it('formats dates in the given zone', () => {
    expect(permalinkFor(':year/:month/:day/:hour/', post, { ...site, timeZone: 'UTC' })).toBe('/2021/09/12/18/');
    expect(permalinkFor(':year/:month/:day/:hour/', post, { ...site, timeZone: 'America/New_York' })).toBe('/2021/09/12/14/');
  });

  it('pads years below 1000 to four digits, as moment formats YYYY', () => {
    expect(permalinkFor(':year/:i_month/', { ...post, date: '0099-01-05T00:00:00.000Z' }, { ...site, timeZone: 'UTC' })).toBe('/0099/1/');
  });

  it('applies filename_case and category_map to :category', () => {
    const options = { ...site, filename_case: 1 as const, category_map: new Map([['新媒体', 'New Media']]) };
    expect(permalinkFor(':category/', post, options)).toBe('/new-media/zaker/channel/');
  });

  it('uses default_category, as is, for a post without categories', () => {
    expect(permalinkFor(':category/:abbrlink/', { ...post, categories: [] }, { ...site, default_category: 'Un Categorized' })).toBe('/Un Categorized/5df8/');
  });

  it.each([
    ['an undated post with a date token', DEFAULT_PERMALINK, { ...post, date: null }, /has no date, which the permalink/],
    ['a post without an abbrlink', 'p/:abbrlink.html', { ...post, abbrlink: null }, /has no abbrlink/],
    [':id', ':id/', post, /uses :id, which is not supported/],
    [':hash', ':hash/', post, /uses :hash/],
    ['an unknown token', ':lang/:title/', post, /uses :lang/],
    ['a token name that runs on (Hexo reads :year_archive as one name)', ':year_archive', post, /uses :year_archive/],
  ])('refuses %s', (_name, pattern, p, reason) => {
    expect(() => permalinkFor(pattern, p, site)).toThrow(PermalinkError);
    expect(() => permalinkFor(pattern, p, site)).toThrow(reason);
  });

  it('needs no date for a pattern without date tokens', () => {
    expect(permalinkFor('p/:abbrlink.html', { ...post, date: null }, site)).toBe('/p/5df8.html');
  });
});

describe('permalinkTokens / unsupportedPermalinkToken', () => {
  it.each([
    [DEFAULT_PERMALINK, ['year', 'month', 'day', 'title'], null],
    ['p/:abbrlink.html', ['abbrlink'], null],
    [':year_:i_month', ['year', 'i_month'], null],
    [':category/:hash', ['category', 'hash'], 'hash'],
    ['plain', [], null],
  ])('%j', (pattern, tokens, unsupported) => {
    expect(permalinkTokens(pattern)).toEqual(tokens);
    expect(unsupportedPermalinkToken(pattern)).toBe(unsupported);
  });
});

const base = 'https://news.example';

describe('encodePath / decodePath', () => {
  it.each([
    ['/p/5df8.html', '/p/5df8.html'],
    ['/2021/09/13/新媒体/标题/', '/2021/09/13/%E6%96%B0%E5%AA%92%E4%BD%93/%E6%A0%87%E9%A2%98/'],
    ['/a b/c?d#e/', '/a%20b/c%3Fd%23e/'],
    ['/100%/', '/100%25/'],
    ['/a\\b/', '/a%5Cb/'],
    ["/it's (ok)!~*/", "/it's%20(ok)!~*/"],
  ])('encodes %j as %j', (path, encoded) => {
    expect(encodePath(path)).toBe(encoded);
  });

  it.each([
    ['"100%" + & # ? \' ^ ~', '"100%" + & # ? \' ^ ~'],
    ['emoji', '😀 标题'],
    ['full-width punctuation', '新闻，测试？（一）！'],
    ['a percent sequence as text', '%41%2F%zz'],
    ['backslashes', 'a\\b\\'],
    ['dots inside a name', '...a..b.'],
  ])('round-trips %s through the WHATWG URL parser', (_name, segment) => {
    const path = `/新媒体/ZAKER/${segment}/`;
    const url = new URL(encodePath(path), base);
    expect(url.pathname).toBe(encodePath(path));
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
    expect(decodePath(url.pathname)).toBe(path);
  });

  it('round-trips any path of well-formed segments', () => {
    const segment = fc
      .string({ unit: fc.oneof(fc.constantFrom('?', '#', '%', ' ', '\\', '.', '&', '+', "'", '"', '^', '~', '，', '？'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 8 })
      .filter((s) => !s.includes('/') && s !== '.' && s !== '..' && s.isWellFormed());
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const path = `/${segments.join('/')}/`;
        const pathname = new URL(encodePath(path), base).pathname;
        expect(decodePath(pathname)).toBe(path);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes what a browser sends for a non-ASCII path', () => {
    expect(decodePath(new URL('/p/新闻 1.html', base).pathname)).toBe('/p/新闻 1.html');
  });

  it.each([
    ['a malformed escape', '/a%zz/'],
    ['a truncated escape', '/a%E6%96/'],
    ['a lone Latin-1 byte', '/caf%E9/'],
    ['an encoded slash', '/a%2Fb/'],
    ['a lower-case encoded slash', '/a%2fb/'],
  ])('gives null for %s', (_name, pathname) => {
    expect(decodePath(pathname)).toBeNull();
  });

  it.each([['.'], ['..']])('refuses to encode a %j segment', (segment) => {
    expect(() => encodePath(`/a/${segment}/b`)).toThrow(RangeError);
  });
});
