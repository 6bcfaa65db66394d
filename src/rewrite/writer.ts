/**
 * The output side of the walk: a stack of frames (one per open element) that writes start and
 * end tags so that every element lands where its content model allows it (content-model.ts).
 *
 * - `place(cat, tag)` prepares the insertion point for a child:
 *   - in a list, table, row group or row, content that is not a proper child gets the implied
 *     wrapper the parser would have made (`<li>`, `<tbody>`, `<tr>`, `<td>`), written out;
 *     a proper child closes such implied wrappers first;
 *   - a block in phrasing content *hoists*: the open inline frames above the nearest flow
 *     frame are closed (an element still empty is taken back instead of closed) and marked
 *     suspended; the block is written at the flow level;
 *   - before phrasing content, suspended frames are *reconstructed*: those above the current
 *     insertion point are reopened in place, inline formatting below it is copied (as clones)
 *     into it, so `<b>a<p>x</p>c</b>` becomes `<b>a</b><p><b>x</b></p><b>c</b>`. That is the
 *     parser's "reconstruct the active formatting elements", done on our side so the output
 *     has nothing left for the parser to fix. At most 8 clones per reconstruction.
 * - Links that end up without a name (axe link-name) are fixed when they close: an image inside
 *   with `alt=""` gets the configured fallback name, otherwise the empty link loses its href.
 * - Table cells are recorded in the table's model; spans are trimmed when the table ends.
 * Cost: the stack keeps indices of its open, structural, `<code>` and suspended frames, so
 * hoisting and reconstruction touch only the frames they close or reopen (hostile nesting stays
 * linear); a reconstruction reopens at most 64 frames in place and copies at most 8.
 */
import { Cat, IN_TEXT_ITEM, Kind } from './content-model';
import { cleanText, escapeAttr, escapeText } from './escape';
import { Frame, State, Synthetic, type LinkState } from './frame';
import { ExcerptCollector } from './excerpt';
import type { LNode } from './dom';
import type { HeadingOutline } from './headings';

const MAX_CLONES = 8;
const MAX_REOPEN = 64;
/** Suspended frames examined for copies per reconstruction. */
const MAX_SCAN = 64;
const EMBEDDED = new Set(['picture', 'video', 'audio']);
const ASCII_WHITESPACE = /^[\t\n\f\r ]*$/;
const BLANK = /^\s*$/;

/** Implied wrappers, and the structural children that close them. */
const IMPLIED_CLOSERS = new Map<string, ReadonlySet<string>>([
  ['li', new Set(['li'])],
  ['dd', new Set(['dt', 'dd'])],
  ['tbody', new Set(['caption', 'thead', 'tbody', 'tfoot'])],
  ['tr', new Set(['tr', 'caption', 'thead', 'tbody', 'tfoot'])],
  ['td', new Set(['td', 'th', 'tr', 'caption', 'thead', 'tbody', 'tfoot'])],
]);

export class Writer {
  readonly out: string[] = [];
  readonly excerpt = new ExcerptCollector();
  imageCount = 0;
  private readonly stack: Frame[];
  /** Stack indices of the frames whose start tag is open, increasing (they close last-in first-out). */
  private readonly openAt: number[] = [];
  /** Stack indices of the frames that are not phrasing content (where a block may go), increasing. */
  private readonly structuralAt: number[] = [0];
  /** Stack indices of open `<code>` frames. */
  private readonly codeAt: number[] = [];
  /** Suspended frames, by stack depth. */
  private readonly suspended: Frame[] = [];
  /** Something happened that may need a reconstruction before the next phrasing content. */
  private dirty = false;
  /** The link (frame) whose start tag is open in the output, if any: links never nest. */
  private openLink: Frame | null = null;
  /** The heading whose start tag is open in the output, if any: headings never nest. */
  private openHeading: Frame | null = null;
  private readonly linkedImageAlt: string;
  private readonly headings: HeadingOutline;

  constructor(linkedImageAlt: string, headings: HeadingOutline) {
    const root = new Frame();
    root.depth = 0;
    this.stack = [root];
    this.linkedImageAlt = linkedImageAlt;
    this.headings = headings;
  }

