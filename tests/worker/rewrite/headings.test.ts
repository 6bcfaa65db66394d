/** Heading levels: from the base, never skipping a level going down, never past 6. */
import { describe, expect, it } from 'vitest';
import { HeadingOutline } from '../../../src/rewrite/headings';

describe('HeadingOutline', () => {
  it.each<[number[], number, number[]]>([
    [[1, 2, 2, 1], 2, [2, 3, 3, 2]],
    [[2, 4], 2, [2, 3]],
    [[3], 2, [2]],
    [[1, 3, 2], 2, [2, 3, 3]],
    [[4, 1, 6], 2, [2, 2, 3]],
    [[1, 2, 3, 4, 5, 6], 2, [2, 3, 4, 5, 6, 6]],
    [[6, 5, 4], 2, [2, 2, 2]],
    [[2, 3, 6, 3], 2, [2, 3, 4, 3]],
    [[1, 2], 1, [1, 2]],
    [[1, 2], 5, [5, 6]],
    [[1, 1], 9, [6, 6]],
    [[1, 1], 0, [2, 2]],
  ])('%j with base %i → %j', (sources, base, expected) => {
    const outline = new HeadingOutline(base);
    const levels = sources.map((s) => outline.next(s));
    expect(levels).toEqual(expected);
    // Independent check of the property: starts at the base, never skips going down.
    let previous = Math.min(6, base || 2) - 1;
    for (const level of levels) {
      expect(level).toBeLessThanOrEqual(Math.min(6, previous + 1));
      previous = level;
    }
  });
});
