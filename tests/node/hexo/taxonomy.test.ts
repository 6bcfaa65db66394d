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
