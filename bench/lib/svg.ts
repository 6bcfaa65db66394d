/** A dependency-free SVG scatter chart: render time (log scale) against post size. */

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function scatterSvg(opts: { title: string; xLabel: string; yLabel: string; series: Series[]; note?: string }): string {
  const W = 860;
  const H = 520;
  const m = { left: 78, right: 24, top: 56, bottom: 74 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = opts.series.flatMap((s) => s.points).filter((p) => p.y > 0 && Number.isFinite(p.y));
  const xMax = niceCeil(Math.max(1, ...all.map((p) => p.x)));
  const yLo = Math.floor(Math.log10(Math.min(...all.map((p) => p.y))));
  const yHi = Math.ceil(Math.log10(Math.max(...all.map((p) => p.y))));
  const span = Math.max(1, yHi - yLo);
  const X = (x: number) => m.left + (x / xMax) * pw;
  const Y = (y: number) => m.top + ph - ((Math.log10(y) - yLo) / span) * ph;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="600">${esc(opts.title)}</text>`);
  // Grid and axes.
  for (let e = yLo; e <= yLo + span; e++) {
    const y = Y(10 ** e);
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${fmtPow(e)}</text>`);
    for (const k of [2, 5]) {
      const v = k * 10 ** e;
      if (e < yLo + span) out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#f1f1f1"/>`);
    }
  }
  const xStep = niceStep(xMax / 8);
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    const px = X(x);
    out.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${m.top}" y2="${m.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${px.toFixed(1)}" y="${m.top + ph + 18}" text-anchor="middle">${+x.toFixed(2)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 34}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`);
  // Points.
  for (const s of opts.series) {
    for (const p of s.points) {
      if (!(p.y > 0)) continue;
      out.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3.5" fill="${s.color}" fill-opacity="0.75"/>`);
    }
  }
  // Legend.
  opts.series.forEach((s, i) => {
    const lx = m.left + 12 + i * 200;
    out.push(`<circle cx="${lx}" cy="${m.top - 14}" r="5" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 10}" y="${m.top - 10}">${esc(s.name)}</text>`);
  });
  if (opts.note) out.push(`<text x="${m.left}" y="${H - 10}" fill="#555" font-size="11">${esc(opts.note)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function fmtPow(e: number): string {
  const v = 10 ** e;
  return v >= 1 ? `${v} ms` : `${+v.toFixed(Math.max(0, -e))} ms`;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function niceCeil(v: number): number {
  const step = niceStep(v / 8);
  return Math.ceil(v / step) * step;
}