  get top(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  /** The frame whose start tag is the innermost one open in the output. */
  private outputParent(): Frame {
    return this.stack[this.openAt[this.openAt.length - 1] ?? 0] as Frame;
  }

  /** The frame of the nearest source ancestor (implied wrappers and clones skipped). */
  domParent(): Frame {
    for (let i = this.stack.length - 1; i > 0; i--) {
      const f = this.stack[i] as Frame;
      if (f.synthetic === Synthetic.No) return f;
    }
    return this.stack[0] as Frame;
  }

  // -------------------------------------------------------------------------------------------
  // Placement

  /** Prepares the insertion point for a child of category `cat`; returns its content kind. */
  place(cat: Cat, tag: string): Kind {
    for (;;) {
      let top = this.top;
      if (cat === Cat.Child) {
        while (top.synthetic !== Synthetic.No && (top.synthetic === Synthetic.Clone || IMPLIED_CLOSERS.get(top.tag)?.has(tag) === true)) {
          this.popSynthetic();
          top = this.top;
        }
      }
      switch (top.kind) {
        case Kind.Flow:
        case Kind.Phrasing:
          if (cat === Cat.Block) {
            if (top.kind === Kind.Phrasing) this.hoist();
            return Kind.Flow;
          }
          // Phrasing content gets the formatting around it back; a structural child (rt, a
          // heading in a summary) only needs its parent reopened.
          this.reconstruct(cat === Cat.Phrasing);
          return this.top.kind;
        case Kind.List:
          if (tag === 'li') return Kind.List;
          this.implied('li', Kind.Flow);
          continue;
        case Kind.Dl:
          if (tag === 'dt' || tag === 'dd') return Kind.Dl;
          this.implied('dd', Kind.Flow);
          continue;
        case Kind.Table:
          if (top.table !== null) top.table.fresh = false;
          if (tag === 'caption' || tag === 'thead' || tag === 'tbody') return Kind.Table;
          this.implied('tbody', Kind.Section);
          continue;
        case Kind.Section:
          if (tag === 'tr') return Kind.Section;
          this.implied('tr', Kind.Row);
          continue;
        case Kind.Row:
          if (tag === 'td' || tag === 'th') return Kind.Row;
          this.implied('td', Kind.Flow);
          continue;
        case Kind.Picture:
          return Kind.Picture;
      }
    }
  }

  /** A link's start tag is open in the output (what is written now is inside it). */
  insideLink(): boolean {
    return this.openLink !== null;
  }

  /** True when `<br>`-like content has no place here (lists, tables, pictures). */
  inContainer(): boolean {
    const k = this.top.kind;
    return k !== Kind.Flow && k !== Kind.Phrasing;
  }

  private implied(tag: string, kind: Kind): void {
    const top = this.top;
    const f = new Frame();
    f.synthetic = Synthetic.Implied;
    f.kind = kind;
    f.flags = tag === 'li' || tag === 'td' ? top.flags | IN_TEXT_ITEM : top.flags;
    f.contextTag = tag;
    f.tag = tag;
    f.open = f.reopen = `<${tag}>`;
    f.close = `</${tag}>`;
    f.table = top.table;
    f.figureAlt = top.figureAlt;
    const model = top.table?.model;
    if (tag === 'tbody' && top.table !== null) {
      top.table.hasGroup = true;
      model?.startGroup();
    } else if (tag === 'tr') {
      model?.startRow(this.out.length);
    } else if (tag === 'td') {
      model?.addCell({ index: this.out.length, tag: 'td', colspan: 1, rowspan: 1, rest: '' });
    }
    this.push(f, f.open);
  }

  /** Closes the open inline frames above the nearest frame where a block may go. */
  private hoist(): void {
    this.suspendDownTo((this.structuralAt[this.structuralAt.length - 1] ?? 0) + 1);
  }

  private lastOpen(): number {
    return this.openAt[this.openAt.length - 1] ?? -1;
  }

  /**
   * Closes every open `<code>` (and what is open inside it) before embedded content: an image or
   * player is not code text, and a `<code>` in our output holds only text-level markup
   * (code-markup.ts). The code is reopened after it, like any suspended inline element.
   */
  leaveCode(): void {
    const outer = this.codeAt[0];
    if (outer !== undefined) this.suspendDownTo(outer);
  }

  /** Suspends every open frame at stack depth `depth` or deeper. */
  private suspendDownTo(depth: number): void {
    const batch: Frame[] = [];
    for (let at = this.lastOpen(); at >= depth; at = this.lastOpen()) {
      const f = this.stack[at] as Frame;
      this.closeOutput(f, true);
      if (f.synthetic === Synthetic.Clone) {
        f.state = State.Dead;
        if (f.origin !== null) f.origin.cloneOpen = false;
      } else {
        f.state = State.Suspended;
        batch.push(f);
      }
    }
    // Keep the suspended list ordered by depth (the batch came top-down).
    const list = this.suspended;
    const sorted = list.length === 0 || batch.length === 0 || (list[list.length - 1] as Frame).depth < (batch[batch.length - 1] as Frame).depth;
    for (let i = batch.length - 1; i >= 0; i--) list.push(batch[i] as Frame);
    if (!sorted) list.sort((a, b) => a.depth - b.depth);
    this.dirty = true;
  }

  private reconstruct(withClones: boolean): void {
    if (!this.dirty) return;
    this.dirty = false;
    const list = this.suspended;
    if (list.length === 0) return;
    // h: the insertion point, the innermost frame whose start tag is open.
    const h = this.openAt[this.openAt.length - 1] ?? 0;
    // Suspended frames above h are DOM descendants of it: reopened in place, except that only
    // the innermost block among them (a p, heading, pre) may be reopened, and inline frames
    // outside that block are copied into it instead (a block cannot sit in an inline element).
    let first = list.length;
    const window = Math.max(0, list.length - 4 * MAX_REOPEN); // hostile depth: look at the innermost only
    while (first > window && (list[first - 1] as Frame).depth > h) first--;
    let block = -1;
    for (let i = list.length - 1; i >= first; i--) {
      if ((list[i] as Frame).blockLevel) {
        block = i;
        break;
      }
    }
    const reopen: Frame[] = [];
    const from = block >= 0 ? block : first;
    if (block >= 0) reopen.push(list[block] as Frame);
    const tailFrom = Math.max(block >= 0 ? block + 1 : from, list.length - (MAX_REOPEN - reopen.length));
    for (let i = tailFrom; i < list.length; i++) reopen.push(list[i] as Frame);
    const startDepth = block >= 0 ? (list[block] as Frame).depth : h + 1;
    list.splice(tailFrom);
    if (block >= 0) list.splice(block, 1);
    for (const f of reopen) {
      if (f.tag === 'summary') {
        // A details has one summary: the rest of a split summary is ordinary flow content.
        f.tag = 'div';
        f.reopen = '<div>';
        f.close = '</div>';
      }
      // Embedded content is never inside a <code> of ours (leaveCode).
      if (EMBEDDED.has(f.tag)) this.leaveCode();
      if (f.link !== null) f.link = copyLink(f.link);
      this.openFrame(f, f.reopen);
    }
    if (!withClones) {
      this.dirty = true;
      return;
    }
    // Inline formatting further out is copied into the insertion point (innermost first).
    const candidates: Frame[] = [];
    for (let i = list.length - 1, scanned = 0; i >= 0 && scanned < MAX_SCAN && candidates.length < MAX_CLONES; i--, scanned++) {
      const f = list[i] as Frame;
      if (f.depth < startDepth && f.clonable && !f.cloneOpen) candidates.push(f);
    }
    for (const origin of candidates.reverse()) {
      const f = new Frame();
      f.synthetic = Synthetic.Clone;
      f.origin = origin;
      f.kind = Kind.Phrasing;
      f.flags = origin.flags;
      f.contextTag = origin.contextTag;
      f.tag = origin.tag;
      f.open = f.reopen = origin.reopen;
      f.close = origin.close;
      f.figureAlt = origin.figureAlt;
      if (origin.link !== null) f.link = copyLink(origin.link);
      origin.cloneOpen = true;
      this.push(f, f.open);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Frames

  /** Writes `html` as the frame's start tag and pushes it. */
  push(f: Frame, html: string): void {
    this.pushFrame(f);
    this.openFrame(f, html);
  }

  /** Pushes a frame that writes nothing (an unwrapped element). */
  pushNone(f: Frame): void {
    f.state = State.None;
    this.pushFrame(f);
  }

  private pushFrame(f: Frame): void {
    f.depth = this.stack.length;
    this.stack.push(f);
    if (f.kind !== Kind.Phrasing) this.structuralAt.push(f.depth);
  }

  private popFrame(): Frame {
    const f = this.stack.pop() as Frame;
    if (this.structuralAt[this.structuralAt.length - 1] === f.depth) this.structuralAt.pop();
    return f;
  }

  private openFrame(f: Frame, html: string): void {
    f.openIndex = this.out.length;
    f.state = State.Open;
    this.openAt.push(f.depth);
    if (f.tag === 'code') this.codeAt.push(f.depth);
    this.out.push(html);
    if (f.link !== null) this.openLink = f;
    if (f.heading !== 0) {
      f.headingNamed = false;
      this.openHeading = f;
    }
  }

  /** Writes the end tag (or takes back a start tag with nothing after it, when `retract`). */
  private closeOutput(f: Frame, retract: boolean): void {
    // Start tags close last-in first-out: f is the innermost open frame.
    this.openAt.pop();
    if (this.codeAt[this.codeAt.length - 1] === f.depth) this.codeAt.pop();
    if (f === this.openLink) this.openLink = null;
    if (f === this.openHeading) this.openHeading = null;
    if (retract && this.out.length === f.openIndex + 1) {
      this.out.pop();
      return;
    }
    if (f.link !== null) this.finishLink(f, f.link);
    if (f.heading !== 0) {
      this.finishHeading(f);
      return;
    }
    this.out.push(f.close);
  }

  /**
   * A heading gets its level when it closes, so only headings that show text are numbered, in
   * output order (headings never nest in the output). One without text is unwrapped: its
   * content stays, the tags go (axe empty-heading).
   */
  private finishHeading(f: Frame): void {
    if (!f.headingNamed) {
      this.out[f.openIndex] = '';
      return;
    }
    const level = this.headings.next(f.heading);
    const attrs = this.out[f.openIndex] === f.open ? f.headingAttrs : f.headingCopyAttrs;
    this.out[f.openIndex] = `<h${level}${attrs}>`;
    this.out.push(`</h${level}>`);
  }

  private finishLink(f: Frame, link: LinkState): void {
    if (link.named || !link.hasHref) return;
    const img = link.emptyAlt[0];
    if (img !== undefined) {
      this.out[img] = (this.out[img] as string).replace(' alt=""', ` alt="${escapeAttr(this.linkedImageAlt)}"`);
    } else {
      this.out[f.openIndex] = link.noHref;
    }
  }

  private finishFrame(f: Frame, retract: boolean): void {
    // A row is never empty-retracted: the table model removes rows without cells itself.
    if (f.state === State.Open) this.closeOutput(f, retract && f.tag !== 'tr');
    else if (f.state === State.Suspended) this.suspended.splice(this.suspended.lastIndexOf(f), 1);
    f.state = State.Dead;
    if (f.synthetic === Synthetic.Clone) {
      if (f.origin !== null) f.origin.cloneOpen = false;
      this.dirty = true;
    }
    if (f.tag === 'tr' && f.table !== null) f.table.model.endRow(this.out.length - 1);
    if (f.tag === 'table' && f.table !== null && f.synthetic === Synthetic.No) f.table.model.finish(this.out);
  }

  private popSynthetic(): void {
    const f = this.popFrame();
    this.finishFrame(f, true);
    if (this.top.state === State.Suspended) this.dirty = true;
  }

  /** Ends the top frame (its children are done); returns the node to visit next, or undefined at the end. */
  end(): LNode | null | undefined {
    if (this.stack.length <= 1) return undefined;
    const f = this.popFrame();
    this.finishFrame(f, f.synthetic !== Synthetic.No);
    if (f.synthetic === Synthetic.No) {
      if (f.paragraph) this.excerpt.leaveParagraph();
      if (f.block) this.excerpt.boundary();
    }
    if (this.top.state === State.Suspended) this.dirty = true;
    return f.next;
  }

  // -------------------------------------------------------------------------------------------
  // Content

  /** A text node: placed like phrasing content unless it is inter-element whitespace. */
  text(data: string, node: LNode): void {
    let d = cleanText(data);
    if (d === '') return;
    if (!ASCII_WHITESPACE.test(d)) this.place(Cat.Phrasing, '#text');
    let prefix = '';
    const top = this.outputParent();
    if (top.pre !== null && top.state === State.Open && this.out.length === top.openIndex + 1) {
      // The parser drops a newline right after `<pre>`: linkedom kept the source's, a browser
      // dropped it, so we drop it too; and a text that still starts with one needs an extra
      // newline in front to survive the next parse.
      if (node === top.pre.firstChild) d = d.replace(/^\n/, '');
      if (d === '') return;
      if (d.startsWith('\n')) prefix = '\n';
    }
    this.out.push(prefix + escapeText(d));
    if (!BLANK.test(d)) {
      if (this.openLink?.link) this.openLink.link.named = true;
      if (this.openHeading !== null) this.openHeading.headingNamed = true;
    }
    this.excerpt.text(d);
  }

  /** Writes a void element (already placed). */
  void(html: string): void {
    this.out.push(html);
  }

  /** Writes an image (already placed); an image with alt names the link around it. */
  image(html: string, emptyAlt: boolean): void {
    const link = this.openLink?.link;
    if (link) {
      if (emptyAlt) link.emptyAlt.push(this.out.length);
      else link.named = true;
    }
    if (!emptyAlt && this.openHeading !== null) this.openHeading.headingNamed = true;
    this.out.push(html);
    this.imageCount++;
  }

}

/** Link bookkeeping for a source link; `named` starts true when a title names it. */
export function newLink(hasHref: boolean, noHref: string, noHrefCopy: string, titled: boolean): LinkState {
  return { named: titled, emptyAlt: [], hasHref, noHref, noHrefCopy, titled };
}

/** Fresh bookkeeping for a reopened copy of a link (a separate element in the output). */
function copyLink(link: LinkState): LinkState {
  return { ...link, named: link.titled, emptyAlt: [], noHref: link.noHrefCopy };
}
