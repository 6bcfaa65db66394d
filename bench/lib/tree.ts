/**
 * A generated Hexo site in the real site's layout (Rock-Candy-Tea/RSSHUB-PAGE): `_config.yml`
 * (its per_page 100, `permalink: p/:abbrlink.html`, crc16/hex abbrlinks) and
 * `source/_posts/<category>/<source>/<channel>/<title>.md`, titles as file names the way its
 * generator (muti_work.py) writes them: `[:/\\?*“”<>|[]]` → `_` in the title, then `#`, `.` and
 * newlines dropped from the file name; a source or channel name with a `/` makes nested folders.
 *
 * Post `i` (0-based) depends on `i` only, so the tree of N posts is the first N posts of any
 * larger tree: sizes are grown in place (1k → 10k → 100k) instead of written from scratch.
 *
 * - Body: the HTML body of fixture `i % 61` (tests/fixtures, the real posts) byte for byte, plus
 *   one paragraph of generated Han text and the post number (every post is different, the
 *   vocabulary is the corpus's: each fixture's words occur in about N/61 posts, far more often
 *   than on a real site of N posts, so search match sets are pessimistic).
 * - Title: the fixture's title with one of a dozen real-style variations (full-width brackets and
 *   punctuation, `_` where the generator replaced `?`/`:`/`|`, `#`, dots, `%`, `&`, emoji, an
 *   apostrophe that makes the generator double-quote it) and the number, so abbrlinks and file
 *   names differ.
 * - Categories: one 3-level hierarchy (category, source, channel) from a realistic set, Zipf-like
 *   weights; 40% of posts have 1–2 tags.
 * - Dates: uniform over 2015-01-01 … 2026-01-01 (132 archive months), RFC 2822 mostly, 1 in 15 a
 *   YAML timestamp; unrelated to `i` (the worst case for a date-ordered index).
 *
 * The "focus" lists the list benchmark reads (one deep category, one tag, one month) are sized
 * so their pages are full at every size measured: post i is in the focus category and month when
 * i % 50 = 7 and has the focus tag when i % 40 = 3 (so at 10k and 100k the category's count is a
 * multiple of 100 and its last page is full too). In `baseline` mode (the N = 100 store) every
 * post is in the focus category, tag and month: each list page measured there shows the same
 * 100 items a page shows at 100k.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePost } from '../../src/content/front-matter.js';
import { fixturesDir } from './project.js';

export const PER_PAGE = 100;

/** (category, source, channel): the fixtures' hierarchies and more from the real site's feed list. */
export const CATEGORY_SET: readonly (readonly [string, string, string])[] = [
  ['新媒体', 'ZAKER', 'channel'],
  ['图片', '煎蛋', '首页'],
  ['新媒体', 'cnBeta', '最新'],
  ['编程', '开源中国', '资讯'],
  ['编程', '掘金', '分类'],
  ['新媒体', '人人都是产品经理', '最新文章'],
  ['新媒体', 'IT 之家', '分类资讯'],
  ['新媒体', '高科技行业门户', '新闻'],
  ['新媒体', 'PMCAFF', '今日推荐 / 精选'],
  ['新媒体', '36kr', '资讯'],
  ['图片', '1X', 'Photos'],
  ['编程', '码农网', '最新'],
  ['编程', 'Dockone', '周报'],
  ['新媒体', '人人都是产品经理', '热门文章'],
  ['新媒体', 'ZAKER', 'source'],
  ['新媒体', '9To5', '9To5 分站'],
  ['新媒体', '199IT', '首页更新'],
  ['二次元', 'Eventernote', '声优活动及演唱会'],
  ['二次元', 'Bangumi', '放送列表'],
  ['二次元', 'Hpoi 手办维基', '情报'],
  ['二次元', '东方我乐多丛志', '文章'],
  ['博客', 'Hexo', 'Next 主题博客'],
  ['博客', 'Paul Graham 博客', 'Essays'],
  ['博客', '美团技术团队', '最近更新'],
  ['博客', '每日安全', '推送'],
  ['设计', '优设网', '设计话题'],
  ['设计', '站酷', '作品总榜单'],
  ['设计', 'Dribbble', '流行'],
  ['金融', '财联社', '电报'],
  ['金融', '雪球', '用户动态'],
  ['金融', '证券时报网', '快讯'],
  ['金融', 'DT 财经', '数据侠专栏'],
  ['游戏', '3DMGame', '新闻中心'],
  ['游戏', '游研社', '游研社 - 全部文章'],
  ['游戏', 'psnine', '首页 - 白金攻略 / 游戏开箱'],
  ['游戏', '小黑盒', '游戏折扣信息'],
  ['游戏', 'Nintendo', 'eShop 新发售游戏'],
  ['游戏', '游戏时光', '游戏时光新闻'],
  ['音视频', '场库', '今日精选'],
  ['音视频', '猫耳 FM', '广播剧 / 有声漫画'],
  ['音视频', '故事 FM', '首页'],
  ['新媒体', 'Aljazeera 半岛网', '新闻'],
  ['新媒体', 'iDaily 每日环球视野', '今日 Timeline'],
  ['新媒体', 'IT 桔子', '投融资事件'],
  ['新媒体', 'DeepMind', 'Blog'],
  ['新媒体', 'BOF', '首页'],
  ['新媒体', '36kr', '快讯'],
];

