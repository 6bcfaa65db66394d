import { describe, expect, it } from 'vitest';
import { HexoConfigError, readHexoConfig } from '../../../src/hexo/config';

// The keys (and values) of the real site's _config.yml (Rock-Candy-Tea/RSSHUB-PAGE) that matter
// here, with some of the keys it has that this project ignores.
const REAL_SITE = `# Hexo Configuration
title: 小冰 RSSHub
subtitle: ''
description: ''
keywords:
author: 冰卡诺
language: zh-CN
timezone: ''

url: https://news.zfe.space
root: /
permalink: p/:abbrlink.html
permalink_defaults:
pretty_urls:
  trailing_index: true
  trailing_html: true

tag_dir: tags
archive_dir: archives
category_dir: categories
filename_case: 0

index_generator:
  path: ''
  per_page: 100
  order_by: -date

default_category: uncategorized
category_map:
tag_map:

per_page: 100
pagination_dir: page

theme: volantis

deploy:
  type: git
  repo: git@github.com:Zfour/news.zfe.space.git

search:
  path: search.xml
  field: post
  format: html
  limit: 10000

abbrlink:
  alg: crc16 #support crc16(default) and crc32
  rep: hex    #support dec(default) and hex
`;

function configError(text: string): HexoConfigError {
  try {
    readHexoConfig(text, '_config.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(HexoConfigError);
    return error as HexoConfigError;
  }
  throw new Error('expected a HexoConfigError');
}

describe('readHexoConfig', () => {
  it("reads the real site's config", () => {
    expect(readHexoConfig(REAL_SITE, '_config.yml')).toEqual({
      title: '小冰 RSSHub',
      subtitle: '',
      description: '',
      author: '冰卡诺',
      language: 'zh-CN',
      timezone: null,
      url: 'https://news.zfe.space',
      root: '/',
      per_page: 100,
      index_per_page: 100,
      permalink: 'p/:abbrlink.html',
      pagination_dir: 'page',
      category_dir: 'categories',
      tag_dir: 'tags',
      archive_dir: 'archives',
      default_category: 'uncategorized',
      filename_case: 0,
      category_map: new Map(),
      tag_map: new Map(),
      abbrlink: { alg: 'crc16', rep: 'hex' },
      search: { path: 'search.xml', field: 'post', format: 'html', limit: 10000, content: true },
    });
  });

  it("gives Hexo's defaults for an empty config", () => {
    expect(readHexoConfig('', '_config.yml')).toEqual({
      title: 'Hexo',
      subtitle: '',
      description: '',
      author: 'John Doe',
      language: 'en',
      timezone: null,
      url: 'http://example.com',
      root: '/',
      per_page: 10,
      index_per_page: 10,
      permalink: ':year/:month/:day/:title/',
      pagination_dir: 'page',
      category_dir: 'categories',
      tag_dir: 'tags',
      archive_dir: 'archives',
      default_category: 'uncategorized',
      filename_case: 0,
      category_map: new Map(),
      tag_map: new Map(),
      abbrlink: { alg: 'crc16', rep: 'dec' },
      search: null,
    });
  });

  it.each([
    ['the first language of a list, canonical', 'language: [zh_cn, en]', { language: 'zh-CN' }],
    ['a time zone, canonical', 'timezone: asia/shanghai', { timezone: 'Asia/Shanghai' }],
    ['UTC', 'timezone: UTC', { timezone: 'UTC' }],
    ['root from the url path', 'url: https://example.com/blog', { url: 'https://example.com/blog', root: '/blog/' }],
    ['trailing slashes trimmed', 'url: https://example.com//\nroot: /x//', { url: 'https://example.com', root: '/x/' }],
    ['per_page 0 (no pagination)', 'per_page: 0', { per_page: 0, index_per_page: 0 }],
    ['category and tag maps', 'category_map:\n  新媒体: new-media\n  2021: y2021\ntag_map:\n  JS: javascript', { category_map: new Map([['新媒体', 'new-media'], ['2021', 'y2021']]), tag_map: new Map([['JS', 'javascript']]) }],
    ['a search path without extension', 'search:\n  path: db\n  field: all\n  content: false', { search: { path: 'db.xml', field: 'all', format: 'html', limit: null, content: false } }],
    ['a JSON search path', 'search:\n  path: search.json\n  format: striptags', { search: { path: 'search.json', field: 'post', format: 'striptags', limit: null, content: true } }],
    ['crc32 in decimal', 'abbrlink:\n  alg: crc32\n  rep: dec', { abbrlink: { alg: 'crc32', rep: 'dec' } }],
    ['filename_case 1', 'filename_case: 1', { filename_case: 1 }],
    ['a BOM', '\ufefftitle: T', { title: 'T' }],
  ])('reads %s', (_name, text, expected) => {
    expect(readHexoConfig(text, '_config.yml')).toMatchObject(expected);
  });

  it.each([
    ['an unknown time zone', 'title: T\ntimezone: Mars/Base', 2, /^`timezone` is not a time zone this runtime knows: "Mars\/Base"/],
    ['a bad language', 'language: not a tag!', 1, /^`language` is not a language tag/],
    ['a url that is not http(s)', 'url: ftp://example.com', 1, /^`url` must be an http\(s\) URL/],
    ['a url that is not a URL', 'url: example.com', 1, /^`url` is not a URL/],
    ['a negative per_page', 'per_page: -1', 1, /^`per_page` must be a whole number ≥ 0, not -1/],
    ['per_page as text', "per_page: '10'", 1, /^`per_page` must be a whole number/],
    ['index_generator.per_page as a fraction', 'index_generator:\n  path: ""\n  per_page: 2.5', 3, /^`index_generator.per_page` must be a whole number/],
    ['an unsupported permalink token', 'permalink: :year/:id/', 1, /^`permalink` uses :id/],
    ['an empty permalink', "permalink: ''", 1, /^`permalink` must not be empty/],
    ['an unknown abbrlink alg', 'abbrlink:\n  alg: md5\n  rep: hex', 2, /^`abbrlink.alg` must be one of crc16, crc32, not "md5"/],
    ['an unknown abbrlink rep', 'abbrlink:\n  alg: crc16\n  rep: base64', 3, /^`abbrlink.rep` must be one of hex, dec/],
    ['abbrlink that is not a mapping', 'abbrlink: crc16', 1, /^`abbrlink` must be a mapping/],
    ['an unknown search field', 'search:\n  field: everything', 2, /^`search.field` must be one of post, page, all/],
    ['a search limit of 0', 'search:\n  limit: 0', 2, /^`search.limit` must be a whole number ≥ 1/],
    ['a non-boolean search content', 'search:\n  content: maybe', 2, /^`search.content` must be true or false/],
    ['filename_case 3', 'filename_case: 3', 1, /^`filename_case` must be 0, 1 or 2/],
    ['a category_dir with ..', 'category_dir: ../x', 1, /^`category_dir` must be a plain folder path/],
    ['an empty pagination_dir', "pagination_dir: ''", 1, /^`pagination_dir` must not be empty/],
    ['a title that is a list', 'title: [a, b]', 1, /^`title` must be a text, not a list/],
    ['a category_map to a list', 'category_map:\n  a: [b]', 1, /^`category_map` maps "a" to a list/],
    ['invalid YAML', 'title: T\nauthor: a: b', 2, /^invalid YAML/],
    ['a config that is a list', '- a', 1, /^the config is not a mapping of fields$/],
    ['an alias bomb', `a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 5 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n')}\n`, 3, /expands YAML aliases more than 100 times/],
    ['a circular alias', 'deploy: &d\n  self: *d', 2, /circular alias/],
  ])('refuses %s, naming file and line', (_name, text, line, reason) => {
    const error = configError(text);
    expect(error.file).toBe('_config.yml');
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`_config.yml:${line}: ${error.reason}`);
  });
});

