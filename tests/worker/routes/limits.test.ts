import { describe, expect, it } from 'vitest';
import { fetchApp } from '../helpers/app';
import { allAttributes } from '../helpers/html';
import { seed } from '../helpers/seed';

describe('inputs at the limits', () => {
  it('renders a 2 MB post with 2,000 proxied images', async () => {
    const para = `<p>${'这是一段很长的正文。'.repeat(80)}</p>`;
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      parts.push(`<img class="lazy" data-original="http://img${i % 7}.example.com/p/${i}.jpg" src="https://cors.zfour.workers.dev/?http://img${i % 7}.example.com/p/${i}.jpg">`, para);
    }
    const body = `<div>${parts.join('\n')}</div>`;
    expect(body.length).toBeGreaterThan(1_000_000);
    await seed({ 'huge-2mb.md': `---\ntitle: Huge\n---\n${body}` });
    const res = await fetchApp('/articles/huge-2mb');
    expect(res.status).toBe(200);
    const html = await res.text();
    const srcs = allAttributes(html).filter((a) => a.tag === 'img' && a.name === 'src');
    expect(srcs).toHaveLength(2000);
    expect(srcs.every((a) => a.value.startsWith('/img/'))).toBe(true);
    expect(html).not.toContain('cors.zfour.workers.dev');
  }, 60_000);

  it('renders a post nested 10,000 elements deep without crashing the isolate', async () => {
    const depth = 10_000;
    const body = `${'<div>'.repeat(depth)}<p>deep <img src="http://a.example.com/deep.jpg"></p>${'</div>'.repeat(depth)}`;
    await seed({ 'deep-10k.md': `---\ntitle: Deep\n---\n${body}` });
    const res = await fetchApp('/articles/deep-10k');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('deep');
    expect(html).toMatch(/src="\/img\//);
    // The isolate is still healthy afterwards.
    expect((await fetchApp('/robots.txt')).status).toBe(200);
  }, 60_000);
});
