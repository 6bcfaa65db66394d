import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeDiacritic } from '../../../src/hexo/escape-diacritic';
import { type SlugizeOptions, slugize } from '../../../src/hexo/slugize';

// Expected values worked out by hand from hexo-util lib/slugize.ts and lib/escape_diacritic.ts.
describe('slugize', () => {
  it.each<[string, string, SlugizeOptions, string]>([
    ['spaces', 'Hello World', {}, 'Hello-World'],
    ['lower case (transform 1)', 'Hello World', { transform: 1 }, 'hello-world'],
    ['upper case (transform 2)', 'Hello World', { transform: 2 }, 'HELLO-WORLD'],
    ['transform 0 keeps case', 'Hello', { transform: 0 }, 'Hello'],
    ['Chinese kept', '新媒体', {}, '新媒体'],
    ['Chinese with a space', '9To5 分站', {}, '9To5-分站'],
    ['diacritics to base letters', 'Café Ñandú', {}, 'Cafe-Nandu'],
    ['ligatures and sharp s', 'Æther straße', {}, 'AEther-strase'],
    ['long s (the table maps it to l)', 'ſ', {}, 'l'],
    ['circled and full-width Latin letters', 'Ⓐⓑ Ｃ', {}, 'Ab-C'],
    ['runs of punctuation to one separator', 'C++ & C# -- "quoted" (x)', {}, 'C-C-quoted-x'],
    ['separators trimmed at both ends', '--a--', {}, 'a'],
    ['underscores are special', 'a_b', {}, 'a-b'],
    ['every ASCII special character', 'a~`!@#$%^&*()-_+=[]{}|\\;:"\'<>,.?/b', {}, 'a-b'],
    ['C0 controls removed, not separated', 'hello\u0000\u001fworld', {}, 'helloworld'],
    ['a tab and newline are controls, removed', 'a\tb\nc', {}, 'abc'],
    ['DEL kept', 'a\u007fb', {}, 'a\u007fb'],
    ['C1 0x8C maps to OE (in the table)', 'x\u008cy', {}, 'xOEy'],
    ['no-break space is white space', 'a\u00a0b', {}, 'a-b'],
    ['ideographic space is white space', '标\u3000题', {}, '标-题'],
    ['full-width punctuation kept', '标题？（测试）！', {}, '标题？（测试）！'],
    ['emoji kept', '😀 smile', {}, '😀-smile'],
    ['only punctuation gives empty', '...', {}, ''],
    ['empty', '', {}, ''],
    ['a custom separator', 'a_b c', { separator: '_' }, 'a_b_c'],
    ['an empty separator means -', 'a b', { separator: '' }, 'a-b'],
    ['a regex-special separator', 'a b  c', { separator: '.' }, 'a.b.c'],
    // hexo-util builds `${sep}{2,}`, which repeats only the separator's last character.
    ['a two-character separator, as hexo-util does it', 'a  b', { separator: 'ab' }, 'a'],
    ['lower case after diacritics', 'ÉCOLE', { transform: 1 }, 'ecole'],
  ])('%s', (_name, input, options, expected) => {
    expect(slugize(input, options)).toBe(expected);
  });
});

describe('escapeDiacritic', () => {
  it.each([
    ['àéîõü', 'aeiou'],
    ['ÀÉÎÕÜ', 'AEIOU'],
    ['Łódź', 'Lodz'],
    ['Ǆ ǅ ǆ', 'DZ Dz dz'],
    ['ﬁ', 'ﬁ'],
    ['新媒体', '新媒体'],
    ['😀', '😀'],
    ['plain ASCII ~', 'plain ASCII ~'],
  ])('%j → %j', (input, expected) => {
    expect(escapeDiacritic(input)).toBe(expected);
  });
});

describe('escapeDiacritic, the whole table', () => {
  // `base: HHHH HHHH …` per line (tests/node/hexo/escape-diacritic.expected.txt).
  const expected = new Map<string, string>();
  for (const line of readFileSync(path.join(__dirname, 'escape-diacritic.expected.txt'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [base, units] = line.split(': ');
    for (const hex of units!.split(' ')) expected.set(String.fromCharCode(Number.parseInt(hex, 16)), base!);
  }

  it('reads the expected table', () => {
    expect(expected.size).toBe(874 - 52); // hexo-util's entries less the 52 ASCII letters mapped to themselves
  });

  it('maps every code unit as hexo-util does, and keeps every other one', () => {
    const wrong: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const c = String.fromCharCode(unit);
      const want = expected.get(c) ?? c;
      const got = escapeDiacritic(c);
      if (got !== want) wrong.push(`U+${unit.toString(16).toUpperCase().padStart(4, '0')}: ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('maps each code unit of a longer text', () => {
    expect(escapeDiacritic('Ꜳ Ǆ ǅ ǆ ẞ ß ſ ẛ')).toBe('AA DZ Dz dz S s l s');
  });
});

describe('slugize with a separator that is not punctuation', () => {
  it.each<[string, string, string]>([
    ['every run of the separator collapses, not only the first', 'axxbxxc', 'axbxc'],
    ['separators are trimmed at both ends', 'xa bx', 'axb'],
    ['runs at both ends and inside', 'xxa  bxx', 'axb'],
  ])('%s', (_name, input, expected) => {
    expect(slugize(input, { separator: 'x' })).toBe(expected);
  });

  it('gives the same result on a second call with the same separator', () => {
    expect(slugize('a b', { separator: '+' })).toBe('a+b');
    expect(slugize('c  d', { separator: '+' })).toBe('c+d');
  });
});