describe('readHexoConfig, value by value', () => {
  it('names the file alone when the line is unknown', () => {
    const error = new HexoConfigError('_config.yml', null, 'bad');
    expect(error.message).toBe('_config.yml: bad');
    expect(error.name).toBe('HexoConfigError');
  });

  it.each([
    ['a null title as the default', 'title: ~', { title: 'Hexo' }],
    ['a numeric title as text', 'title: 2021', { title: '2021' }],
    ['a boolean author as text', 'author: true', { author: 'true' }],
    ['a BOM inside a value, kept', 'title: "a\ufeffb"', { title: 'a\ufeffb' }],
    ['subtitle and description', 'subtitle: S\ndescription: D', { subtitle: 'S', description: 'D' }],
    ['tag_dir, archive_dir and default_category', 'tag_dir: t\narchive_dir: a\ndefault_category: misc', { tag_dir: 't', archive_dir: 'a', default_category: 'misc' }],
    ['a null per_page as the default', 'per_page: ~', { per_page: 10 }],
    ['a null or empty abbrlink alg as the default', "abbrlink:\n  alg: ~\n  rep: ''", { abbrlink: { alg: 'crc16', rep: 'dec' } }],
    ['an abbrlink alg with spaces around it', "abbrlink:\n  alg: ' crc32 '", { abbrlink: { alg: 'crc32', rep: 'dec' } }],
    ['a folder name with a dot in it', 'category_dir: a.b/c', { category_dir: 'a.b/c' }],
    ['a category_map entry without a value, skipped', 'category_map:\n  a: ~\n  b: c', { category_map: new Map([['b', 'c']]) }],
    ['the first language of a list that is not empty', "language: [~, '', ja]", { language: 'ja' }],
    ['an empty language list as en', 'language: []', { language: 'en' }],
    ['a language of spaces as en', "language: '  '", { language: 'en' }],
    ['a time zone with spaces around it', "timezone: ' Asia/Shanghai '", { timezone: 'Asia/Shanghai' }],
    ['a null root as the url path', 'url: https://example.com/blog\nroot: ~', { root: '/blog/' }],
    ['an empty root as the url path', "url: https://example.com/blog\nroot: ''", { root: '/blog/' }],
    ['a null search section as no search', 'search: ~', { search: null }],
    ['a search section without a path', 'search:\n  field: page', { search: { path: 'search.xml', field: 'page', format: 'html', limit: null, content: true } }],
    ['a search path with an empty value', "search:\n  path: ''", { search: { path: 'search.xml', field: 'post', format: 'html', limit: null, content: true } }],
    ['a search path whose folder has a dot', 'search:\n  path: a.b/c', { search: { path: 'a.b/c.xml', field: 'post', format: 'html', limit: null, content: true } }],
    ['a null search limit and content', 'search:\n  limit: ~\n  content: ~', { search: { path: 'search.xml', field: 'post', format: 'html', limit: null, content: true } }],
    ['a search limit', 'search:\n  limit: 5', { search: { path: 'search.xml', field: 'post', format: 'html', limit: 5, content: true } }],
    ['a null filename_case as 0', 'filename_case: ~', { filename_case: 0 }],
    ['filename_case 2', 'filename_case: 2', { filename_case: 2 }],
  ])('reads %s', (_name, text, expected) => {
    expect(readHexoConfig(text, '_config.yml')).toMatchObject(expected);
  });

  it.each([
    ['a title that is a mapping', 'title: {a: b}', 1, '`title` must be a text, not a mapping'],
    ['an abbrlink alg that is a number', 'abbrlink:\n  alg: 16', 2, '`abbrlink.alg` must be one of crc16, crc32, not 16'],
    ['a pagination_dir of spaces', "pagination_dir: '  '", 1, '`pagination_dir` must not be empty'],
    ['a "." folder segment', 'category_dir: a/./b', 1, '`category_dir` must be a plain folder path, not "a/./b"'],
    ['a category_map key that is a list', 'category_map:\n  ? [a]\n  : b', 1, '`category_map` has a key that is not a name'],
    ['a category_map key that is a mapping', 'category_map:\n  ? {a: 1}\n  : b', 1, '`category_map` has a key that is not a name'],
    ['a category_map key that is null', 'category_map:\n  ~: b', 1, '`category_map` has a key that is not a name'],
    ['a language that is a list of lists', 'language: [[zh]]', 1, '`language` must be a text, not a list'],
    ['a root of spaces', "root: '  '", 1, '`root` must not be empty'],
    ['a permalink of spaces', "permalink: '  '", 1, '`permalink` must not be empty'],
    ['an index_generator that is not a mapping', 'index_generator: 5', 1, '`index_generator` must be a mapping, not 5'],
    ['a search that is not a mapping', 'search: 5', 1, '`search` must be a mapping, not 5'],
  ])('refuses %s', (_name, text, line, reason) => {
    const error = configError(text);
    expect(error.line).toBe(line);
    expect(error.reason).toBe(reason);
  });
});
