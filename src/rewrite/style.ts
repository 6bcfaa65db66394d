/**
 * Inline `style` filtering: an allowlist of properties, each with a value grammar and bounds.
 *
 * The article is someone else's markup on our page, so a declaration is kept only when it cannot
 * move content out of the article or over the page, hide who a link goes to, or run code:
 * - Properties not listed below are dropped: no `position`, `z-index`, `inset`/`top`/`left`…,
 *   `transform`/`translate`/`rotate`/`scale`, `clip`/`clip-path`/`mask`, `outline*`,
 *   `box-shadow`, `filter`, `opacity`, `visibility`, `zoom`, `content`, `behavior`,
 *   `-moz-binding`, `cursor`, `pointer-events`, animations, flex/grid placement, custom
 *   properties. (The overlay link `position:fixed;inset:0;z-index:…` keeps none of its style.)
 * - Values must match the property's grammar; lengths are bounded: margins, padding and
 *   `text-indent` 0 to 200px (12.5em, 50%), no negatives (a negative margin pulls content over
 *   its neighbours or out of the column); `font-size` 12px to 48px (0.75em–3em, 75%–300%: no
 *   unreadable or hidden text, no page-sized letters); `line-height` 1 to 3 (lines never
 *   overlap); `letter-spacing`/`word-spacing` −2px to 16px; borders ≤ 10px;
 *   `width`/`height` ≤ 2000px or 100%. Viewport units, `calc()` and `var()` are not accepted.
 * - `float` only `left|right|none` (the article body is `display: flow-root; contain: paint`,
 *   so a float stays in the column); `overflow` only `visible|hidden` (a scrolling box would need
 *   keyboard access); `white-space` never `nowrap`/`pre` in prose (they defeat wrapping on
 *   phones; real `<pre>` keeps its own rules from the site stylesheet).
 * - `url()` only when `mapUrl` turns it into our image route; any other function but
 *   `rgb()/rgba()/hsl()/hsla()` drops the declaration, as do CSS escapes, comments hiding
 *   text, `expression(`, `javascript:` and the like (the grammar never matches them).
 * - Colours: see css-color.ts (contrast-safe text and background colours). On links,
 *   `text-decoration` is dropped: the underline is what tells a link from text.
 * - `!important` is removed, so the site stylesheet's own `!important` limits (the article
 *   body's `max-width: 100% !important`) always win.
 * Output is normalised (`prop: value; prop: value`, last declaration of a property wins), so a
 * second pass gives the same string.
 */
import { parseColor, readableBackgroundColor, readableTextColor } from './css-color';

export type MapUrl = (raw: string) => string | null;

interface Env {
  readonly tag: string;
  readonly mapUrl: MapUrl;
}

type Validator = (value: string, env: Env) => string | null;

// ---------------------------------------------------------------------------------------------
// Tokens

/** Splits at whitespace outside quotes and parentheses. */
function tokens(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of value) {
    if (quote) {
      current += c;
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === '(') {
      depth++;
      current += c;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      current += c;
    } else if (depth === 0 && /\s/.test(c)) {
      if (current) out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current) out.push(current);
  return out;
}

const LENGTH = /^([+-]?(?:\d+\.?\d*|\.\d+))(px|em|rem|ex|ch|pt|%)?$/i;
const PX_PER_UNIT = new Map([
  ['px', 1],
  ['em', 16],
  ['rem', 16],
  ['ex', 8],
  ['ch', 8],
  ['pt', 4 / 3],
]);

interface Bounds {
  /** Smallest and largest allowed value in px-equivalents (em = 16px). */
  min: number;
  max: number;
  /** Largest percentage, or undefined when percentages are not allowed. */
  pct?: number;
  /** Smallest percentage (default: `min` when negative, else 0). */
  pctMin?: number;
  /** Largest unitless number other than 0 (line-height), or undefined. */
  number?: number;
  /** Smallest unitless number (default 0). */
  numberMin?: number;
}

