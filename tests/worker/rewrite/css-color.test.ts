/**
 * Colours: parsing, and the contrast rule (text ≥ 4.5:1 on the page and on any allowed
 * background). The contrast oracle is the WCAG 2.1 formula written out here, independent of
 * css-color.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseColor, readableBackgroundColor, readableTextColor } from '../../../src/rewrite/css-color';

/** WCAG 2.1 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
function lum(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}
const contrast = (a: string, b: string): number => {
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};

const PAGE = '#fdfdfc';
/** The darkest background the rule allows (relative luminance 0.85). */
const DARKEST_BACKGROUND = '#eeeeee';
const TEXT = '#1f2328';
const LINK = '#0b62c4';
const MUTED = '#5f6670';

const toHex = (token: string): string => {
  const c = parseColor(token);
  if (c === null) throw new Error(`not a colour: ${token}`);
  return `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
};

describe('parseColor', () => {
  it.each<[string, [number, number, number, number] | null]>([
    ['#333', [51, 51, 51, 1]],
    ['#3338', [51, 51, 51, 0x88 / 255]],
    ['#1a2b3c', [26, 43, 60, 1]],
    ['#1a2b3c80', [26, 43, 60, 128 / 255]],
    ['RED', [255, 0, 0, 1]],
    ['rebeccapurple', [102, 51, 153, 1]],
    ['rgb(1, 2, 3)', [1, 2, 3, 1]],
    ['rgba(1, 2, 3, .5)', [1, 2, 3, 0.5]],
    ['rgb(1 2 3 / 50%)', [1, 2, 3, 0.5]],
    ['rgb(100%, 0%, 0%)', [255, 0, 0, 1]],
    ['hsl(120, 100%, 25%)', [0, 127.5, 0, 1]],
    ['hsla(0, 0%, 100%, 0.1)', [255, 255, 255, 0.1]],
    ['#12', null],
    ['notacolor', null],
    ['rgb(1, 2)', null],
    ['inherit', null],
  ])('%s', (token, expected) => {
    const c = parseColor(token);
    if (expected === null) expect(c).toBeNull();
    else expect(c && [c.r, c.g, c.b, Number(c.a.toFixed(4))]).toEqual([...expected.slice(0, 3), Number(expected[3].toFixed(4))]);
  });
});

describe('readableTextColor', () => {
  it.each([['#333'], ['black'], ['navy'], ['#1f2328'], ['rgb(20, 20, 20)']])('keeps %s, already dark enough', (token) => {
    expect(readableTextColor(token)).toBe(token);
  });

  it.each([['red'], ['#999'], ['yellow'], ['white'], ['#0b62c4'], ['rgba(0, 0, 0, 0.3)'], ['hsl(200, 80%, 60%)']])(
    'darkens %s to a colour with ≥ 4.5:1 on the page and on the darkest allowed background',
    (token) => {
      const out = readableTextColor(token);
      expect(out).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(out!, PAGE)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(out!, DARKEST_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
      expect(readableTextColor(out!)).toBe(out);
    },
  );

  it('keeps the hue of the colour it darkens', () => {
    const out = toHex(readableTextColor('red')!);
    const n = Number.parseInt(out.slice(1), 16);
    expect([(n >> 16) & 255, (n >> 8) & 255, n & 255]).toEqual([0xda, 0, 0]);
  });

  it('refuses what is not a visible colour', () => {
    expect(readableTextColor('transparent')).toBeNull();
    expect(readableTextColor('rgba(0,0,0,0)')).toBeNull();
    expect(readableTextColor('bogus')).toBeNull();
  });
});

describe('readableBackgroundColor', () => {
  it.each([['white'], ['#fff'], ['yellow'], ['#eeeeee'], ['lightyellow']])('keeps %s, already light enough', (token) => {
    expect(readableBackgroundColor(token)).toBe(token);
  });

  it.each([['#000'], ['red'], ['navy'], ['#999999'], ['rgba(0, 0, 0, 0.5)']])(
    'lightens %s so that our text, links and muted text keep ≥ 4.5:1 on it',
    (token) => {
      const out = readableBackgroundColor(token);
      expect(out).toMatch(/^#[0-9a-f]{6}$/);
      for (const fg of [TEXT, LINK, MUTED]) expect(contrast(fg, out!)).toBeGreaterThanOrEqual(4.5);
      expect(readableBackgroundColor(out!)).toBe(out);
    },
  );

  it('every kept text colour is readable on every kept background (worst cases)', () => {
    const darkestText = readableTextColor('white')!;
    const darkestBackground = readableBackgroundColor('black')!;
    expect(contrast(darkestText, darkestBackground)).toBeGreaterThanOrEqual(4.5);
  });
});