/** The deep category the list benchmark reads (its URL has a space: `IT-之家`). */
export const FOCUS_CATEGORY = ['新媒体', 'IT 之家', '热榜'] as const;
export const FOCUS_TAG = 'Linux';
/** Archive month of the focus posts (UTC, the real site's zone). */
export const FOCUS_MONTH = { year: 2021, month: 11 } as const;

export const TAGS = [
  'AI', '苹果', 'Windows 11', '安全', '漏洞', '芯片', '开源', 'Android', '云计算', 'Rust', 'React', '特斯拉', '5G', '区块链', '游戏',
  '英特尔', 'AMD', '华为', '小米', '微软', '谷歌', 'Node.js', 'C++', '数据库', '前端', '产品经理', '设计', '动画', '声优', '摄影',
] as const;

const START = Date.UTC(2015, 0, 1);
const END = Date.UTC(2026, 0, 1);
/** Newer than every generated post: the "+1 newest" scenario. */
export const NEWEST_DATE = new Date(Date.UTC(2026, 0, 15, 8, 30, 0));

const HAN =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理';

export function lcg(seed: number): () => number {
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

/** Index by Zipf-like weights (1/(k+1)). */
function zipf(rand: () => number, n: number): number {
  const total = harmonic(n);
  let x = rand() * total;
  for (let k = 0; k < n; k++) {
    x -= 1 / (k + 1);
    if (x <= 0) return k;
  }
  return n - 1;
}
const harmonics = new Map<number, number>();
function harmonic(n: number): number {
  let h = harmonics.get(n);
  if (h === undefined) {
    h = 0;
    for (let k = 1; k <= n; k++) h += 1 / k;
    harmonics.set(n, h);
  }
  return h;
}

interface Fixture {
  title: string;
  author: string | null;
  headimg: string | null;
  thumbnail: string | null;
  body: string;
}

let fixtureCache: Fixture[] | null = null;

export function fixtures(): Fixture[] {
  if (fixtureCache) return fixtureCache;
  fixtureCache = readdirSync(fixturesDir)
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((file) => {
      const { article } = parsePost(file, readFileSync(path.join(fixturesDir, file), 'utf8'), { timeZone: 'UTC' });
      return { title: article.title, author: article.author, headimg: article.headimg, thumbnail: article.thumbnail, body: article.body };
    });
  return fixtureCache;
}

/** muti_work.py: `re.sub(r'[:/\\?*“”<>|\[\]]', '_', title)`. */
const GENERATOR_REPLACED = /[:/\\?*“”<>|[\]]/g;

const TITLE_STYLES: ((t: string, i: number, han: string) => string)[] = [
  (t, i, h) => `${t} ${h}${i}`,
  (t, i, h) => `【${h}】${t}（${i}）`,
  (t, i) => `${t}？第 ${i} 期`,
  (t, i) => `${t}_${i}_`,
  (t, i) => `${i % 100}% 的人不知道：${t} ${i}`,
  (t, i, h) => `${t} & ${h} ${i}`,
  (t, i) => `${t} 🚀 ${i}`,
  (t, i) => `It's ${t} ${i}`,
  (t, i) => `${t}... ${i}`,
  (t, i) => `#${i} ${t}`,
  (t, i, h) => `${h}：${t}，${t.slice(0, 8)} ${i}`,
  (t, i) => `${t} ${i}`,
];

export interface TreePost {
  /** Path under source/_posts (`/`-separated). */
  rel: string;
  text: string;
  title: string;
  /** The HTML body as written. */
  body: string;
  date: Date;
  categories: string[];
  tags: string[];
}

export interface PostSpec {
  /** Number shown in the title and body; also seeds everything random. */
  i: number;
  baseline?: boolean;
  /** Overrides (the scenario posts). */
  date?: Date;
  categories?: readonly string[];
  tags?: readonly string[];
  /** Appended to the body (the "edited" scenario). */
  bodySuffix?: string;
}

export function isFocusCategory(i: number): boolean {
  return i % 50 === 7;
}
export function isFocusTag(i: number): boolean {
  return i % 40 === 3;
}

function yamlQuoted(title: string): string {
  // The generator's rule: double quotes when the title has an apostrophe, else single quotes.
  return title.includes("'") ? `"${title.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `'${title}'`;
}

function fileNameOf(title: string): string {
  let name = title.replace(/\n/g, '').replace(/#/g, '').replace(/\./g, '').trim();
  // File systems take 255 bytes; the real generator's titles stay well below.
  while (Buffer.byteLength(`${name}.md`) > 240) name = name.slice(0, -1);
  return `${name}.md`;
}

export function treePost(spec: PostSpec): TreePost {
  const { i } = spec;
  const rand = lcg(i * 2654435761 + 12345);
  const all = fixtures();
  const fx = all[i % all.length]!;
  const focus = spec.baseline || isFocusCategory(i);
  let date: Date;
  if (spec.date) date = spec.date;
  else if (focus) {
    const from = Date.UTC(FOCUS_MONTH.year, FOCUS_MONTH.month - 1, 1);
    const to = Date.UTC(FOCUS_MONTH.year, FOCUS_MONTH.month, 1);
    date = new Date(from + Math.floor(rand() * ((to - from) / 1000)) * 1000);
  } else {
    date = new Date(START + Math.floor(rand() * ((END - START) / 1000)) * 1000);
    // Outside the focus month, so the focus month holds exactly the focus posts' share.
    if (date.getUTCFullYear() === FOCUS_MONTH.year && date.getUTCMonth() + 1 === FOCUS_MONTH.month) date = new Date(date.getTime() + 31 * 86400_000);
  }
  const categories = spec.categories ? [...spec.categories] : focus ? [...FOCUS_CATEGORY] : [...CATEGORY_SET[zipf(rand, CATEGORY_SET.length)]!];
  let tags: string[];
  if (spec.tags) tags = [...spec.tags];
  else {
    tags = [];
    if (rand() < 0.4) {
      const count = rand() < 0.7 ? 1 : 2;
      for (let k = 0; k < count; k++) {
        const t = TAGS[zipf(rand, TAGS.length)]!;
        if (!tags.includes(t)) tags.push(t);
      }
    }
    if (spec.baseline || isFocusTag(i)) tags.push(FOCUS_TAG);
  }
  const style = TITLE_STYLES[Math.floor(rand() * TITLE_STYLES.length)]!;
  const title = style(fx.title, i, hanText(rand, 2)).replace(GENERATOR_REPLACED, '_');
  const dateText =
    i % 15 === 4
      ? date.toISOString().replace('T', ' ').slice(0, 19) // YAML timestamp, read in the site's zone (UTC)
      : date.toUTCString();
  const extra = `<p>${hanText(rand, 24)} ${i}</p>`;
  const lines = [
    '',
    '---',
    `title: ${yamlQuoted(title)}`,
    'categories: ',
    ...categories.map((c) => ` - ${c}`),
  ];
  if (tags.length > 0) lines.push('tags:', ...tags.map((t) => ` - ${t}`));
  if (fx.headimg) lines.push(`headimg: '${fx.headimg}'`);
  lines.push(`author: ${categories[1]}`, 'comments: false', `date: ${dateText}`);
  if (fx.thumbnail) lines.push(`thumbnail: '${fx.thumbnail}'`);
  const body = `${fx.body}\n${extra}${spec.bodySuffix ?? ''}\n`;
  lines.push('---', '', body);
  const folder = categories.join('/');
  return { rel: `${folder}/${fileNameOf(title)}`, text: lines.join('\n'), title, body, date, categories, tags };
}

/** The real site's _config.yml, the parts that matter here (Rock-Candy-Tea/RSSHUB-PAGE). */
export const SITE_CONFIG = `# Hexo Configuration (the real site's settings that the upload reads)
title: 小冰 RSSHub
subtitle: ''
description: ''
author: 冰卡诺
language: zh-CN
timezone: ''
url: https://news.zfe.space
root: /
permalink: p/:abbrlink.html
tag_dir: tags
archive_dir: archives
category_dir: categories
new_post_name: :title.md
filename_case: 0
index_generator:
  path: ''
  per_page: 100
  order_by: -date
default_category: uncategorized
per_page: 100
pagination_dir: page
search:
  path: search.xml
  field: post
  format: html
  limit: 10000
abbrlink:
  alg: crc16
  rep: hex
`;

export interface Tree {
  /** The Hexo site root (`--dir`). */
  root: string;
  postsDir: string;
  /** Posts 0 … n-1 are on disk. */
  n: number;
  baseline: boolean;
  /** Bytes of post files written so far. */
  bytes: number;
  /** ms spent writing. */
  writeMs: number;
}

export async function createTree(root: string, baseline = false): Promise<Tree> {
  await mkdir(path.join(root, 'source', '_posts'), { recursive: true });
  await writeFile(path.join(root, '_config.yml'), SITE_CONFIG);
  return { root, postsDir: path.join(root, 'source', '_posts'), n: 0, baseline, bytes: 0, writeMs: 0 };
}

const madeDirs = new Set<string>();

async function writePost(postsDir: string, p: TreePost): Promise<number> {
  const file = path.join(postsDir, p.rel);
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  await writeFile(file, p.text);
  return Buffer.byteLength(p.text);
}

/** Adds posts tree.n … n-1 (in parallel batches; nothing is held but the batch). */
export async function growTree(tree: Tree, n: number): Promise<void> {
  const t0 = performance.now();
  const batch = 64;
  for (let start = tree.n; start < n; start += batch) {
    const jobs: Promise<number>[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) jobs.push(writePost(tree.postsDir, treePost({ i, baseline: tree.baseline })));
    for (const bytes of await Promise.all(jobs)) tree.bytes += bytes;
  }
  tree.n = Math.max(tree.n, n);
  tree.writeMs += performance.now() - t0;
}

/** A post outside the sequence (scenarios): written, and removed by the returned function. */
export async function addPost(tree: Tree, spec: PostSpec): Promise<{ post: TreePost; remove: () => Promise<void> }> {
  const post = treePost(spec);
  await writePost(tree.postsDir, post);
  return { post, remove: () => unlink(path.join(tree.postsDir, post.rel)) };
}

/** Rewrites post `i` with a changed body; the returned function restores it. */
export async function editPost(tree: Tree, i: number): Promise<{ post: TreePost; restore: () => Promise<void> }> {
  const original = treePost({ i, baseline: tree.baseline });
  const edited = treePost({ i, baseline: tree.baseline, bodySuffix: `<p>更新：${i} 号文章已修订。</p>` });
  const file = path.join(tree.postsDir, original.rel);
  await writeFile(file, edited.text);
  return { post: edited, restore: () => writeFile(file, original.text) };
}

/** Deletes post `i`'s file; the returned function puts it back. */
export async function deletePost(tree: Tree, i: number): Promise<{ post: TreePost; restore: () => Promise<void> }> {
  const post = treePost({ i, baseline: tree.baseline });
  const file = path.join(tree.postsDir, post.rel);
  const text = await readFile(file);
  await unlink(file);
  return { post, restore: () => writeFile(file, text) };
}

/** A post of the sequence that is in no focus list (so scenarios leave focus pages alone). */
export function plainPostNear(i: number): number {
  let k = i;
  while (isFocusCategory(k) || isFocusTag(k)) k++;
  return k;
}

export async function removeTree(tree: Tree): Promise<void> {
  for (const d of [...madeDirs]) if (d.startsWith(tree.postsDir)) madeDirs.delete(d);
  await rm(tree.root, { recursive: true, force: true });
}