function isLength(token: string, b: Bounds): boolean {
  const m = LENGTH.exec(token);
  if (!m?.[1]) return false;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return false;
  const unit = m[2]?.toLowerCase();
  if (unit === undefined) {
    if (n === 0) return b.min <= 0;
    return b.number !== undefined && n >= (b.numberMin ?? 0) && n <= b.number;
  }
  if (unit === '%') return b.pct !== undefined && n >= (b.pctMin ?? Math.min(0, b.min)) && n <= b.pct;
  const px = n * (PX_PER_UNIT.get(unit) ?? Infinity);
  return px >= b.min && px <= b.max;
}

const lower = (t: string): string => t.toLowerCase();

function keywordSet(words: string): Set<string> {
  return new Set(words.split(' '));
}

// ---------------------------------------------------------------------------------------------
// Validators

const GLOBAL_KEYWORDS = keywordSet('inherit initial unset');

function oneOf(words: string): Validator {
  const set = keywordSet(words);
  return (value) => {
    const t = tokens(value);
    return t.length === 1 && set.has(lower(t[0] as string)) ? lower(t[0] as string) : null;
  };
}

function lengthOr(b: Bounds, words = ''): Validator {
  const set = keywordSet(words);
  return (value) => {
    const t = tokens(value);
    if (t.length !== 1) return null;
    const token = t[0] as string;
    if (set.has(lower(token))) return lower(token);
    return isLength(token, b) ? lower(token) : null;
  };
}

/** 1 to 4 lengths (margin, padding…). */
function boxOf(b: Bounds, words = ''): Validator {
  const set = keywordSet(words);
  return (value) => {
    const t = tokens(value);
    if (t.length < 1 || t.length > 4) return null;
    for (const token of t) if (!set.has(lower(token)) && !isLength(token, b)) return null;
    return t.map(lower).join(' ');
  };
}

const SPACING: Bounds = { min: 0, max: 200, pct: 50 };
const BORDER_WIDTH: Bounds = { min: 0, max: 10 };
const BORDER_STYLES = keywordSet('none hidden solid dashed dotted double groove ridge inset outset');
const BORDER_WIDTH_WORDS = keywordSet('thin medium thick');

const textColor: Validator = (value) => {
  const t = tokens(value);
  if (t.length !== 1) return null;
  const token = t[0] as string;
  if (lower(token) === 'inherit' || lower(token) === 'currentcolor') return lower(token);
  return readableTextColor(token);
};

const backgroundColor: Validator = (value) => {
  const t = tokens(value);
  if (t.length !== 1) return null;
  const token = t[0] as string;
  if (lower(token) === 'transparent' || lower(token) === 'inherit') return lower(token);
  return readableBackgroundColor(token);
};

/** Any valid colour, no contrast requirement (borders, decoration lines). */
const anyColor = (token: string): boolean => parseColor(token) !== null || lower(token) === 'transparent' || lower(token) === 'currentcolor';

const borderColor: Validator = (value) => {
  const t = tokens(value);
  if (t.length < 1 || t.length > 4 || !t.every(anyColor)) return null;
  return t.join(' ');
};

const borderWidths: Validator = (value) => {
  const t = tokens(value);
  if (t.length < 1 || t.length > 4) return null;
  return t.every((x) => BORDER_WIDTH_WORDS.has(lower(x)) || isLength(x, BORDER_WIDTH)) ? t.map(lower).join(' ') : null;
};

const borderStyles: Validator = (value) => {
  const t = tokens(value);
  if (t.length < 1 || t.length > 4) return null;
  return t.every((x) => BORDER_STYLES.has(lower(x))) ? t.map(lower).join(' ') : null;
};

/** `border` and `border-<side>`: at most one width, one style and one colour. */
const border: Validator = (value) => {
  const t = tokens(value);
  if (t.length < 1 || t.length > 3) return null;
  let width = false;
  let style = false;
  let color = false;
  for (const x of t) {
    if (!width && (BORDER_WIDTH_WORDS.has(lower(x)) || isLength(x, BORDER_WIDTH))) width = true;
    else if (!style && BORDER_STYLES.has(lower(x))) style = true;
    else if (!color && anyColor(x)) color = true;
    else return null;
  }
  return t.join(' ');
};

