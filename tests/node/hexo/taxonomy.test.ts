import { describe, expect, it } from 'vitest';
import { FieldProblem, hexoCategories, hexoTags } from '../../../src/hexo/taxonomy';

// Expected values follow hexo lib/models/post.ts setCategories and lib/plugins/processor/post.ts.
describe('hexoCategories', () => {
  it.each([
    ['absent', undefined, undefined, []],
    ['null', null, undefined, []],
    ['empty string', '', undefined, []],
    ['0 (falsy, as `data.categories || []`)', 0, undefined, []],
    ['false', false, undefined, []],
    ['an empty list', [], undefined, []],
    ['a single string', 'news', undefined, [['news']]],
    ['a number', 2021, undefined, [['2021']]],
    ['a flat list: ONE hierarchy', ['新媒体', 'ZAKER', 'channel'], undefined, [['新媒体', 'ZAKER', 'channel']]],
    ['a flat list with null and empty items removed', ['a', null, '', 'b'], undefined, [['a', 'b']]],
    ['a flat list keeping repeated levels', ['a', 'a'], undefined, [['a', 'a']]],
    ['nested lists: each its own hierarchy', [['a', 'b'], ['c', 'd']], undefined, [['a', 'b'], ['c', 'd']]],
    ['a string beside a nested list: its own one-level hierarchy', [['a', 'b'], 'c', 'd'], undefined, [['a', 'b'], ['c'], ['d']]],
    ['empties inside nested lists removed', [['a', null, ''], [null, ''], 'b'], undefined, [['a'], ['b']]],
    ['duplicate hierarchies collapsed, order kept', [['a', 'b'], 'c', ['a', 'b'], ['c']], undefined, [['a', 'b'], ['c']]],
    ['a prefix hierarchy kept apart', [['a'], ['a', 'b']], undefined, [['a'], ['a', 'b']]],
    ['names not trimmed (Hexo keeps them)', [' a '], undefined, [[' a ']]],
    ['numbers and booleans stringified', [1, true, 1.5], undefined, [['1', 'true', '1.5']]],
    ['names that look like object keys', ['__proto__', 'constructor'], undefined, [['__proto__', 'constructor']]],
    ['`category` when `categories` is absent', undefined, ['a', 'b'], [['a', 'b']]],
    ['`category` when `categories` is empty', '', 'x', [['x']]],
    ['`categories` over `category`', ['a'], ['b'], [['a']]],
  ])('%s', (_name, categories, category, expected) => {
    expect(hexoCategories(categories, category)).toEqual(expected);
  });

  it.each([
    ['a mapping', new Map([['a', 'b']]), /^`categories` is a mapping/],
    ['a mapping in the list', ['a', new Map()], /^`categories` contains a mapping, not names$/],
    ['a mapping in a nested list', [['a', new Map()]], /contains a mapping/],
    ['lists three deep', [['a', ['b']]], /nests lists more than two levels deep/],
  ])('refuses %s', (_name, value, reason) => {
    expect(() => hexoCategories(value)).toThrow(FieldProblem);
    expect(() => hexoCategories(value)).toThrow(reason);
  });
});

describe('hexoTags', () => {
  it.each([
    ['absent', undefined, undefined, []],
    ['a string', 'one', undefined, ['one']],
    ['a list, deduplicated in order', ['b', 'a', 'b'], undefined, ['b', 'a']],
    ['nested lists flattened', ['a', ['b', 'c']], undefined, ['a', 'b', 'c']],
    ['null and empty removed', ['a', null, '', 'b'], undefined, ['a', 'b']],
    ['numbers stringified and deduplicated with text', [1, '1', 2], undefined, ['1', '2']],
    ['`tag` when `tags` is absent', undefined, 'x', ['x']],
  ])('%s', (_name, tags, tag, expected) => {
    expect(hexoTags(tags, tag)).toEqual(expected);
  });

  it.each([
    ['a mapping', new Map([['a', 1]]), /^`tags` is a mapping/],
    ['a mapping in the list', ['a', new Map()], /^`tags` contains a mapping/],
    ['lists three deep', ['a', ['b', ['c']]], /nests lists more than two levels deep/],
  ])('refuses %s', (_name, value, reason) => {
    expect(() => hexoTags(value)).toThrow(reason);
  });
});

describe('names of every kind, and every refusal exactly', () => {
  it('reads big integers as their digits', () => {
    expect(hexoTags([10n, 'a'])).toEqual(['10', 'a']);
    expect(hexoCategories([12345678901234567890n])).toEqual([['12345678901234567890']]);
  });

  it('drops undefined like null and empty text', () => {
    expect(hexoTags([undefined, 'a', null, ''])).toEqual(['a']);
    expect(hexoCategories([['a', undefined, 'b']])).toEqual([['a', 'b']]);
  });

  it.each<[string, () => unknown, string]>([
    ['a date among the tags', () => hexoTags([new Date(0)]), '`tags` contains a value that is not a name'],
    ['a mapping among the tags', () => hexoTags([new Map()]), '`tags` contains a mapping, not names'],
    ['a date in a category hierarchy', () => hexoCategories([['a', new Date(0)]]), '`categories` contains a value that is not a name'],
    ['a mapping in a category hierarchy', () => hexoCategories([['a', new Map()]]), '`categories` contains a mapping, not names'],
    ['a mapping as a category', () => hexoCategories(['a', new Map()]), '`categories` contains a mapping, not names'],
    ['a list three deep in categories', () => hexoCategories([['a', ['b']]]), '`categories` nests lists more than two levels deep'],
  ])('%s', (_name, fn, reason) => {
    let caught: unknown = null;
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FieldProblem);
    expect((caught as FieldProblem).reason).toBe(reason);
    expect((caught as FieldProblem).message).toBe(reason);
    expect((caught as FieldProblem).name).toBe('FieldProblem');
  });

  it.each<[string, unknown, unknown, string[]]>([
    ['tags when both are given', ['a'], ['b'], ['a']],
    ['tags when tags is an empty list (truthy, as Hexo\'s `||` sees it)', [], ['b'], []],
    ['tag when tags is empty text', '', ['b'], ['b']],
    ['tag when tags is absent', undefined, 'b', ['b']],
    ['nothing when both are empty', '', [], []],
  ])('hexoTags takes %s', (_name, tags, tag, expected) => {
    expect(hexoTags(tags, tag)).toEqual(expected);
  });

  it.each<[string, unknown, unknown, string[][]]>([
    ['categories when both are given', ['a'], ['b'], [['a']]],
    ['categories when it is an empty list (truthy)', [], ['b'], []],
    ['category when categories is null', null, ['b'], [['b']]],
    ['category when categories is absent', undefined, 'b', [['b']]],
  ])('hexoCategories takes %s', (_name, categories, category, expected) => {
    expect(hexoCategories(categories, category)).toEqual(expected);
  });
});
