import { describe, expect, it } from 'vitest';
import { archivePath, categoryPath, categorySlugs, pagePath, tagPath, tagSlug } from '../../../src/hexo/site-paths';

describe('categoryPath', () => {
  it.each<[string, string[], Parameters<typeof categoryPath>[1], string]>([
    ['a corpus hierarchy', ['新媒体', 'ZAKER', 'channel'], {}, '/categories/新媒体/ZAKER/channel/'],
    ['a top-level category', ['新媒体'], {}, '/categories/新媒体/'],
    ['levels slugized', ['9To5', '9To5 分站'], {}, '/categories/9To5/9To5-分站/'],
    ['filename_case 1', ['ZAKER', 'Top News'], { filename_case: 1 }, '/categories/zaker/top-news/'],
    ['filename_case 2', ['zaker'], { filename_case: 2 }, '/categories/ZAKER/'],
    ['category_map', ['新媒体', 'ZAKER'], { category_map: new Map([['新媒体', 'new-media']]) }, '/categories/new-media/ZAKER/'],
    ['a custom category_dir', ['a'], { category_dir: 'cats' }, '/cats/a/'],
    ['category_dir with slashes', ['a'], { category_dir: '/topics/' }, '/topics/a/'],
    ['category_dir "/" is the root', ['a', 'b'], { category_dir: '/' }, '/a/b/'],
    ['a name with URL characters (decoded; encodePath it for hrefs)', ['Q&A', '100%?'], {}, '/categories/Q-A/100/'],
  ])('%s', (_name, names, options, expected) => {
    expect(categoryPath(names, options)).toBe(expected);
  });

  it('refuses an empty hierarchy', () => {
    expect(() => categoryPath([])).toThrow(RangeError);
  });

  it('slugizes each level on its own', () => {
    expect(categorySlugs(['a/b', 'c d'])).toEqual(['a-b', 'c-d']);
  });
});

describe('tagPath', () => {
  it.each<[string, string, Parameters<typeof tagPath>[1], string]>([
    ['a tag', 'Linux', {}, '/tags/Linux/'],
    ['lower case', 'Linux Kernel', { filename_case: 1 }, '/tags/linux-kernel/'],
    ['tag_map', 'JS', { tag_map: new Map([['JS', 'javascript']]) }, '/tags/javascript/'],
    ['a custom tag_dir', '新闻', { tag_dir: 'labels' }, '/labels/新闻/'],
  ])('%s', (_name, name, options, expected) => {
    expect(tagPath(name, options)).toBe(expected);
  });

  it('gives the tag segment alone', () => {
    expect(tagSlug('C++ Tips')).toBe('C-Tips');
  });
});

describe('archivePath', () => {
  it.each<[string, number | undefined, number | undefined, string | undefined, string]>([
    ['all archives', undefined, undefined, undefined, '/archives/'],
    ['a year', 2021, undefined, undefined, '/archives/2021/'],
    ['a month, two digits', 2021, 9, undefined, '/archives/2021/09/'],
    ['December', 2021, 12, undefined, '/archives/2021/12/'],
    ['a year below 1000, unpadded as the generator writes it', 999, 1, undefined, '/archives/999/01/'],
    ['a custom archive_dir', 2021, 9, 'history', '/history/2021/09/'],
  ])('%s', (_name, year, month, dir, expected) => {
    expect(archivePath(year, month, dir === undefined ? {} : { archive_dir: dir })).toBe(expected);
  });

  it.each([
    [2021, 0],
    [2021, 13],
    [2021, 1.5],
    [2021.5, undefined],
  ])('refuses year %s month %s', (year, month) => {
    expect(() => archivePath(year, month)).toThrow(RangeError);
  });
});

describe('pagePath', () => {
  it.each([
    ['/', 1, 'page', '/'],
    ['/', 2, 'page', '/page/2/'],
    ['/categories/a/', 3, 'page', '/categories/a/page/3/'],
    ['/categories/a', 2, 'page', '/categories/a/page/2/'],
    ['/archives/2021/09/', 10, 'p', '/archives/2021/09/p/10/'],
    ['/tags/x/', 2, '/pages/', '/tags/x/pages/2/'],
  ])('%s page %i (%s)', (base, n, dir, expected) => {
    expect(pagePath(base, n, dir)).toBe(expected);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses page %s', (n) => {
    expect(() => pagePath('/', n)).toThrow(RangeError);
  });
});

describe('directories with slashes', () => {
  it.each<[string, string, string]>([
    ['a nested category_dir', 'blog/cats', '/blog/cats/a/'],
    ['doubled slashes around it', '//topics//', '/topics/a/'],
    ['slashes around a nested dir', '/blog/cats/', '/blog/cats/a/'],
    ['only slashes: the root', '///', '/a/'],
    ['empty: the root', '', '/a/'],
  ])('%s', (_name, dir, expected) => {
    expect(categoryPath(['a'], { category_dir: dir })).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['a nested pagination_dir', 'p/n', '/x/p/n/2/'],
    ['doubled slashes around it', '//pages//', '/x/pages/2/'],
    ['empty: page', '', '/x/page/2/'],
    ['only slashes: page', '//', '/x/page/2/'],
  ])('pagination: %s', (_name, dir, expected) => {
    expect(pagePath('/x/', 2, dir)).toBe(expected);
  });
});

describe('errors name the function and the value', () => {
  it.each<[string, () => unknown, string]>([
    ['an empty hierarchy', () => categoryPath([]), 'categoryPath: a category has at least one level'],
    ['a fractional year', () => archivePath(2021.5), 'archivePath: year 2021.5 is not a whole number'],
    ['month 13', () => archivePath(2021, 13), 'archivePath: month 13 is not 1–12'],
    ['month 0', () => archivePath(2021, 0), 'archivePath: month 0 is not 1–12'],
    ['page 0', () => pagePath('/', 0), 'pagePath: page 0 is not a whole number ≥ 1'],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(new RangeError(message));
  });

  it('uses page as the default pagination directory', () => {
    expect(pagePath('/a/', 3)).toBe('/a/page/3/');
  });
});
