/** One open element of the walk: what was written for it and what its children may be. */
import { Kind, type ParentInfo } from './content-model';
import type { LElement, LNode } from './dom';
import type { TableModel } from './table-model';

export const enum State {
  /** Its start tag is written and not yet closed. */
  Open,
  /** Closed in the output by a block that needed the flow level; its element goes on. */
  Suspended,
  /** A copy that was closed for good. */
  Dead,
  /** Nothing written for it (an unwrapped element). */
  None,
}

export const enum Synthetic {
  /** The frame of a source element. */
  No,
  /** An element the source left implied (`<li>`, `<tbody>`, `<tr>`, `<td>`, `<dd>`). */
  Implied,
  /** A copy of a suspended inline element, reopened inside or after a block. */
  Clone,
}

export interface LinkState {
  /** Something with a name was written inside (text, an image with alt). */
  named: boolean;
  /** Output indices of images with `alt=""` inside. */
  emptyAlt: number[];
  hasHref: boolean;
  /** This element's start tag without href/target/rel, for a link that ends up empty. */
  noHref: string;
  /** The same for a reopened copy (no id). */
  noHrefCopy: string;
  /** Its title names it. */
  titled: boolean;
}

export interface TableState {
  /** Nothing has been placed in the table yet (a caption may come). */
  fresh: boolean;
  /** A row group has been written (a later thead becomes a tbody). */
  hasGroup: boolean;
  readonly model: TableModel;
}

export class Frame implements ParentInfo {
  kind: Kind = Kind.Flow;
  flags = 0;
  contextTag = '';
  state: State = State.Open;
  synthetic: Synthetic = Synthetic.No;
  /** Output tag and what was (or would be) written for it. */
  tag = '';
  open = '';
  /** Start tag for a reopened copy (no id). */
  reopen = '';
  close = '';
  openIndex = -1;
  /** Index of the frame in the writer's stack. */
  depth = 0;
  /** The source node to visit after this element. */
  next: LNode | null = null;
  clonable = false;
  /** A block with phrasing content (p, h1–h6, pre, summary): never inside an inline element. */
  blockLevel = false;
  cloneOpen = false;
  origin: Frame | null = null;
  designated: Set<LElement> | null = null;
  table: TableState | null = null;
  /** Alt text for the single image of an enclosing figure with a caption. */
  figureAlt: string | null = null;
  /** The real `<pre>` element (leading newline handling). */
  pre: LElement | null = null;
  link: LinkState | null = null;
  /** Source level (1–6) of a heading; its output level is decided when it closes. */
  heading = 0;
  /** Attributes of a heading's start tag (with id) and of a reopened copy (without). */
  headingAttrs = '';
  headingCopyAttrs = '';
  /** Text (or an image with alt) was written inside this heading element. */
  headingNamed = false;
  /** Excerpt bookkeeping (source elements only). */
  paragraph = false;
  block = false;

  get tableFresh(): boolean {
    return this.table !== null && this.table.fresh;
  }

  get tableHasGroup(): boolean {
    return this.table !== null && this.table.hasGroup;
  }
}
