/**
 * htmlToSearchText with parse5 (src/search/html-text.ts) against the same walk over linkedom's
 * DOM, on the 61 fixture bodies: which one the upload uses is decided by this measurement.
 */
import { parseHTML } from 'linkedom';
import { htmlToSearchText } from '../../src/search/html-text.js';

const SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'head', 'title']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
  'listing', 'plaintext', 'xmp', 'body', 'html', 'option', 'legend',
]);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** The same rules as src/search/html-text.ts, over linkedom. */
export function htmlToSearchTextLinkedom(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const lines: string[] = [];
  let line = '';
  const breakLine = () => {
    if (line !== '') lines.push(line);
    line = '';
  };
  const walk = (node: DomNode, inPre: boolean): void => {
    if (node.nodeType === 3) {
      const value = node.textContent ?? '';
      if (!inPre) {
        line += value.replace(/[\t\n\f\r \u00a0]+/g, ' ');
        return;
      }
      value.split('\n').forEach((part, i) => {
        if (i > 0) breakLine();
        line += part.replace(/[\t\f\r \u00a0]+/g, ' ');
      });
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toLowerCase();
    if (SKIPPED.has(name)) return;
    const block = BLOCK.has(name);
    const cell = name === 'td' || name === 'th';
    if (block) breakLine();
    else if (cell) line += ' ';
    const pre = inPre || name === 'pre' || name === 'listing' || name === 'xmp' || name === 'plaintext' || name === 'textarea';
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i] as DomNode, pre);
    if (block) breakLine();
    else if (cell) line += ' ';
  };
  walk(document.body as unknown as DomNode, false);
  breakLine();
  return lines
    .map((l) => l.replace(/ {2,}/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

export interface EngineResult {
  engine: string;
  /** Median over rounds of the time to convert all bodies once. */
  msPerRound: number;
  msPerPost: number;
}

export function compareHtmlTextEngines(bodies: readonly string[], rounds: number): { results: EngineResult[]; identical: number } {
  const engines: [string, (html: string) => string][] = [
    ['parse5', htmlToSearchText],
    ['linkedom', htmlToSearchTextLinkedom],
  ];
  const identical = bodies.filter((b) => htmlToSearchText(b) === htmlToSearchTextLinkedom(b)).length;
  const results = engines.map(([engine, fn]) => {
    for (const b of bodies) fn(b); // warm-up
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      for (const b of bodies) fn(b);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const msPerRound = times[Math.floor(times.length / 2)] as number;
    return { engine, msPerRound, msPerPost: msPerRound / bodies.length };
  });
  return { results, identical };
}
