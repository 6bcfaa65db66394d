/**
 * Synthetic search corpora of any size whose text is the 61 real posts' (tests/fixtures): post `i`
 * takes fixture `i % 61`, keeps about 85% of its lines (block-level paragraphs and code lines),
 * swaps a few neighbours, borrows one or two lines from other fixtures and adds one line of
 * generated Han text with the post number; its title is the fixture's title plus a short Han
 * fragment and the number. Dates are random over ten years and unrelated to ids (the worst case
 * for "newest first"). The vocabulary is therefore the corpus's: every fixture word occurs in
 * about N/61 posts, far more often than on a real site of N posts (a pessimistic case for speed).
 *
 * Lines are tokenised once per fixture and reused: block boundaries are token boundaries, so a
 * post's tokens are its lines' tokens joined.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePost } from '../../src/content/front-matter.js';
import { htmlToSearchText } from '../../src/search/html-text.js';
import { indexTokens } from '../../src/search/tokenize.js';

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '..', '..', 'tests', 'fixtures');

export interface FixturePost {
  file: string;
  slug: string;
  title: string;
  date: string | null;
  /** Hexo hierarchies, as parsePost gives them. */
  categories: string[][];
  tags: string[];
  html: string;
  text: string;
}

export function loadFixturePosts(dir = FIXTURES_DIR): FixturePost[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((file) => {
      const { article } = parsePost(file, readFileSync(path.join(dir, file), 'utf8'), { timeZone: 'UTC' });
      return {
        file,
        slug: article.slug,
        title: article.title,
        date: article.date,
        categories: article.categories,
        tags: article.tags,
        html: article.body,
        text: htmlToSearchText(article.body),
      };
    });
}

export interface SyntheticDoc {
  id: number;
  slug: string;
  title: string;
  date: string;
  categories: string[];
  /** Plain text (what snippets are cut from). */
  text: string;
  titleTokens: string;
  bodyTokens: string;
  /** The fixture it was made from. */
  base: number;
}

export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HAN =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理';

function hanText(rand: () => number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) out += HAN[Math.floor(rand() * HAN.length)];
  return out;
}

const EPOCH = Date.UTC(2015, 0, 1);
const TEN_YEARS = 10 * 365.25 * 24 * 3600 * 1000;

export class SyntheticCorpus {
  readonly posts: FixturePost[];
  private readonly lines: { text: string; tokens: string }[][];

  constructor(posts = loadFixturePosts()) {
    this.posts = posts;
    this.lines = posts.map((p) => p.text.split('\n').map((text) => ({ text, tokens: indexTokens(text) })));
  }

  /** Post number `i` (ids start at 1). */
  doc(i: number): SyntheticDoc {
    const rand = lcg(i * 2654435761 + 97);
    const base = (i - 1) % this.posts.length;
    const post = this.posts[base] as FixturePost;
    const own = this.lines[base] as { text: string; tokens: string }[];
    const chosen = own.filter(() => rand() < 0.85);
    if (chosen.length === 0 && own[0]) chosen.push(own[0]);
    for (let k = 0; k + 1 < chosen.length; k++) {
      if (rand() < 0.1) {
        const a = chosen[k] as { text: string; tokens: string };
        chosen[k] = chosen[k + 1] as { text: string; tokens: string };
        chosen[k + 1] = a;
      }
    }
    const borrowed = 1 + Math.floor(rand() * 2);
    for (let k = 0; k < borrowed; k++) {
      const other = this.lines[Math.floor(rand() * this.lines.length)] as { text: string; tokens: string }[];
      const line = other[Math.floor(rand() * other.length)];
      if (line) chosen.splice(Math.floor(rand() * (chosen.length + 1)), 0, line);
    }
    const extraText = `${hanText(rand, 24)} ${i}`;
    chosen.push({ text: extraText, tokens: indexTokens(extraText) });
    const title = `${post.title} ${hanText(rand, 3)} ${i}`;
    return {
      id: i,
      slug: `s-${i}`,
      title,
      date: new Date(EPOCH + Math.floor(rand() * TEN_YEARS)).toISOString(),
      categories: [...new Set(post.categories.flat())],
      text: chosen.map((l) => l.text).join('\n'),
      titleTokens: indexTokens(title),
      bodyTokens: chosen.map((l) => l.tokens).join(' '),
      base,
    };
  }
}
