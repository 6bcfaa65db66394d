/** The excerpt: plain text of the first non-empty paragraph (or the start of the text). */

const EXCERPT_MAX = 200;
/** Collapsed characters collected per buffer: enough to fill the excerpt. */
const COLLECT_MAX = EXCERPT_MAX + 50;

function appendCollapsed(buffer: string, text: string): string {
  if (buffer.length >= COLLECT_MAX) return buffer;
  // Only the start of a long text node can reach the excerpt: do not collapse all of it.
  let piece = (text.length > 4 * COLLECT_MAX ? text.slice(0, 4 * COLLECT_MAX) : text).replace(/\s+/g, ' ');
  if (piece.startsWith(' ') && (buffer === '' || buffer.endsWith(' '))) piece = piece.slice(1);
  return buffer + piece;
}

function truncateExcerpt(text: string): string {
  const trimmed = text.trim();
  const chars = Array.from(trimmed);
  if (chars.length <= EXCERPT_MAX) return trimmed;
  return `${chars.slice(0, EXCERPT_MAX - 1).join('').trimEnd()}…`;
}

/** Fed the text of the walk in document order; `result()` is at most 200 characters. */
export class ExcerptCollector {
  private all = '';
  private paragraph = '';
  private pDepth = 0;
  private found: string | null = null;

  text(data: string): void {
    this.all = appendCollapsed(this.all, data);
    if (this.pDepth > 0 && this.found === null) this.paragraph = appendCollapsed(this.paragraph, data);
  }

  /** Block boundaries and `<br>` separate words. */
  boundary(): void {
    this.text(' ');
  }

  enterParagraph(): void {
    if (this.pDepth++ === 0) this.paragraph = '';
  }

  leaveParagraph(): void {
    if (--this.pDepth === 0 && this.found === null && this.paragraph.trim() !== '') this.found = this.paragraph;
  }

  result(): string {
    return truncateExcerpt(this.found ?? this.all);
  }
}
