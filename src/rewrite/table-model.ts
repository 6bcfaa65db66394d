/**
 * Cell spans that form a valid table (https://html.spec.whatwg.org/multipage/tables.html#table-processing-model).
 *
 * A `colspan` reaching past every row's last cell, or a `rowspan` past its row group, creates
 * grid slots in which no cell begins: validators report the table as broken and browsers lay it
 * out unevenly. While a table is written, its cells are recorded with the index of their start
 * tag in the output; when the table ends, spans are trimmed:
 * - a `rowspan` is cut at the end of its row group (as the table model does);
 * - a column in which no cell begins is removed by shrinking every `colspan` that covers it.
 * Changed start tags are rewritten in place. Rows of different widths are fine and left alone.
 */

export interface CellRecord {
  /** Index of the cell's start tag in the output array. */
  index: number;
  tag: 'td' | 'th';
  colspan: number;
  rowspan: number;
  /** The start tag's attributes after the spans (`' class="x"'`). */
  rest: string;
}

const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;
/** Grid slots the span check may visit per table; past that, spans are dropped. */
const MAX_WORK = 200_000;

export function cellTag(c: Pick<CellRecord, 'tag' | 'colspan' | 'rowspan' | 'rest'>): string {
  const col = c.colspan > 1 ? ` colspan="${c.colspan}"` : '';
  const row = c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : '';
  return `<${c.tag}${col}${row}${c.rest}>`;
}

/** `colspan`/`rowspan` attribute values as the table model reads them, clamped. */
export function spanValue(raw: string | undefined, max: 'col' | 'row'): number {
  const m = /^[\t\n\f\r ]*\+?(\d{1,6})/.exec(raw ?? '');
  const n = m?.[1] ? Number(m[1]) : 1;
  return Math.min(Math.max(n, 1), max === 'col' ? MAX_COLSPAN : MAX_ROWSPAN);
}

interface RowRecord {
  /** Output indices of the row's start and end tags. */
  open: number;
  close: number;
  cells: CellRecord[];
}

export class TableModel {
  /** Row groups, each a list of rows. */
  private readonly groups: RowRecord[][] = [];

  startGroup(): void {
    this.groups.push([]);
  }

  /** A row whose start tag is at `open` in the output. */
  startRow(open: number): void {
    if (this.groups.length === 0) this.startGroup();
    (this.groups[this.groups.length - 1] as RowRecord[]).push({ open, close: -1, cells: [] });
  }

  endRow(close: number): void {
    const rows = this.groups[this.groups.length - 1];
    const row = rows?.[rows.length - 1];
    if (row !== undefined) row.close = close;
  }

  addCell(cell: CellRecord): void {
    const rows = this.groups[this.groups.length - 1];
    const row = rows?.[rows.length - 1];
    if (row !== undefined) row.cells.push(cell);
  }

  /**
   * Trims spans (see above), removes rows in which no cell begins (validators reject them; they
   * show nothing), and rewrites the changed tags in `out`.
   */
  finish(out: string[]): void {
    for (let g = 0; g < this.groups.length; g++) {
      const rows = this.groups[g] as RowRecord[];
      for (const row of rows) {
        if (row.cells.length > 0 || row.close < 0) continue;
        out[row.open] = '';
        out[row.close] = '';
      }
    }
    this.fixSpans(out, this.groups.map((rows) => rows.filter((r) => r.cells.length > 0).map((r) => r.cells)));
  }

  private fixSpans(out: string[], groups: CellRecord[][][]): void {
    let work = 0;
    for (const rows of groups) {
      rows.forEach((cells, r) => {
        for (const cell of cells) work += Math.min(cell.rowspan, rows.length - r) * cell.colspan;
      });
    }
    if (work > MAX_WORK) {
      // A hostile table (huge spans everywhere): no spans at all is valid and cheap.
      for (const rows of groups) for (const cells of rows) for (const cell of cells) {
        cell.colspan = 1;
        cell.rowspan = 1;
        out[cell.index] = cellTag(cell);
      }
      return;
    }
    const starts: { cell: CellRecord; col: number }[] = [];
    const begins: boolean[] = [];
    let width = 0;
    for (const rows of groups) {
      // occupied[r] = columns taken in row r of this group by rowspans from above
      const occupied: Set<number>[] = rows.map(() => new Set<number>());
      rows.forEach((cells, r) => {
        let col = 0;
        for (const cell of cells) {
          while (occupied[r]!.has(col)) col++;
          cell.rowspan = Math.min(cell.rowspan, rows.length - r);
          for (let dr = 0; dr < cell.rowspan; dr++) for (let dc = 0; dc < cell.colspan; dc++) occupied[r + dr]!.add(col + dc);
          starts.push({ cell, col });
          begins[col] = true;
          col += cell.colspan;
          width = Math.max(width, col);
        }
      });
    }
    const empty: number[] = [];
    for (let c = 0; c < width; c++) if (begins[c] !== true) empty.push(c);
    const changed = new Set<CellRecord>();
    for (const { cell, col } of starts) {
      let shrink = 0;
      for (const c of empty) if (c > col && c < col + cell.colspan) shrink++;
      if (shrink > 0) {
        cell.colspan -= shrink;
        changed.add(cell);
      }
    }
    for (const { cell } of starts) {
      const tag = cellTag(cell);
      if (changed.has(cell) || out[cell.index] !== tag) out[cell.index] = tag;
    }
  }
}
