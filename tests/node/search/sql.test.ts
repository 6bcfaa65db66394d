/** The pure parts of src/search/sql.ts; the SQL itself runs against real D1 in d1-search.test.ts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PHRASE_RANK_CAP,
  type PageSegment,
  ROWID_ID_SPAN,
  type SearchDb,
  type SearchDbStatement,
  TOKEN_RANK_CAP,
  hasPhrase,
  planPage,
  rankCap,
  rowidSeconds,
  searchDeleteStatements,
  searchIndexStatements,
  tierMatch,
} from '../../../src/search/sql';

describe('rowidSeconds', () => {
  it.each([
    ['no date', null, 0],
    ['the epoch', '1970-01-01T00:00:00.000Z', 0],
    ['a post date', '2021-11-13T06:08:05.000Z', 1_636_783_685],
    ['milliseconds are dropped', '2021-11-13T06:08:05.999Z', 1_636_783_685],
    ['before 1970 sorts as undated', '1969-12-31T23:59:59.000Z', 0],
    ['unparseable sorts as undated', 'not a date', 0],
    ['far future is clamped below 2^33', '+275760-09-13T00:00:00.000Z', 2 ** 33 - 1],
  ])('%s', (_name, date, seconds) => {
    expect(rowidSeconds(date)).toBe(seconds);
  });
});

describe('search statements', () => {
  /** Records prepared SQL and bound values; no database behaviour is imitated. */
  const recorder = () => {
    const prepared: { sql: string; values: unknown[] }[] = [];
    const db: SearchDb = {
      prepare(sql: string): SearchDbStatement {
        const entry = { sql, values: [] as unknown[] };
        prepared.push(entry);
        const statement: SearchDbStatement = {
          bind(...values: unknown[]) {
            entry.values = values;
            return statement;
          },
        };
        return statement;
      },
      batch: () => Promise.reject(new Error('not used')),
    };
    return { db, prepared };
  };

  it('deletes the old entry, then inserts text and tokens, with the rowid computed in SQL', () => {
    const { db, prepared } = recorder();
    searchIndexStatements(db, { articleId: 7, title: 'Win11 漏洞', date: '2021-11-13T06:08:05.000Z', text: '华为手机' });
    expect(prepared.map((p) => p.sql.split(' ').slice(0, 3).join(' '))).toEqual([
      'DELETE FROM search_fts',
      'DELETE FROM search_text',
      'INSERT INTO search_text',
      'INSERT INTO search_fts',
    ]);
    expect(prepared[2]?.values).toEqual([7, 1_636_783_685, '华为手机']);
    expect(prepared[3]?.values).toEqual([1_636_783_685, 7, 'win 11 漏洞 洞', '华为 为手 手机 机']);
    expect(prepared[3]?.sql).toContain(`?1 * ${ROWID_ID_SPAN} + ?2`);
  });

  it('uses tokens given by the caller', () => {
    const { db, prepared } = recorder();
    searchIndexStatements(db, { articleId: 1, title: 't', date: null, text: 'x' }, { title: 'T', body: 'B' });
    expect(prepared[3]?.values).toEqual([0, 1, 'T', 'B']);
  });

  it.each([0, -1, 1.5, ROWID_ID_SPAN, Number.NaN])('refuses article id %s', (id) => {
    const { db } = recorder();
    expect(() => searchIndexStatements(db, { articleId: id, title: 't', date: null, text: '' })).toThrow(RangeError);
    expect(() => searchDeleteStatements(db, id)).toThrow(RangeError);
  });

  it('deletes by article id', () => {
    const { db, prepared } = recorder();
    searchDeleteStatements(db, ROWID_ID_SPAN - 1);
    expect(prepared.map((p) => p.values)).toEqual([[ROWID_ID_SPAN - 1], [ROWID_ID_SPAN - 1]]);
  });
});

describe('query kind and rank cap', () => {
  it.each([
    ['"芯片"', false, TOKEN_RANK_CAP],
    ['"猫"*', false, TOKEN_RANK_CAP],
    ['"苹果" "芯片"', false, TOKEN_RANK_CAP],
    ['"华为 为手 手机"', true, PHRASE_RANK_CAP],
    ['"linux" "5 16"', true, PHRASE_RANK_CAP],
    ['"near a" "b"', true, PHRASE_RANK_CAP],
  ])('%s', (match, phrase, cap) => {
    expect(hasPhrase(match)).toBe(phrase);
    expect(rankCap(match)).toBe(cap);
  });
});

describe('tierMatch', () => {
  it.each([
    ['all', '"a" "b c"'],
    ['title', '{title} : ("a" "b c")'],
    ['rest', '("a" "b c") NOT ({title} : ("a" "b c"))'],
  ] as const)('%s', (tier, expected) => {
    expect(tierMatch('"a" "b c"', tier)).toBe(expected);
  });
});

describe('planPage', () => {
  it.each<[string, [number, number, number, number, number], PageSegment[]]>([
    ['within the cap: one exact slice', [25, 3, 2, 10, 100], [{ tier: 'all', tierSize: 25, window: null, offset: 10, limit: 10 }]],
    ['the last, short page', [25, 3, 3, 10, 100], [{ tier: 'all', tierSize: 25, window: null, offset: 20, limit: 5 }]],
    ['past the end', [25, 3, 4, 10, 100], []],
    ['nothing', [0, 0, 1, 10, 100], []],
    [
      'over the cap: title tier, then the rest',
      [30, 4, 1, 10, 20],
      [
        { tier: 'title', tierSize: 4, window: null, offset: 0, limit: 4 },
        { tier: 'rest', tierSize: 26, window: 0, offset: 0, limit: 6 },
      ],
    ],
    [
      'a page across two windows',
      [30, 4, 3, 10, 20],
      [
        { tier: 'rest', tierSize: 26, window: 0, offset: 16, limit: 4 },
        { tier: 'rest', tierSize: 26, window: 1, offset: 0, limit: 6 },
      ],
    ],
    ['a title tier bigger than the cap is windowed too', [50, 45, 3, 10, 20], [{ tier: 'title', tierSize: 45, window: 1, offset: 0, limit: 10 }]],
  ])('%s', (_name, [total, titleTotal, page, pageSize, cap], expected) => {
    expect(planPage(total, titleTotal, page, pageSize, cap)).toEqual(expected);
  });

  it('puts every position on exactly one page, in order, never more than a page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 60 }), (total, t, pageSize, cap) => {
        const titleTotal = total === 0 ? 0 : t % (total + 1);
        const seen: number[] = [];
        const pages = Math.ceil(total / pageSize);
        for (let page = 1; page <= pages + 1; page++) {
          const segments = planPage(total, titleTotal, page, pageSize, cap);
          expect(segments.reduce((n, s) => n + s.limit, 0)).toBeLessThanOrEqual(pageSize);
          for (const s of segments) {
            const base = s.tier === 'rest' ? titleTotal : 0;
            const start = base + (s.window ?? 0) * cap + s.offset;
            expect(s.limit).toBeGreaterThan(0);
            expect(s.window === null ? s.tierSize <= cap || s.tier === 'all' : s.tierSize > cap).toBe(true);
            for (let i = 0; i < s.limit; i++) seen.push(start + i);
          }
        }
        expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
      }),
      { numRuns: 2000 },
    );
  });
});
