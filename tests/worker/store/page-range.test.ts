/**
 * pageRange (src/store/index-queries.ts), the one pure function of the Worker's D1 reads. Pure
 * (imports only vitest, fast-check and src), so it runs in workerd with `npm test` and in Node
 * under Stryker (vitest.mutation.config.mts). The table is written out; the property compares it
 * with an oracle that lists the positions newest first and cuts them into pages.
 * tests/worker/store/index-queries.test.ts checks the SQL that mirrors it against real D1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageRange } from '../../../src/store/index-queries';

describe('pageRange', () => {
  it.each([
    // first, count, page, perPage → newest-first positions lo…hi
    [1, 25, 1, 10, { lo: 16, hi: 25 }],
    [1, 25, 2, 10, { lo: 6, hi: 15 }],
    [1, 25, 3, 10, { lo: 1, hi: 5 }],
    [1, 25, 4, 10, null],
    [1, 20, 2, 10, { lo: 1, hi: 10 }],
    [1, 20, 3, 10, null],
    [1, 21, 3, 10, { lo: 1, hi: 1 }],
    [1, 1, 1, 10, { lo: 1, hi: 1 }],
    [1, 10, 1, 10, { lo: 1, hi: 10 }],
    [1, 11, 1, 10, { lo: 2, hi: 11 }],
    [1, 3, 1, 1, { lo: 3, hi: 3 }],
    [1, 3, 3, 1, { lo: 1, hi: 1 }],
    [1, 3, 4, 1, null],
    [1, 0, 1, 10, null],
    [1, -1, 1, 10, null],
    [1, 5, 0, 10, null],
    [1, 5, -1, 10, null],
    // An archive month: a run of the home list starting at position 40.
    [40, 7, 1, 5, { lo: 42, hi: 46 }],
    [40, 7, 2, 5, { lo: 40, hi: 41 }],
    [40, 7, 3, 5, null],
    [40, 1, 1, 5, { lo: 40, hi: 40 }],
    [40, 1, 2, 5, null],
  ])('pageRange(%i, %i, %i, %i) = %j', (first, count, page, perPage, expected) => {
    expect(pageRange(first, count, page, perPage)).toEqual(expected);
  });

  it('agrees with cutting the positions into pages, newest first (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 12 }), (first, count, page, perPage) => {
        const positions = Array.from({ length: count }, (_, i) => first + count - 1 - i);
        const slice = page >= 1 ? positions.slice((page - 1) * perPage, page * perPage) : [];
        const expected = slice.length === 0 ? null : { lo: Math.min(...slice), hi: Math.max(...slice) };
        expect(pageRange(first, count, page, perPage)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
