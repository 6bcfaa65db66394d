/** `lang` values: BCP 47 language tags from the documented subset, nothing else. */
import { describe, expect, it } from 'vitest';
import { isLanguageTag, langAttribute } from '../../../src/rewrite/lang-tag';

describe('isLanguageTag', () => {
  it.each([
    ['en', true], ['EN', true], ['zh', true], ['zh-CN', true], ['zh-cn', true], ['zh-Hans', true], ['zh-Hans-CN', true],
    ['zh-Hant-TW', true], ['en-US', true], ['pt-BR', true], ['es-419', true], ['ja', true], ['yue', true], ['yue-HK', true],
    ['fil', true], ['sr-Latn-RS', true], ['en-ZZ', true], ['', true],
    ['js', false], ['javascript', false], ['c++', false], ['py', false], ['jsx', false], ['sh', false], ['html', false],
    ['en-', false], ['-en', false], ['en--US', false], ['zh-Hans-Hant', false], ['en-US-x-private', false],
    ['en-US-u-ca-buddhist', false], ['x-klingon', false], ['zz', false], ['en-QQQ', false], ['en us', false], ['i-klingon', false],
  ])('%j → %s', (value, expected) => {
    expect(isLanguageTag(value)).toBe(expected);
  });
});

describe('langAttribute', () => {
  it.each<[string, string | undefined, string, string | null]>([
    ['p', undefined, 'en', 'en'],
    ['p', undefined, ' zh-CN ', 'zh-CN'],
    ['p', undefined, 'js', null],
    ['code', undefined, 'js', null],
    ['code', undefined, 'en', null],
    ['pre', undefined, 'ts', null],
    ['kbd', undefined, 'en', null],
    ['span', 'hljs-keyword', 'en', null],
    ['div', 'highlight language-ts', 'ts', null],
    ['div', 'lang-pl', 'pl', null],
    ['p', 'intro', 'pl', 'pl'],
  ])('<%s class=%j lang=%j> → %j', (tag, cls, value, expected) => {
    expect(langAttribute(tag, cls, value)).toBe(expected);
  });
});
