/**
 * The site's colour pairs meet WCAG 2.x contrast (SC 1.4.3: 4.5:1 for text) in the light and the
 * dark scheme, read from the stylesheet itself. The ratio is computed here from the WCAG
 * definition (relative luminance of sRGB), not by any code of the site. The browser e2e checks
 * the rendered pages with axe; this catches a palette change in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { SITE_CSS_BASE } from '../../../src/views/site-css';

/** https://www.w3.org/TR/WCAG22/#dfn-relative-luminance */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const channel = (h: string) => {
    const c = Number.parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(m[1]!) + 0.7152 * channel(m[2]!) + 0.0722 * channel(m[3]!);
}

/** https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `fff` → `ffffff` (CSS Color 4 §5.2). */
const expand = (hex: string) => (hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex);

/** The custom properties of the first `:root{…}` rule after `after` in the stylesheet. */
function palette(after: string): Map<string, string> {
  const start = SITE_CSS_BASE.indexOf(after);
  expect(start, `${after} in the stylesheet`).toBeGreaterThanOrEqual(0);
  const rule = /:root\{([^}]*)\}/.exec(SITE_CSS_BASE.slice(start));
  expect(rule).not.toBeNull();
  return new Map([...rule![1]!.matchAll(/--([a-z]+):#([0-9a-f]{6}|[0-9a-f]{3})\b/gi)].map((m) => [m[1]!, `#${expand(m[2]!)}`]));
}

const LIGHT = palette(':root{');
const DARK = palette('@media (prefers-color-scheme:dark){:root{');

/** Text colour on background colour, as the stylesheet pairs them. */
const PAIRS: [string, string][] = [
  ['fg', 'bg'],
  ['muted', 'bg'],
  ['accent', 'bg'],
  ['fg', 'card'],
  ['muted', 'card'],
  ['accent', 'card'],
  ['fg', 'code'],
  ['muted', 'code'],
];

describe.each([
  ['light', LIGHT],
  ['dark', DARK],
])('the %s palette', (_scheme, colours) => {
  it('defines every colour the pairs use', () => {
    for (const name of ['fg', 'muted', 'accent', 'bg', 'card', 'code']) expect(colours.get(name), name).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it.each(PAIRS)('--%s on --%s is at least 4.5:1', (text, background) => {
    expect(contrast(colours.get(text)!, colours.get(background)!)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('search highlights', () => {
  const rule = (prefix: string) => {
    const m = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.search-results mark\\{background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})`, 'i').exec(SITE_CSS_BASE);
    expect(m, `mark rule after ${prefix || 'the start'}`).not.toBeNull();
    return { background: m![1]!, color: m![2]! };
  };

  it.each([
    ['light', ''],
    ['dark', '@media (prefers-color-scheme:dark){'],
  ])('set their own text colour at 4.5:1 or more in %s mode (snippet text is muted)', (_scheme, prefix) => {
    const { background, color } = rule(prefix);
    expect(contrast(color, background)).toBeGreaterThanOrEqual(4.5);
  });

  it('the formula matches WCAG on known pairs', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#a2a9b3', '#7a5c00')).toBeLessThan(4.5); // the old dark highlight under muted text
  });
});
