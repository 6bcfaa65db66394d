// Runs INSIDE the page through Playwright's page.evaluate (which is not subject to the page's
// CSP). Plain JavaScript on purpose: code compiled by tsx would carry helper calls (`__name`)
// that do not exist in the page. The file is one async function expression taking options:
//   { width, lazyTimeoutMs, proxyHost }
// It scrolls through the page (so loading="lazy" images start), waits for the images, scrolls
// back to the top and returns measurements; judging them is the runner's job.
async (opts) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const vh = window.innerHeight;
  for (let y = 0; y < document.documentElement.scrollHeight; y += Math.max(200, Math.floor(vh * 0.75))) {
    window.scrollTo(0, y);
    await sleep(40);
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await sleep(100);

  const rendered = (el) => el.getClientRects().length > 0;
  const imgs = () => Array.from(document.images);
  const deadline = Date.now() + opts.lazyTimeoutMs;
  while (Date.now() < deadline && imgs().some((i) => rendered(i) && !i.complete)) await sleep(100);
  window.scrollTo(0, 0);
  await sleep(50);

  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (typeof el.className === 'string' && el.className.trim()) s += `.${el.className.trim().split(/\s+/).join('.')}`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };

  const images = imgs().map((i) => ({
    src: i.getAttribute('src') || '',
    currentSrc: i.currentSrc || '',
    complete: i.complete,
    naturalWidth: i.naturalWidth,
    naturalHeight: i.naturalHeight,
    rendered: rendered(i),
    renderedWidth: Math.round(i.getBoundingClientRect().width),
    loading: i.getAttribute('loading') || '',
    where: describe(i.parentElement || i),
  }));

  // Horizontal overflow: the document wider than the viewport, and who sticks out.
  const de = document.documentElement;
  const clipsX = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') return true;
    }
    return false;
  };
  const offenders = [];
  if (de.scrollWidth > opts.width) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= opts.width + 1 || clipsX(el)) continue;
      const p = el.parentElement && el.parentElement.getBoundingClientRect();
      if (p && p.right > opts.width + 1 && el.parentElement !== document.body) continue; // report the outermost
      offenders.push(`${describe(el)} right=${Math.round(r.right)}`);
      if (offenders.length >= 6) break;
    }
  }

  // Colour helpers for contrast (WCAG 2.x relative luminance).
  const parse = (c) => {
    const m = /^rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[,/ ]+([\d.]+%?))?\)$/.exec(c.trim());
    if (!m) return null;
    let a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), a];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (fg, bg) => [0, 1, 2].map((k) => fg[k] * fg[3] + bg[k] * (1 - fg[3])).concat(1);
  const canvasBg = () => {
    for (const el of [document.body, de]) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  };
  const pageBg = canvasBg();
  const bgOf = (el) => {
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const c = parse(getComputedStyle(a).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : pageBg;
    while (layers.length) bg = blend(layers.pop(), bg);
    return bg;
  };
  const hidden = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.clip !== 'auto' || cs.clipPath !== 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return true;
    }
    return false;
  };

  const contrastIssues = [];
  const tinyText = [];
  let textElements = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!ownText || !rendered(el) || hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    textElements++;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    if (size < 12) tinyText.push(`${describe(el)} ${size}px`);
    const fg = parse(cs.color);
    if (!fg) continue;
    const bg = bgOf(el);
    const l1 = lum(blend(fg, bg));
    const l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) contrastIssues.push(`${describe(el)} ${ratio.toFixed(2)}:1 (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')}))`);
  }

  const bodyCs = getComputedStyle(document.body);
  const firstP = document.querySelector('.article-body p') || document.querySelector('main p');
  const pCs = firstP ? getComputedStyle(firstP) : null;

  // Anything still pointing at the old CORS proxy, in any attribute.
  const proxyRefs = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.value.includes(opts.proxyHost)) proxyRefs.push(`${el.tagName.toLowerCase()}[${a.name}]`);
    }
  }

  return {
    title: document.title,
    images,
    scrollWidth: de.scrollWidth,
    innerWidth: window.innerWidth,
    clientWidth: de.clientWidth,
    offenders,
    pageBg: pageBg.slice(0, 3),
    pageBgLuminance: lum(pageBg),
    bodyFontSize: parseFloat(bodyCs.fontSize),
    bodyFontFamily: bodyCs.fontFamily,
    paragraph: pCs ? { fontSize: parseFloat(pCs.fontSize), lineHeight: parseFloat(pCs.lineHeight) || null } : null,
    textElements,
    tinyText: tinyText.slice(0, 6),
    contrastIssues: contrastIssues.slice(0, 6),
    contrastIssueCount: contrastIssues.length,
    proxyRefs: proxyRefs.slice(0, 6),
    listItems: document.querySelectorAll('.post-list > li').length,
    nextPage: document.querySelector('.pager a[rel="next"]')?.getAttribute('href') ?? null,
  };
}