/** `url(...)` with the target mapped to our image route (re-quoted), or null. */
function mapUrlToken(token: string, env: Env): string | null {
  const m = /^url\(\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)'|([^\s"'()\\]*))\s*\)$/i.exec(token);
  if (!m) return null;
  const mapped = env.mapUrl((m[1] ?? m[2] ?? m[3] ?? '').trim());
  if (mapped === null || /["'()\\\s]/.test(mapped)) return null;
  return `url("${mapped}")`;
}

const REPEAT = keywordSet('repeat no-repeat repeat-x repeat-y');
const POSITION = keywordSet('left right center top bottom');
const POSITION_LENGTH: Bounds = { min: 0, max: 2000, pct: 100 };

const backgroundImage: Validator = (value, env) => {
  const t = tokens(value);
  if (t.length !== 1) return null;
  if (lower(t[0] as string) === 'none') return 'none';
  return mapUrlToken(t[0] as string, env);
};

const backgroundPosition: Validator = (value) => {
  const t = tokens(value);
  if (t.length < 1 || t.length > 2) return null;
  return t.every((x) => POSITION.has(lower(x)) || isLength(x, POSITION_LENGTH)) ? t.map(lower).join(' ') : null;
};

const backgroundSize: Validator = (value) => {
  const t = tokens(value);
  if (t.length === 1 && (lower(t[0] as string) === 'cover' || lower(t[0] as string) === 'contain')) return lower(t[0] as string);
  if (t.length < 1 || t.length > 2) return null;
  return t.every((x) => lower(x) === 'auto' || isLength(x, POSITION_LENGTH)) ? t.map(lower).join(' ') : null;
};

/** `background` shorthand: a light colour, our image, repeat and position keywords. */
const background: Validator = (value, env) => {
  const out: string[] = [];
  let color = false;
  let image = false;
  for (const x of tokens(value)) {
    const l = lower(x);
    if (REPEAT.has(l) || POSITION.has(l)) out.push(l);
    else if (!image && l.startsWith('url(')) {
      const mapped = mapUrlToken(x, env);
      if (mapped === null) return null;
      out.push(mapped);
      image = true;
    } else if (!image && l === 'none') {
      out.push(l);
      image = true;
    } else if (!color) {
      const c = l === 'transparent' ? l : readableBackgroundColor(x);
      if (c === null) return null;
      out.push(c);
      color = true;
    } else return null;
  }
  return out.length > 0 ? out.join(' ') : null;
};

const CSS_WIDE = keywordSet('inherit initial unset revert default');
const QUOTED_FAMILY = /^(?:"[^"\\\n]*"|'[^'\\\n]*')$/;
/** An unquoted family name is a sequence of identifiers (none may start with a digit or `--`). */
const FAMILY_WORD = /^-?[\p{L}_][\p{L}\p{N}_-]*$/u;

const fontFamily: Validator = (value) => {
  const names = value.split(',').map((n) => n.trim().replace(/\s+/g, ' '));
  if (names.length === 0 || names.length > 10) return null;
  for (const n of names) {
    if (names.length > 1 && CSS_WIDE.has(n.toLowerCase())) return null;
    if (!QUOTED_FAMILY.test(n) && !(n !== '' && n.split(' ').every((w) => FAMILY_WORD.test(w)))) return null;
  }
  return names.join(', ');
};

const DECORATION_LINES = keywordSet('none underline overline line-through');
const DECORATION_STYLES = keywordSet('solid double dotted dashed wavy');

const textDecoration: Validator = (value, env) => {
  if (env.tag === 'a') return null; // links stay underlined (WCAG 1.4.1, axe link-in-text-block)
  const t = tokens(value);
  if (t.length < 1 || t.length > 4) return null;
  let line = false;
  for (const x of t) {
    const l = lower(x);
    if (DECORATION_LINES.has(l)) {
      if (l === 'none' && t.length > 1) return null;
      line = true;
    } else if (!DECORATION_STYLES.has(l) && !anyColor(x)) return null;
  }
  return line ? t.join(' ') : null;
};

const LIST_TYPES =
  'disc circle square decimal decimal-leading-zero lower-roman upper-roman lower-greek lower-latin upper-latin ' +
  'lower-alpha upper-alpha cjk-ideographic hiragana katakana hiragana-iroha katakana-iroha armenian georgian hebrew none';

const listStyle: Validator = (value) => {
  const types = keywordSet(LIST_TYPES);
  const t = tokens(value);
  if (t.length < 1 || t.length > 2) return null;
  let type = false;
  let position = false;
  for (const x of t) {
    const l = lower(x);
    if (!type && types.has(l)) type = true;
    else if (!position && (l === 'inside' || l === 'outside')) position = true;
    else return null;
  }
  return t.map(lower).join(' ');
};

const ifNotLink =
  (v: Validator): Validator =>
  (value, env) =>
    env.tag === 'a' ? null : v(value, env);

const PROPERTIES = new Map<string, Validator>([
  ['color', textColor],
  ['background-color', backgroundColor],
  ['background', background],
  ['background-image', backgroundImage],
  ['background-repeat', oneOf('repeat no-repeat repeat-x repeat-y')],
  ['background-position', backgroundPosition],
  ['background-size', backgroundSize],
  ['font-family', fontFamily],
  ['font-size', lengthOr({ min: 12, max: 48, pct: 300, pctMin: 75 }, 'small medium large x-large xx-large larger')],
  ['font-weight', oneOf('normal bold bolder lighter 100 200 300 400 500 600 700 800 900')],
  ['font-style', oneOf('normal italic oblique')],
  ['font-variant', oneOf('normal small-caps')],
  ['line-height', lengthOr({ min: 12, max: 48, pct: 300, pctMin: 100, number: 3, numberMin: 1 }, 'normal')],
  ['letter-spacing', lengthOr({ min: -2, max: 16 }, 'normal')],
  ['word-spacing', lengthOr({ min: -2, max: 16 }, 'normal')],
  ['text-align', oneOf('left right center justify start end')],
  ['text-indent', lengthOr({ min: 0, max: 200, pct: 50 })],
  ['text-decoration', textDecoration],
  ['text-decoration-line', ifNotLink(oneOf('none underline overline line-through'))],
  ['text-decoration-style', ifNotLink(oneOf('solid double dotted dashed wavy'))],
  ['text-transform', oneOf('none capitalize uppercase lowercase')],
  ['white-space', oneOf('normal pre-wrap pre-line break-spaces')],
  ['word-break', oneOf('normal break-all keep-all break-word')],
  ['overflow-wrap', oneOf('normal break-word anywhere')],
  ['word-wrap', oneOf('normal break-word anywhere')],
  ['vertical-align', oneOf('baseline sub super top text-top middle bottom text-bottom')],
  ['margin', boxOf(SPACING, 'auto')],
  ['margin-top', lengthOr(SPACING, 'auto')],
  ['margin-right', lengthOr(SPACING, 'auto')],
  ['margin-bottom', lengthOr(SPACING, 'auto')],
  ['margin-left', lengthOr(SPACING, 'auto')],
  ['padding', boxOf(SPACING)],
  ['padding-top', lengthOr(SPACING)],
  ['padding-right', lengthOr(SPACING)],
  ['padding-bottom', lengthOr(SPACING)],
  ['padding-left', lengthOr(SPACING)],
  ['border', border],
  ['border-top', border],
  ['border-right', border],
  ['border-bottom', border],
  ['border-left', border],
  ['border-width', borderWidths],
  ['border-style', borderStyles],
  ['border-color', borderColor],
  ['border-radius', boxOf({ min: 0, max: 100, pct: 50 })],
  ['border-collapse', oneOf('collapse separate')],
  ['border-spacing', (value) => {
    const t = tokens(value);
    return t.length >= 1 && t.length <= 2 && t.every((x) => isLength(x, { min: 0, max: 20 })) ? t.map(lower).join(' ') : null;
  }],
  ['width', lengthOr({ min: 0, max: 2000, pct: 100 }, 'auto')],
  ['height', lengthOr({ min: 0, max: 2000, pct: 100 }, 'auto')],
  ['max-width', lengthOr({ min: 0, max: 2000, pct: 100 })],
  ['max-height', lengthOr({ min: 0, max: 2000, pct: 100 }, 'none')],
  ['min-width', lengthOr({ min: 0, max: 0, pct: 100 })],
  ['min-height', lengthOr({ min: 0, max: 2000, pct: 100 })],
  ['float', oneOf('left right none')],
  ['clear', oneOf('left right both none')],
  ['display', oneOf('none block inline inline-block list-item')],
  ['list-style-type', oneOf(LIST_TYPES)],
  ['list-style-position', oneOf('inside outside')],
  ['list-style', listStyle],
  ['box-sizing', oneOf('content-box border-box')],
  ['object-fit', oneOf('fill contain cover none scale-down')],
  ['overflow', oneOf('visible hidden')],
  ['overflow-x', oneOf('visible hidden')],
  ['overflow-y', oneOf('visible hidden')],
  ['text-overflow', oneOf('clip ellipsis')],
  ['caption-side', oneOf('top bottom')],
  ['table-layout', oneOf('auto fixed')],
  ['empty-cells', oneOf('show hide')],
]);

// ---------------------------------------------------------------------------------------------
// Declarations

const COMMENT = /\/\*[\s\S]*?\*\//g;
const IMPORTANT = /\s*!\s*important\s*$/i;
const PROPERTY = /^[a-z-]+$/;
/** Functions a kept value may call; anything else (calc, var, expression, image-set…) is out. */
const FUNCTION = /([a-z-]*)\(/gi;
const ALLOWED_FUNCTIONS = new Set(['url', 'rgb', 'rgba', 'hsl', 'hsla']);

/** Splits a declaration list at `;` outside quotes and parentheses. */
function splitDeclarations(style: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < style.length; i++) {
    const c = style[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) {
      out.push(style.slice(start, i));
      start = i + 1;
    }
  }
  out.push(style.slice(start));
  return out;
}

function callsOnlyAllowedFunctions(value: string): boolean {
  FUNCTION.lastIndex = 0;
  for (let m = FUNCTION.exec(value); m !== null; m = FUNCTION.exec(value)) {
    if (!ALLOWED_FUNCTIONS.has((m[1] ?? '').toLowerCase())) return false;
  }
  return true;
}

/** One declaration (`prop: value`), or null when it is not on the allowlist. */
function filterDeclaration(raw: string, env: Env): [string, string] | null {
  const decl = raw.replace(COMMENT, ' ').trim();
  // CSS escapes can spell any property or function; comments left open hide the rest.
  if (decl === '' || decl.includes('\\') || decl.includes('/*') || decl.includes('<')) return null;
  const colon = decl.indexOf(':');
  if (colon <= 0) return null;
  const prop = decl.slice(0, colon).trim().toLowerCase();
  const value = decl.slice(colon + 1).replace(IMPORTANT, '').trim().replace(/\s+/g, ' ');
  if (!PROPERTY.test(prop) || value === '' || !callsOnlyAllowedFunctions(value)) return null;
  const validate = PROPERTIES.get(prop);
  if (validate === undefined) return null;
  if (GLOBAL_KEYWORDS.has(value.toLowerCase())) return [prop, value.toLowerCase()];
  const kept = validate(value, env);
  return kept === null ? null : [prop, kept];
}

/**
 * Returns the filtered style attribute value, or null when nothing is left.
 * `mapUrl` receives the raw target of each `url(…)` and returns our route for it or null.
 * `tag` is the element the style is on (rules differ for links).
 */
export function sanitizeStyle(style: string, mapUrl: MapUrl, tag = ''): string | null {
  const env: Env = { tag, mapUrl };
  const kept = new Map<string, string>();
  for (const raw of splitDeclarations(style)) {
    const decl = filterDeclaration(raw, env);
    if (decl === null) continue;
    kept.delete(decl[0]); // the last declaration of a property wins, in its position
    kept.set(decl[0], decl[1]);
  }
  if (kept.size === 0) return null;
  return [...kept].map(([p, v]) => `${p}: ${v}`).join('; ');
}
