// Runs INSIDE an article page through Playwright's page.evaluate (plain JavaScript, like
// page-checks.js). One function expression, no options. Scrolls to the top and looks at what the
// reader would hit outside the article body's box: the site title's centre (must be the title
// link itself), the h1, the margins beside the body, the strip above it and the footer. Returns
//   { hits: string[], titleHit: string, titleCentre: {x, y} | null, bodyFound: boolean }
// where `hits` lists every probed point outside the box whose topmost element belongs to the
// article body. Judging is the runner's job.
() => {
  const body = document.querySelector('.article-body');
  const title = document.querySelector('.site-title');
  if (!body || !title) return { hits: [], titleHit: 'no .site-title or no .article-body', titleCentre: null, bodyFound: !!body };
  window.scrollTo(0, 0);
  const name = (el) => (el ? `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}>` : 'nothing');
  const hits = [];
  const probe = (x, y, where) => {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return;
    const box = body.getBoundingClientRect();
    if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) return;
    const el = document.elementFromPoint(x, y);
    if (el !== null && body.contains(el)) hits.push(`${where} (${Math.round(x)},${Math.round(y)}): ${name(el)}`);
  };
  const t = title.getBoundingClientRect();
  const titleCentre = { x: t.left + t.width / 2, y: t.top + t.height / 2 };
  const titleHit = document.elementFromPoint(titleCentre.x, titleCentre.y);
  const h1 = document.querySelector('h1');
  if (h1) {
    const r = h1.getBoundingClientRect();
    probe(r.left + 5, r.top + r.height / 2, 'h1');
  }
  const b = body.getBoundingClientRect();
  for (let y = 2; y < innerHeight; y += 37) {
    probe(2, y, 'left margin');
    probe(b.left - 1, y, 'left of the body');
    probe(b.right + 1, y, 'right of the body');
    probe(innerWidth - 3, y, 'right margin');
  }
  for (let x = 2; x < innerWidth; x += 41) probe(x, Math.max(1, b.top - 3), 'above the body');
  const footer = document.querySelector('.site-footer');
  if (footer) {
    footer.scrollIntoView({ block: 'center' });
    const f = footer.getBoundingClientRect();
    for (let x = 2; x < innerWidth; x += 41) probe(x, f.top + f.height / 2, 'footer');
    window.scrollTo(0, 0);
  }
  return { hits, titleHit: titleHit === title || title.contains(titleHit) ? 'site title' : name(titleHit), titleCentre, bodyFound: true };
}
