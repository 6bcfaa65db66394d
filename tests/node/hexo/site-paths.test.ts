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
