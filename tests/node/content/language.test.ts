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
    // Intl accepts tags of any length; ours stop at 64 characters (both are well-formed).
    ['en-x-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee-ffffffff-ggggg', true],
    ['en-x-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee-ffffffff-gggggg', false],
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

describe('guessLanguage, letter by letter', () => {
  const long = (n: number, ch: string) => ch.repeat(n);
  it.each<[string, string, 'en' | 'ja' | null]>([
    // The ASCII letters at the ends of both ranges count as Latin; the characters next to them do not.
    ['a', 'a', 'en'],
    ['z', 'z', 'en'],
    ['A', 'A', 'en'],
    ['Z', 'Z', 'en'],
    ['the ASCII characters around the letter ranges', '@[\\]^_`{|}~', null],
    ['upper case only', 'ABC', 'en'],
    ['Latin letters outside ASCII', 'éèê', 'en'],
    ['Latin with a few Hangul letters (other letters count against English)', 'abc안녕', null],
    ['exactly 1% other letters is still English', `${long(100, 'a')}안`, 'en'],
    ['just over 1% is not', `${long(99, 'a')}안`, null],
    ['kana at exactly 10% of the CJK letters is Japanese', `ア${long(9, '漢')}`, 'ja'],
    ['just under 10% is not', `ア${long(10, '漢')}`, null],
    // Markup and entities are not text: only what they hide would count.
    ['a tag with attributes', '<img alt="a picture of a cat" src="cat.png">', null],
    ['hexadecimal character references', '&#x4e2d;&#x6587;&#xABCD;', null],
    ['named character references', '&nbsp;&amp;&hellip;&lt;', null],
    ['Japanese inside a tag-heavy snippet', '<span class="note">ポケモン</span>', 'ja'],
  ])('%s → %j', (_name, text, expected) => {
    expect(guessLanguage(text)).toBe(expected);
  });

  it('reads at most 20,000 letters: a letter after them does not count', () => {
    // 2,000 kana in 20,000 CJK letters is exactly 10 %: Japanese; one more Han letter would tip it.
    const text = `${long(2_000, 'ア')}${long(18_000, '漢')}漢`;
    expect(guessLanguage(text)).toBe('ja');
  });

  it('reads at most the first 80,000 characters', () => {
    expect(guessLanguage(`${long(80_000, ' ')}ア`)).toBeNull();
    expect(guessLanguage(`${long(79_999, ' ')}ア`)).toBe('ja');
  });
});
