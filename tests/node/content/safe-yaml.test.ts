import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, YamlProblem, parseYamlMapping } from '../../../src/content/safe-yaml';
import { parseSimpleMapping } from '../../../src/content/simple-yaml';

const full = (text: string) => parseYamlMapping(text, 'front matter', { fastPath: false });

function problemOf(fn: () => unknown): YamlProblem {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(YamlProblem);
    return error as YamlProblem;
  }
  throw new Error('expected a YamlProblem');
}

/** 12 lines: each anchor is a list of 9 aliases to the one before (9¹¹ leaves). */
function aliasBomb(levels: number, field = 'categories'): string {
  let text = 'title: T\na0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < levels; i++) {
    const key = i === levels - 1 ? field : `a${i}`;
    text += `${key}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  return text;
}

describe('parseYamlMapping', () => {
  it('reads fields with the core schema: timestamps stay text, numbers and booleans do not', () => {
    const { fields, lines } = full("title: 'T'\ndate: 2021-08-07 02:22:05\ncomments: false\nn: 12\nf: 1.5\nz: ~\nlist:\n - a\n - [b, c]\n");
    expect([...fields]).toEqual([
      ['title', 'T'],
      ['date', '2021-08-07 02:22:05'],
      ['comments', false],
      ['n', 12],
      ['f', 1.5],
      ['z', null],
      ['list', ['a', ['b', 'c']]],
    ]);
    expect([...lines]).toEqual([
      ['title', 1],
      ['date', 2],
      ['comments', 3],
      ['n', 4],
      ['f', 5],
      ['z', 6],
      ['list', 7],
    ]);
  });

  it('keeps explicit YAML 1.1 tags (!!timestamp, !!binary) as unresolved text, with warnings', () => {
    const { fields, warnings } = full('date: !!timestamp 2021-01-01\nbin: !!binary aGk=\n');
    expect(fields.get('date')).toBe('2021-01-01');
    expect(fields.get('bin')).toBe('aGk=');
    expect(warnings).toEqual(['line 1: Unresolved tag: tag:yaml.org,2002:timestamp', 'line 2: Unresolved tag: tag:yaml.org,2002:binary']);
  });

  it('holds __proto__ and constructor keys as plain map entries, nested ones too', () => {
    const { fields } = full('__proto__: {polluted: yes}\nconstructor: x\nnested: {__proto__: 1}\n');
    expect(fields.get('__proto__')).toEqual(new Map([['polluted', 'yes']]));
    expect(fields.get('constructor')).toBe('x');
    expect(fields.get('nested')).toEqual(new Map([['__proto__', 1]]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('records the line of nested keys as key.subkey', () => {
    const { lines } = full('abbrlink:\n  alg: crc16\n  rep: hex\n');
    expect(lines.get('abbrlink')).toBe(1);
    expect(lines.get('abbrlink.alg')).toBe(2);
    expect(lines.get('abbrlink.rep')).toBe(3);
  });

  it('accepts an empty text and a text of comments as no fields', () => {
    expect(full('').fields.size).toBe(0);
    expect(full('# nothing here\n').fields.size).toBe(0);
  });

  it.each([
    ['a syntax error', 'title: T\nauthor: a: b\n', 2, /^invalid YAML: /],
    ['an unclosed flow list', 'title: T\ncategories: [a, b\nauthor: x\n', 3, /^invalid YAML: /],
    ['a duplicate key', 'title: T\ntitle: U\n', 2, /^invalid YAML: Map keys must be unique/],
    ['a top-level list', '- a\n- b\n', 1, /^front matter is not a mapping of fields$/],
    ['a top-level scalar', 'just text\n', 1, /^front matter is not a mapping of fields$/],
    ['a circular alias in a list', 'title: T\ncategories: &c [a, *c]\n', 2, /alias \*c is inside the node it names \(a circular alias\)/],
    ['a circular alias in a mapping', 'title: T\nx: &m\n  self: *m\n', 3, /circular alias/],
    ['an alias to no anchor', 'title: T\ncategories: [*nope]\n', 2, /alias \*nope names no anchor defined before it/],
    ['an alias to a later anchor', 'a: *later\nb: &later x\n', 1, /names no anchor defined before it/],
  ])('refuses %s, naming the line', (_name, text, line, reason) => {
    const problem = problemOf(() => full(text));
    expect(problem.line).toBe(line);
    expect(problem.reason).toMatch(reason);
  });

  it('refuses a 12-line alias bomb in categories, naming a line of it', () => {
    const text = aliasBomb(11);
    expect(text.split('\n').filter(Boolean)).toHaveLength(12);
    const problem = problemOf(() => parseYamlMapping(text, 'front matter'));
    expect(problem.reason).toMatch(`expands YAML aliases more than ${MAX_ALIAS_COUNT} times`);
    expect(problem.line).toBeGreaterThanOrEqual(2);
    expect(problem.line).toBeLessThanOrEqual(12);
  });

  it('refuses a bomb placed only under categories', () => {
    const text = 'title: T\ncategories:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  - [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const problem = problemOf(() => parseYamlMapping(text, 'front matter'));
    expect(problem.line).toBe(2);
    expect(problem.reason).toMatch(/^`categories` expands YAML aliases more than 100 times/);
  });

  it('allows a few honest aliases', () => {
    const { fields } = full('base: &b [a, b]\ncategories: *b\ntags: [*b, *b]\n');
    expect(fields.get('categories')).toEqual(['a', 'b']);
    expect(fields.get('tags')).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });
});

describe('parseYamlMapping, the edges', () => {
  it('names its problems: the message carries the line when there is one', () => {
    expect(new YamlProblem(3, 'bad').message).toBe('line 3: bad');
    expect(new YamlProblem(null, 'bad').message).toBe('bad');
    expect(new YamlProblem(null, 'bad').name).toBe('YamlProblem');
  });

  it('calls its input "the YAML" unless told what it is', () => {
    const problem = problemOf(() => parseYamlMapping('- a\n', undefined, { fastPath: false }));
    expect(problem.reason).toBe('the YAML is not a mapping of fields');
  });

  it.each([
    ['a null document', '~\n'],
    ['a document that is the word null', 'null\n'],
    ['an empty quoted string', "''\n"],
  ])('reads %s as no fields', (_name, text) => {
    const result = full(text);
    expect(result.fields.size).toBe(0);
    expect(result.lines.size).toBe(0);
  });

  it('names the line where a top level that is not a mapping starts', () => {
    const problem = problemOf(() => full('\n\n- a\n- b\n'));
    expect(problem.line).toBe(3);
  });

  it('refuses a key longer than 1024 characters (YAML 1.2 strict: an implicit key is at most 1024)', () => {
    const problem = problemOf(() => full(`title: T\n${'k'.repeat(1025)}: v\n`));
    expect(problem.line).toBe(2);
    expect(problem.reason).toMatch(/^invalid YAML: /);
  });

  it('skips keys that are not scalars, at the top level and one level down', () => {
    const { fields, lines } = full('? [a, b]\n: c\ntitle: T\nabbrlink:\n  ? [x]\n  : y\n  alg: crc16\n');
    expect([...fields.keys()]).toEqual(['title', 'abbrlink']);
    expect([...lines]).toEqual([
      ['title', 3],
      ['abbrlink', 4],
      ['abbrlink.alg', 7],
    ]);
  });

  it('reads an explicit key without a value as null', () => {
    const { fields } = full('? a\ntitle: T\n');
    expect([...fields]).toEqual([
      ['a', null],
      ['title', 'T'],
    ]);
  });
});

describe('parseSimpleMapping (the fast path)', () => {
  it('reads generator-written front matter exactly as the full parser does', () => {
    const text =
      "title: '习近平出席亚太经合组织第二十八次领导人非正式会议并发表重要讲话'\ncategories: \n - 新媒体\n - ZAKER\n - source\nheadimg: 'https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/a.jpg'\nauthor: ZAKER\ncomments: false\ndate: Sat, 13 Nov 2021 06:08:05 GMT\nthumbnail: 'it''s'\n";
    const simple = parseSimpleMapping(text);
    expect(simple).not.toBeNull();
    expect(simple).toEqual(full(text));
    expect(simple!.fields.get('thumbnail')).toBe("it's");
    expect(simple!.fields.get('comments')).toBe(false);
    expect(simple!.fields.get('categories')).toEqual(['新媒体', 'ZAKER', 'source']);
  });

  it.each([
    ['an anchor', 'a: &x 1\n'],
    ['an alias', 'a: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow list', 'a: [x, y]\n'],
    ['a flow mapping', 'a: {x: 1}\n'],
    ['a double-quoted scalar', 'a: "x"\n'],
    ['a block scalar', 'a: |\n  x\n'],
    ['a comment', '# c\na: x\n'],
    ['a trailing comment', 'a: x # c\n'],
    ['a multi-line plain scalar', 'a: x\n  y\n'],
    ['a nested mapping', 'a:\n  b: 1\n'],
    ['a tab', 'a:\tx\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a float', 'a: 1.5\n'],
    ['a hex integer', 'a: 0x1F\n'],
    ['.nan', 'a: .nan\n'],
    ['a negative number', 'a: -5\n'],
    ['a null list item', 'a:\n - \n'],
    ['a nested list item', 'a:\n - - x\n'],
    ['list items at two indentations', 'a:\n - x\n  - y\n'],
    ['a key that is a boolean', 'True: x\n'],
    ['a document marker', '---\na: x\n'],
    ['a CR', 'a: x\r\n'],
    ['a BOM', '\ufeffa: x\n'],
    ['a NEL', 'a: x\u0085y\n'],
    ['a lone surrogate', 'a: \ud800\n'],
    ['a key with no space after the colon', 'a:x\n'],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(parseSimpleMapping(text)).toBeNull();
  });

  // Lines built from the pieces that decide between the two parsers; whenever the fast path
  // answers, the full parser must give exactly the same fields, lines and (no) warnings.
  const plainChar = fc.constantFrom('a', 'Z', ' ', '#', ':', '-', "'", '"', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '0', '1', '.', 'e', 'x', 'o', '+', '~', '中', 'ｱ', '\u00a0', '\u3000', '😀', '\\', '/');
  const scalarText = fc.oneof(
    fc.string({ unit: plainChar, minLength: 0, maxLength: 8 }),
    fc.constantFrom('null', 'Null', 'NULL', '~', 'true', 'False', 'TRUE', '12', '+3', '007', '0o17', '0x1F', '1e3', '.5', '.inf', '-.Inf', '.NaN', '2021-08-07 02:22:05', 'Sat, 13 Nov 2021 06:08:05 GMT'),
    fc.string({ unit: plainChar, maxLength: 6 }).map((s) => `'${s}'`),
    fc.string({ unit: plainChar, maxLength: 6 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  );
  const key = fc.constantFrom('title', 'categories', 'date', 'tags', 'a-b', '__proto__', 'constructor', 'True', 'null', 'x_1', '2021', 'a b', 'k');
  const line = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(key, fc.constantFrom(': ', ': ', ':  ', ':', ': \t'), scalarText, fc.constantFrom('', '', ' ', '  '))
        .map(([k, sep, v, tail]) => `${k}${sep}${v}${tail}`),
    },
    { weight: 2, arbitrary: fc.tuple(key, fc.constantFrom(':', ': ')).map(([k, sep]) => `${k}${sep}`) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(' ', ' ', '', '  '), fc.constantFrom('- ', '- ', '-  ', '-'), scalarText)
        .map(([indent, dash, v]) => `${indent}${dash}${v}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '# comment', '---', '...', '  continued') },
  );
  const doc = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => `${lines.join('\n')}\n`);

  it('agrees with the full parser whenever it answers (differential fuzz)', () => {
    let answered = 0;
    fc.assert(
      fc.property(doc, (text) => {
        const simple = parseSimpleMapping(text);
        if (simple === null) return;
        answered++;
        expect(simple).toEqual(full(text));
      }),
      { numRuns: 20_000, seed: 20211113 },
    );
    // The property means something only if the fast path answered often.
    expect(answered).toBeGreaterThan(1000);
  });
});
