/**
 * The content the browser e2e uploads: every post of content/ (copied byte for byte) plus hostile
 * and broken posts, so the validators judge the real pages of posts written to attack them:
 *
 * - `zz-hostile-overlay`: the overlay attack of issue 14 as a real post (a link covering the whole
 *   viewport, `position:fixed;inset:0;z-index:2147483647`) under a title full of markup; it also
 *   carries the only tags, so the tag pages have something to show;
 * - `zz-hostile-<name>`: one post per body in tests/worker/rewrite/hostile/ (attribute tricks,
 *   code samples, CSS escapes, image alt text, misnesting, mXSS, overlays).
 *
 * Dated after the corpus, so they are on the first home page too.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/wrangler.mts';

export const OVERLAY_SLUG = 'zz-hostile-overlay';
export const HOSTILE_PREFIX = 'zz-hostile-';
/** The link of issue 14, verbatim. */
export const OVERLAY_LINK = '<a href="https://evil.example/" style="position:fixed;inset:0;z-index:2147483647">';
/** A title made of markup: it must show as text everywhere (list, h1, <title>, neighbours' links). */
export const HOSTILE_TITLE = `<img src=x onerror=alert(1)> 覆盖层 & "引号" </title><script>alert(2)</script>`;

const hostileDir = join(projectRoot, 'tests', 'worker', 'rewrite', 'hostile');

const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

function post(fields: { title: string; date: string; categories: string[]; tags?: string[] }, body: string): string {
  const lines = ['', '---', `title: ${yamlString(fields.title)}`, 'categories:'];
  for (const c of fields.categories) lines.push(` - ${yamlString(c)}`);
  if (fields.tags) {
    lines.push('tags:');
    for (const t of fields.tags) lines.push(` - ${yamlString(t)}`);
  }
  lines.push('author: e2e', 'comments: false', `date: ${fields.date}`, '---', body, '');
  return lines.join('\n');
}

export interface E2eContent {
  dir: string;
  /** Every slug, sorted (corpus and hostile). */
  slugs: string[];
  /** The hostile posts' slugs. */
  hostile: string[];
  /** Source body of each post by slug (what follows the front matter). */
  bodies: Map<string, string>;
}

/** The body of a Hexo post: what follows the second `---` line. */
export function postBody(markdown: string): string {
  const lines = markdown.split('\n');
  const first = lines.findIndex((l) => l.trim() === '---');
  const second = lines.findIndex((l, i) => i > first && l.trim() === '---');
  return lines.slice(second + 1).join('\n');
}

/** Writes content/ and the hostile posts into `dir` (created). */
export function writeE2eContent(contentDir: string, dir: string): E2eContent {
  mkdirSync(dir, { recursive: true });
  const bodies = new Map<string, string>();
  for (const f of readdirSync(contentDir).filter((f) => f.endsWith('.md'))) {
    copyFileSync(join(contentDir, f), join(dir, f));
    bodies.set(f.slice(0, -3), postBody(readFileSync(join(contentDir, f), 'utf8')));
  }
  const hostile: string[] = [];
  const add = (slug: string, markdown: string) => {
    writeFileSync(join(dir, `${slug}.md`), markdown);
    bodies.set(slug, postBody(markdown));
    hostile.push(slug);
  };
  add(
    OVERLAY_SLUG,
    post(
      { title: HOSTILE_TITLE, date: '2023-01-02 10:00:00', categories: ['测试', '恶意内容'], tags: ['安全', 'e2e 标签'] },
      `<div>\n<p>第一段文字。${OVERLAY_LINK}全文</a>。</p>\n<p>第二段文字，链接之后的正文仍然可读。</p>\n</div>`,
    ),
  );
  const files = readdirSync(hostileDir).filter((f) => f.endsWith('.html')).sort();
  files.forEach((f, i) => {
    const name = f.slice(0, -5);
    add(
      `${HOSTILE_PREFIX}${name}`,
      post({ title: `恶意正文：${name}`, date: `2023-01-01 ${String(10 + i).padStart(2, '0')}:00:00`, categories: ['测试', '恶意内容', name] }, `<div>\n${readFileSync(join(hostileDir, f), 'utf8')}\n</div>`),
    );
  });
  return { dir, slugs: [...bodies.keys()].sort(), hostile, bodies };
}
