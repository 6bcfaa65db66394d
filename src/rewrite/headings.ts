/**
 * Body heading levels. The article page's only `<h1>` is the title; the body sits under it, so
 * its headings start at `base` (2) and never skip a level going down (WCAG 1.3.1 / G141; Nu
 * "heading skipping levels", axe `heading-order`): each heading becomes one level below the
 * nearest preceding heading of a smaller source level, or `base` when there is none; levels past
 * 6 stay 6.
 *   h1 h2 h2 h1 → h2 h3 h3 h2;   h2 h4 → h2 h3;   h3 (first) → h2;   h1 h3 h2 → h2 h3 h3.
 */
export class HeadingOutline {
  private readonly sources: number[] = [];
  private readonly levels: number[] = [];
  private readonly base: number;

  constructor(base = 2) {
    this.base = Math.min(6, Math.max(1, Math.trunc(base) || 2));
  }

  /** The output level for a heading of source level `source` (1–6), in document order. */
  next(source: number): number {
    while (this.sources.length > 0 && (this.sources[this.sources.length - 1] as number) >= source) {
      this.sources.pop();
      this.levels.pop();
    }
    const parent = this.levels[this.levels.length - 1];
    const level = parent === undefined ? this.base : Math.min(6, parent + 1);
    this.sources.push(source);
    this.levels.push(level);
    return level;
  }
}
