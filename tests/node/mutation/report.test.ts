/**
 * docs/mutation.md's generator (scripts/mutation-report.ts), pure: scores, the count line CI reads,
 * the original text of a mutant, and the Markdown, from a small hand-written Stryker report.
 */
import { describe, expect, it } from 'vitest';
import { type StrykerReport, THRESHOLD, codeSpan, countLine, originalText, passes, renderMarkdown, summarise } from '../../../scripts/mutation-report';

const at = (line: number, column: number, endLine: number, endColumn: number) => ({ start: { line, column }, end: { line: endLine, column: endColumn } });

const REPORT: StrykerReport = {
  files: {
    'src/b.ts': {
      source: 'export const b = (x: number) => x < 10;\n',
      mutants: [
        { id: '1', mutatorName: 'EqualityOperator', replacement: 'x <= 10', location: at(1, 33, 1, 39), status: 'Survived' },
        { id: '2', mutatorName: 'EqualityOperator', replacement: 'x >= 10', location: at(1, 33, 1, 39), status: 'Killed' },
        { id: '3', mutatorName: 'BooleanLiteral', replacement: 'true', location: at(1, 33, 1, 39), status: 'Timeout' },
        { id: '4', mutatorName: 'ArrowFunction', replacement: '() => undefined', location: at(1, 18, 1, 39), status: 'NoCoverage' },
      ],
    },
    'src/a.ts': {
      source: 'function a() {\n  return 1;\n}\n',
      mutants: [
        { id: '5', mutatorName: 'BlockStatement', replacement: '{}', location: at(1, 14, 3, 2), status: 'Killed' },
        { id: '6', mutatorName: 'ArithmeticOperator', replacement: '2', location: at(2, 10, 2, 11), status: 'Ignored', statusReason: 'the same either way' },
        { id: '7', mutatorName: 'StringLiteral', replacement: '""', location: at(2, 10, 2, 11), status: 'CompileError' },
      ],
    },
    'src/c.ts': { source: '', mutants: [] },
  },
};

describe('summarise', () => {
  it('counts each status per module, sorted by file, and scores (killed + timeout) / valid', () => {
    expect(summarise(REPORT)).toEqual([
      { file: 'src/a.ts', killed: 1, timeout: 0, survived: 0, noCoverage: 0, ignored: 1, invalid: 1, score: 100 },
      { file: 'src/b.ts', killed: 1, timeout: 1, survived: 1, noCoverage: 1, ignored: 0, invalid: 0, score: 50 },
      { file: 'src/c.ts', killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, invalid: 0, score: null },
    ]);
  });

  it('rounds scores down to one decimal, so a module never shows a passing score it does not have', () => {
    const mutants = Array.from({ length: 1000 }, (_, i) => ({ id: String(i), mutatorName: 'M', location: at(1, 1, 1, 2), status: i < 849 ? 'Killed' : 'Survived' }));
    expect(summarise({ files: { 'x.ts': { source: 'x', mutants } } })[0]!.score).toBe(84.9);
    mutants[849]!.status = 'Killed';
    mutants[850]!.status = 'Timeout';
    expect(summarise({ files: { 'x.ts': { source: 'x', mutants } } })[0]!.score).toBe(85.1);
  });
});

describe('passes and countLine', () => {
  it(`passes a module at ${THRESHOLD} % or more, or with no valid mutant`, () => {
    const m = (score: number | null) => ({ file: 'f', killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, invalid: 0, score });
    expect([m(85).score, m(84.9).score, m(null).score].map((s) => passes(m(s)))).toEqual([true, false, true]);
    expect(countLine([m(100), m(84.9), m(null), m(85)])).toBe('mutation: 3 passed, 1 failed');
    expect(countLine([])).toBe('mutation: 0 passed, 0 failed');
  });
});

describe('originalText', () => {
  it.each<[string, ReturnType<typeof at>, string]>([
    ['one line (1-based columns)', at(1, 5, 1, 8), 'efg'],
    ['from the first column', at(1, 1, 1, 3), 'ab'],
    ['over three lines', at(1, 10, 3, 3), 'j\nklmn\nop'],
    ['over two lines', at(2, 2, 3, 1), 'lmn\n'],
  ])('%s', (_name, location, expected) => {
    expect(originalText('abcdefghij\nklmn\nopq', location)).toBe(expected);
  });
});

describe('codeSpan', () => {
  it.each<[string, string]>([
    ['a < b', '`a < b`'],
    ['{\n  return 1;\n}', '`{ return 1; }`'],
    ['`${x}`', '`` `${x}` ``'],
    ['', '(empty)'],
    ['x'.repeat(100), `\`${'x'.repeat(89)}…\``],
  ])('%j → %s', (code, expected) => {
    expect(codeSpan(code)).toBe(expected);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(REPORT, { seconds: 1800, date: '2026-01-02T03:04:05.000Z' }, 'Intro text.');

  it('has the intro, the run, and a table row per module with a total', () => {
    expect(md).toContain('\nIntro text.\n');
    expect(md).toContain('Last full run: 2026-01-02 03:04 UTC, every mutant tested, 30 minutes (1800 s) with `concurrency: 2`.');
    expect(md).toContain('| `src/a.ts` | 100.0 % | 1 | 0 | 0 | 0 | 1 |');
    expect(md).toContain('| `src/b.ts` | 50.0 % (below the threshold) | 1 | 1 | 1 | 1 | 0 |');
    expect(md).toContain('| `src/c.ts` | n/a | 0 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('| **all** | **60.0 %** | 2 | 1 | 1 | 1 | 1 |');
  });

  it('lists each surviving and uncovered mutant with its place, mutator and change, in source order', () => {
    const survivors = md.slice(md.indexOf('## Surviving mutants'), md.indexOf('## Accepted as equivalent'));
    expect(survivors.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- `src/b.ts:1` ArrowFunction (no coverage): `(x: number) => x < 10` → `() => undefined`',
      '- `src/b.ts:1` EqualityOperator (survived): `x < 10` → `x <= 10`',
    ]);
  });

  it('lists each mutant accepted as equivalent with its reason', () => {
    const equivalent = md.slice(md.indexOf('## Accepted as equivalent'));
    expect(equivalent.split('\n').filter((l) => l.startsWith('- '))).toEqual(['- `src/a.ts:2` ArithmeticOperator (equivalent): `1` → `2` — the same either way']);
  });

  it('says when a run was incremental, and how long the last run from scratch took', () => {
    const run = { seconds: 600, date: '2026-01-03T10:00:00.000Z', incremental: true, fromScratch: { seconds: 3000, date: '2026-01-02T08:30:00.000Z' } };
    const text = renderMarkdown(REPORT, run, 'x');
    expect(text).toContain(
      'Last full run: 2026-01-03 10:00 UTC, every module, incremental (Stryker reused the results of mutants whose code and tests had not changed since the run before), 10 minutes (600 s) with `concurrency: 2`. The last run that tested every mutant (2026-01-02 08:30 UTC) took 50 minutes (3000 s).',
    );
  });

  it('says None when nothing survived, and leaves out the run when it is unknown', () => {
    const clean = renderMarkdown({ files: { 'src/a.ts': REPORT.files['src/a.ts']! } }, null, 'x');
    expect(clean).toContain('## Surviving mutants\n\nEach is a change to the code that no test notices: `file:line`, mutator, original → replacement.\n\nNone.\n');
    expect(clean).not.toContain('Last full run');
    expect(clean.endsWith('the same either way\n')).toBe(true);
  });
});
