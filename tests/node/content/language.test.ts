import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePost } from '../../../src/content/front-matter';
import { canonicalLanguageTag, guessLanguage, isLanguageTag } from '../../../src/content/language';

const fixtures = path.resolve(__dirname, '../../fixtures');

describe('isLanguageTag', () => {
  it.each([
    ['zh-CN', true],
    ['en', true],
    ['ja-JP', true],
    ['zh-Hans-CN', true],
    ['en-US-x-twain', true],
    ['de-DE-u-co-phonebk', true],
    ['zh-cn', true],
    ['und', true],
    // Well-formed (a 5–8 letter language subtag), though not registered.
    ['english', true],
    ['zh_CN', false],
    [' en', false],
    ['', false],
    ['e', false],
    ['123', false],
    ['en--US', false],
    ['x-private', false],
    ['abcdefghi', false],
  ])('%j → %s', (tag, expected) => {
    expect(isLanguageTag(tag)).toBe(expected);
  });
});

describe('canonicalLanguageTag', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['EN-us', 'en-US'],
    [' ja ', 'ja'],
    ['zh-hans-cn', 'zh-Hans-CN'],
    ['not a tag', null],
    ['', null],
  ])('%j → %j', (tag, expected) => {
    expect(canonicalLanguageTag(tag)).toBe(expected);
  });
});

describe('guessLanguage', () => {
  it.each([
    ['English prose', 'Apple has published a new document today.', 'en'],
    ['English with diacritics', 'Café au lait at the Musée d’Orsay', 'en'],
    ['English with one stray kana word in 3,000 letters', `${'lorem ipsum dolor '.repeat(200)}ラーメン`, 'en'],
    ['Japanese with kanji and kana', '東京の天気は晴れです', 'ja'],
    ['katakana only', 'ポケモン', 'ja'],
    ['half-width katakana', 'ﾎﾟｹﾓﾝ', 'ja'],
    ['Chinese', '习近平出席亚太经合组织第二十八次领导人非正式会议', null],
    ['Chinese naming a Japanese brand once', `${'中国科技新闻报道'.repeat(20)}ポケモン`, null],
    ['Chinese with the katakana middle dot in a name', '詹姆斯・邦德的新电影上映了', null],
    ['Chinese with much English code', '这是一个例子：const x = require("react"); function App() { return null }', null],
    ['Korean', '안녕하세요 세계', null],
    ['Russian', 'Привет, мир', null],
    ['no letters at all', '123 !!! 456', null],
    ['empty', '', null],
    ['markup is not text', '<p class="lead" data-src="https://example.com/a.png">新闻</p>&nbsp;&#160;', null],
  ])('%s → %j', (_name, text, expected) => {
    expect(guessLanguage(text)).toBe(expected);
  });

  // Every corpus post, by title + body: 43 is Japanese (Eventernote), 33 English (9to5Mac), and
  // the two 1x photo posts have only a Latin title and no text, so they read as English too.
  const expected = new Map<string, 'en' | 'ja'>([
    ['43-eventernote-japanese-plaintext.md', 'ja'],
    ['33-9to5mac-english-wpcom-query-url.md', 'en'],
    ['22-1x-photo-https-noproxy.md', 'en'],
    ['46-1x-photo-latin-diacritics-title.md', 'en'],
  ]);
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.md'));
  it('has all 61 corpus posts', () => {
    expect(files).toHaveLength(61);
  });
  it.each(files)('guesses corpus post %s', (file) => {
    const { article } = parsePost(file, readFileSync(path.join(fixtures, file), 'utf8'));
    expect(guessLanguage(`${article.title}\n${article.body}`)).toBe(expected.get(file) ?? null);
  });
});
