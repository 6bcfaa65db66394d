/** The fixture corpus and synthetic posts, as the upload script would store them. */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePost } from '../../src/content/front-matter.js';
import type { StoredArticle } from '../../src/store/kv-layout.js';
import { toStoredArticle } from '../../src/store/records.js';
import { fixturesDir } from './project.js';

export interface CorpusPost {
  file: string;
  slug: string;
  /** UTF-8 bytes of the HTML body (what the rewrite parses). */
  bodyBytes: number;
  fileBytes: number;
  article: StoredArticle;
}

export function loadFixtures(limit?: number): CorpusPost[] {
  const names = readdirSync(fixturesDir)
    .filter((n) => n.endsWith('.md'))
    .sort();
  const chosen = limit === undefined ? names : pickSpread(names, limit);
  return chosen.map((file) => {
    const source = readFileSync(path.join(fixturesDir, file), 'utf8');
    const { article } = parsePost(file, source, { timeZone: 'UTC' });
    const stored = toStoredArticle(article);
    return {
      file,
      slug: stored.slug,
      bodyBytes: Buffer.byteLength(stored.body),
      fileBytes: Buffer.byteLength(source),
      article: stored,
    };
  });
}

/** `n` items spread over the list, always including the first and the largest-numbered. */
function pickSpread<T>(items: T[], n: number): T[] {
  if (n >= items.length) return items;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.round((i * (items.length - 1)) / Math.max(1, n - 1))] as T);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Synthetic posts: ~2 KB each, two proxied images, a few categories, one date per post.

export const SYNTHETIC_CATEGORIES = ['科技', '新媒体', 'ZAKER', 'cnBeta', 'IT之家'];
const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function hanText(rand: () => number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) out += HAN[Math.floor(rand() * HAN.length)];
  return out;
}

const PROXY = 'https://cors.zfour.workers.dev/?';

export const SYNTHETIC_EPOCH = Date.UTC(2021, 10, 13, 6, 8, 5);

interface SyntheticFields {
  name: string;
  slug: string;
  title: string;
  date: Date;
  categories: string[];
  image: string;
  body: string;
}

function syntheticFields(i: number, variant: number): SyntheticFields {
  // The variant only appends to the last paragraph: title, date and everything listed stay the same.
  const rand = lcg(i * 7919 + 17);
  const original = (k: number) => `http://zkres1.myzaker.com/202111/${(i * 31 + k).toString(16).padStart(24, '0')}_1024.jpg`;
  const img = (k: number) => `${PROXY}${original(k)}`;
  const title = `${hanText(rand, 18)} ${i}`;
  const body = [
    `<div><p><strong>${hanText(rand, 6)}</strong>：${hanText(rand, 120)}</p>`,
    `<div class="img_box"><img class="lazy opacity_0" data-original="${original(1)}" data-height="423" data-width="600" src="${img(1)}"></div>`,
    `<p>${hanText(rand, 140)}</p>`,
    `<p><img src="${img(2)}" alt="${hanText(rand, 4)}"></p>`,
    `<p>${hanText(rand, 120)}${variant ? ` v${variant}` : ''}</p></div>`,
  ].join('\n');
  const slug = `bench-${String(i).padStart(6, '0')}`;
  return {
    name: `${slug}.md`,
    slug,
    title,
    date: new Date(SYNTHETIC_EPOCH - i * 60_000),
    categories: [SYNTHETIC_CATEGORIES[i % SYNTHETIC_CATEGORIES.length]!, 'source'],
    image: img(1),
    body,
  };
}

/** Post number `i` (0 = newest): its file name and text (~2 KB). `variant` changes the body only. */
export function syntheticPost(i: number, variant = 0): { name: string; text: string } {
  const f = syntheticFields(i, variant);
  const text = [
    '',
    '---',
    `title: '${f.title}'`,
    'categories: ',
    ...f.categories.map((c) => ` - ${c}`),
    `headimg: '${f.image}'`,
    'author: bench',
    'comments: false',
    `date: ${f.date.toUTCString()}`,
    `thumbnail: '${f.image}'`,
    '---',
    '',
    f.body,
    '',
  ].join('\n');
  return { name: f.name, text };
}

/**
 * Post `i` as the StoredArticle the upload script makes of syntheticPost(i), built directly (no
 * YAML parse), for the 100k store. `syntheticMatchesParser` checks the two agree.
 */
export function syntheticArticle(i: number, variant = 0): StoredArticle {
  const f = syntheticFields(i, variant);
  return toStoredArticle({
    slug: f.slug,
    title: f.title,
    date: f.date.toISOString(),
    author: 'bench',
    categories: f.categories,
    tags: [],
    headimg: f.image,
    thumbnail: f.image,
    // gray-matter keeps the blank line after the front matter and the final newline.
    body: `\n${f.body}\n`,
  });
}

export function syntheticMatchesParser(samples = 3): boolean {
  for (let i = 0; i < samples; i++) {
    const { name, text } = syntheticPost(i);
    const parsed = toStoredArticle(parsePost(name, text, { timeZone: 'UTC' }).article);
    if (parsed.hash !== syntheticArticle(i).hash) return false;
  }
  return true;
}

export async function writeSyntheticPosts(dir: string, n: number): Promise<number> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  const batch = 256;
  for (let start = 0; start < n; start += batch) {
    const writes: Promise<void>[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const { name, text } = syntheticPost(i);
      bytes += Buffer.byteLength(text);
      writes.push(writeFile(path.join(dir, name), text));
    }
    await Promise.all(writes);
  }
  return bytes;
}

export function syntheticArticles(n: number): StoredArticle[] {
  const out: StoredArticle[] = [];
  for (let i = 0; i < n; i++) out.push(syntheticArticle(i));
  return out;
}
