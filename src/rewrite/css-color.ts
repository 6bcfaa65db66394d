/**
 * CSS colours for the style allowlist: parsing (hex, the 148 named colours, rgb()/rgba()/
 * hsl()/hsla() in comma or space syntax) and a contrast rule.
 *
 * Why a contrast rule: author colours land on our page, and text must keep a 4.5:1 contrast
 * ratio (WCAG 2.x 1.4.3, axe `color-contrast`). The page background is #fdfdfc, code blocks
 * #f3f4f6. We keep, or adjust to:
 * - text colours with relative luminance ≤ 0.15 (≥ 4.5:1 on any background with L ≥ 0.85);
 * - background colours with relative luminance ≥ 0.85 (≥ 4.5:1 for our text #1f2328, links
 *   #0b62c4, muted #5f6670, and any text colour above).
 * A colour outside its band is darkened (text) or lightened towards white (background) to the
 * nearest value inside it, so emphasis survives (`color: red` becomes a dark red), and written as
 * `#rrggbb`. Translucent colours are first composited over the page background.
 * Relative luminance and contrast: https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

const NAMED_HEX =
  'aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc bisque ffe4c4 ' +
  'black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a burlywood deb887 cadetblue 5f9ea0 ' +
  'chartreuse 7fff00 chocolate d2691e coral ff7f50 cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff ' +
  'darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 ' +
  'darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000 ' +
  'darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f darkslategrey 2f4f4f ' +
  'darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969 ' +
  'dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ' +
  'ghostwhite f8f8ff gold ffd700 goldenrod daa520 gray 808080 green 008000 greenyellow adff2f grey 808080 ' +
  'honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa ' +
  'lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff ' +
  'lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 ' +
  'lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 ' +
  'lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000 ' +
  'mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371 ' +
  'mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585 ' +
  'midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 ' +
  'oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa ' +
  'palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f ' +
  'pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f ' +
  'royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee ' +
  'sienna a0522d silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa ' +
  'springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 turquoise 40e0d0 ' +
  'violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32';

const NAMED = new Map<string, string>();
{
  const parts = NAMED_HEX.split(' ');
  for (let i = 0; i + 1 < parts.length; i += 2) NAMED.set(parts[i] as string, parts[i + 1] as string);
}

const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNC = /^(rgba?|hsla?)\(\s*([^()]*)\)$/i;
const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function fromHex(hex: string): Rgba {
  const h = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const n = (i: number): number => Number.parseInt(h.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
}

/** A number or percentage argument; percentages scale to `percentOf`. */
function arg(token: string, percentOf: number, allowPlain: boolean): number | null {
  if (token.endsWith('%')) {
    const v = token.slice(0, -1);
    return NUM.test(v) ? (Number(v) / 100) * percentOf : null;
  }
  if (!allowPlain) return null;
  return NUM.test(token) ? Number(token) : null;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const hue = (((h % 360) + 360) % 360) / 360;
  const f = (n: number): number => {
    const k = (n + hue * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}

/** Parses one CSS colour token; null for anything else (keywords like `inherit` included). */
export function parseColor(token: string): Rgba | null {
  const t = token.toLowerCase();
  const hex = HEX.exec(t);
  if (hex?.[1]) return fromHex(hex[1]);
  const named = NAMED.get(t);
  if (named !== undefined) return fromHex(named);
  const m = FUNC.exec(t);
  if (!m?.[1] || m[2] === undefined) return null;
  const fn = m[1];
  const body = m[2].trim();
  let parts: string[];
  let alpha: string | undefined;
  if (body.includes(',')) {
    parts = body.split(',').map((p) => p.trim());
    if (parts.length === 4) alpha = parts.pop();
  } else {
    const [main = '', a] = body.split('/');
    parts = main.trim().split(/\s+/);
    alpha = a?.trim();
  }
  if (parts.length !== 3) return null;
  const a = alpha === undefined ? 1 : arg(alpha, 1, true);
  if (a === null) return null;
  if (fn.startsWith('rgb')) {
    const [r, g, b] = parts.map((p) => arg(p, 255, true));
    if (r == null || g == null || b == null) return null;
    return { r: clamp(r, 0, 255), g: clamp(g, 0, 255), b: clamp(b, 0, 255), a: clamp(a, 0, 1) };
  }
  const h = parts[0] !== undefined && NUM.test(parts[0].replace(/deg$/, '')) ? Number(parts[0].replace(/deg$/, '')) : null;
  const s = arg(parts[1] ?? '', 1, false);
  const l = arg(parts[2] ?? '', 1, false);
  if (h === null || s === null || l === null) return null;
  const [r, g, b] = hslToRgb(h, clamp(s, 0, 1), clamp(l, 0, 1));
  return { r, g, b, a: clamp(a, 0, 1) };
}

const channel = (c: number): number => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

export function luminance(c: { r: number; g: number; b: number }): number {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

export function contrastRatio(a: { r: number; g: number; b: number }, b: { r: number; g: number; b: number }): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The page background (#fdfdfc): what translucent author colours are composited over. */
const PAGE = { r: 0xfd, g: 0xfd, b: 0xfc };

export const TEXT_MAX_LUMINANCE = 0.15;
export const BACKGROUND_MIN_LUMINANCE = 0.85;

function composite(c: Rgba): { r: number; g: number; b: number } {
  if (c.a >= 1) return c;
  return { r: c.r * c.a + PAGE.r * (1 - c.a), g: c.g * c.a + PAGE.g * (1 - c.a), b: c.b * c.a + PAGE.b * (1 - c.a) };
}

const hex2 = (v: number): string => Math.round(clamp(v, 0, 255)).toString(16).padStart(2, '0');
const toHex = (c: { r: number; g: number; b: number }): string => `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;

/**
 * A text colour with enough contrast: `token` itself when it qualifies, else the darkest-needed
 * adjustment as `#rrggbb`. Null when `token` is not a colour (or is fully transparent).
 */
export function readableTextColor(token: string): string | null {
  const c = parseColor(token);
  if (c === null || c.a === 0) return null;
  const flat = composite(c);
  if (c.a >= 1 && luminance(flat) <= TEXT_MAX_LUMINANCE) return token;
  // Scale towards black: the largest factor whose rounded result is inside the band.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (luminance({ r: flat.r * mid, g: flat.g * mid, b: flat.b * mid }) <= TEXT_MAX_LUMINANCE) lo = mid;
    else hi = mid;
  }
  const down = (v: number): number => Math.floor(v * lo);
  return toHex({ r: down(flat.r), g: down(flat.g), b: down(flat.b) });
}

/** A background colour light enough for our text: `token`, a lightened `#rrggbb`, or null. */
export function readableBackgroundColor(token: string): string | null {
  const c = parseColor(token);
  if (c === null) return null;
  const flat = composite(c);
  if (c.a >= 1 && luminance(flat) >= BACKGROUND_MIN_LUMINANCE) return token;
  let lo = 0;
  let hi = 1;
  const mix = (t: number) => ({ r: flat.r + (255 - flat.r) * t, g: flat.g + (255 - flat.g) * t, b: flat.b + (255 - flat.b) * t });
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (luminance(mix(mid)) >= BACKGROUND_MIN_LUMINANCE) hi = mid;
    else lo = mid;
  }
  const m = mix(hi);
  return toHex({ r: Math.ceil(m.r), g: Math.ceil(m.g), b: Math.ceil(m.b) });
}
