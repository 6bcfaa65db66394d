/**
 * A small Hexo `source/_posts` tree built from real posts (tests/fixtures), laid out the way the
 * real site's generator lays them out (`<category>/<source>/<channel>/<title>.md`), with the
 * awkward names such a tree really has: quotes, `%` (one a literal `%E4%B8%AD`), `+`, `&`, `#`,
 * `?`, spaces, emoji, full-width punctuation, Japanese, a Latin diacritic — and two posts with the
 * same file name (and title) in different folders.
 *
 * Every expectation a test needs is written out here per post (title, date, the URL segment of
 * each category level, each tag's segment), so tests compare the Worker against these values
 * rather than against the project's own slugize/CRC code.
 */
import { fixturePosts } from './seed';

export interface TreeTag {
  name: string;
  /** The tag's URL segment (Hexo's slugize, worked out by hand). */
  slug: string;
}

export interface TreePost {
  /** Path under the posts folder (the slug is this without `.md`). */
  path: string;
  /** The real post it is made from. */
  fixture: string;
  /** The post's title, written out (checked against the fixture when the tree is built). */
  title: string;
  /** The post's date as the API shows it (ISO, UTC). */
  date: string;
  /** Its one category hierarchy: display names. */
  categories: string[];
  /** The URL segment of each level, worked out by hand from Hexo's slugize rules. */
  categorySlugs: string[];
  tags: TreeTag[];
  /**
   * How far its abbrlink is bumped past the CRC of its title because an earlier post (by date,
   * then slug) holds that value: hexo-abbrlink's `+1` until free.
   */
  bump: number;
}

const SAME_NAME = 'Windows 11最新开发版右键点击开始菜单会崩溃 但可以用隐藏方法修复';

export const TREE: readonly TreePost[] = [
  {
    path: '新媒体/ZAKER/channel/微软封杀漏洞后，网友又挖出了 Win11 家庭版新的离线激活方法.md',
    fixture: '01-zaker-win11-offline-activation.md',
    title: '微软封杀漏洞后，网友又挖出了 Win11 家庭版新的离线激活方法',
    date: '2021-09-12T18:08:39.000Z',
    categories: ['新媒体', 'ZAKER', 'channel'],
    categorySlugs: ['新媒体', 'ZAKER', 'channel'],
    tags: [{ name: 'Windows', slug: 'Windows' }],
    bump: 0,
  },
  {
    path: '新媒体/ZAKER/channel/Asahi Linux 在 Apple M1 下运行首个三角形渲染 🐧.md',
    fixture: '04-zaker-asahi-linux-m1.md',
    title: 'Asahi Linux 在 Apple M1 下运行首个三角形渲染',
    date: '2022-06-09T02:30:00.000Z',
    categories: ['新媒体', 'ZAKER', 'channel'],
    categorySlugs: ['新媒体', 'ZAKER', 'channel'],
    tags: [{ name: 'Linux', slug: 'Linux' }],
    bump: 0,
  },
  {
    path: '新媒体/IT 之家/热榜/注册表大法！教你如何给 Win11 开启传统右键菜单.md',
    fixture: '30-ithome-win11-registry-backslash-https.md',
    title: '注册表大法！教你如何给 Win11 开启传统右键菜单',
    date: '2021-07-04T02:26:22.000Z',
    categories: ['新媒体', 'IT 之家', '热榜'],
    categorySlugs: ['新媒体', 'IT-之家', '热榜'],
    tags: [{ name: 'Windows', slug: 'Windows' }],
    bump: 0,
  },
  {
    path: '新媒体/PMCAFF/今日推荐 & 精选/B端权限设计 (100%).md',
    fixture: '17-pmcaff-b2b-permissions-style.md',
    title: 'B端权限设计',
    date: '2022-01-09T21:30:42.000Z',
    categories: ['新媒体', 'PMCAFF', '今日推荐 / 精选'],
    categorySlugs: ['新媒体', 'PMCAFF', '今日推荐-精选'],
    tags: [],
    bump: 0,
  },
  {
    path: '图片/煎蛋/首页/有点有限的棋类游戏：Dodgem.md',
    fixture: '35-jandan-dodgem-sinaimg.md',
    title: '有点有限的棋类游戏：Dodgem',
    date: '2022-02-09T15:58:00.000Z',
    categories: ['图片', '煎蛋', '首页'],
    categorySlugs: ['图片', '煎蛋', '首页'],
    tags: [],
    bump: 0,
  },
  {
    path: '编程/C++ & C# 周刊/100% 干货？/关于CSRF的笔记 #1.md',
    fixture: '18-juejin-csrf-port-url-in-code.md',
    title: '关于CSRF的笔记',
    date: '2021-05-19T22:40:57.000Z',
    categories: ['编程', 'C++ & C# 周刊', '100% 干货？'],
    categorySlugs: ['编程', 'C-C-周刊', '100-干货？'],
    tags: [
      { name: '安全', slug: '安全' },
      { name: '#新闻', slug: '新闻' },
    ],
    bump: 0,
  },
  {
    path: `编程/"引号" & 'apostrophe'/🚀 火箭/React函数组件详解 + Hooks?.md`,
    fixture: '28-juejin-react-jsx-in-code-picsum.md',
    title: 'React函数组件详解',
    date: '2021-07-01T02:30:47.000Z',
    categories: ['编程', `"引号" & 'apostrophe'`, '🚀 火箭'],
    categorySlugs: ['编程', '引号-apostrophe', '🚀-火箭'],
    tags: [
      { name: '🚀', slug: '🚀' },
      { name: 'Hexo & 博客', slug: 'Hexo-博客' },
    ],
    bump: 0,
  },
  {
    path: '二次元/Eventernote/声优活动及演唱会/みもパ！～夏休みだよ、全員集合！～.md',
    fixture: '43-eventernote-japanese-plaintext.md',
    title: 'みもパ！～夏休みだよ、全員集合！～',
    date: '2021-11-11T15:07:57.000Z',
    categories: ['二次元', 'Eventernote', '声优活动及演唱会'],
    categorySlugs: ['二次元', 'Eventernote', '声优活动及演唱会'],
    tags: [],
    bump: 0,
  },
  {
    path: '图片/1X/Photos/© Bogdan Bouşcă.md',
    fixture: '46-1x-photo-latin-diacritics-title.md',
    title: '© Bogdan Bouşcă',
    date: '2021-03-29T12:10:43.000Z',
    categories: ['图片', '1X', 'Photos'],
    categorySlugs: ['图片', '1X', 'Photos'],
    tags: [],
    bump: 0,
  },
  {
    path: '新媒体/9To5/9To5 分站/Apple details the ways its CSAM detection system is designed to prevent misuse?.md',
    fixture: '33-9to5mac-english-wpcom-query-url.md',
    title: 'Apple details the ways its CSAM detection system is designed to prevent misuse',
    date: '2021-08-13T19:02:41.000Z',
    categories: ['新媒体', '9To5', '9To5 分站'],
    categorySlugs: ['新媒体', '9To5', '9To5-分站'],
    tags: [{ name: '安全', slug: '安全' }],
    bump: 0,
  },
  {
    path: '新媒体/人人都是产品经理/最新文章/3分钟，看懂多版本ABtest怎么做！.md',
    fixture: '25-woshipm-abtest-svg-nbsp.md',
    title: '3分钟，看懂多版本ABtest怎么做！',
    date: '2022-03-11T00:00:00.000Z',
    categories: ['新媒体', '人人都是产品经理', '最新文章'],
    categorySlugs: ['新媒体', '人人都是产品经理', '最新文章'],
    tags: [],
    bump: 0,
  },
  // The same story in two channels: the same file name and title in two folders. Same date, so
  // the slug decides which is first: `新媒体/IT 之家/…` < `新媒体/cnBeta/…` ('I' < 'c').
  {
    path: `新媒体/IT 之家/热榜/${SAME_NAME}.md`,
    fixture: '10-cnbeta-win11-https-noproxy.md',
    title: SAME_NAME,
    date: '2022-02-26T05:34:12.000Z',
    categories: ['新媒体', 'IT 之家', '热榜'],
    categorySlugs: ['新媒体', 'IT-之家', '热榜'],
    tags: [{ name: 'Windows', slug: 'Windows' }],
    bump: 0,
  },
  {
    path: `新媒体/cnBeta/最新/${SAME_NAME}.md`,
    fixture: '10-cnbeta-win11-https-noproxy.md',
    title: SAME_NAME,
    date: '2022-02-26T05:34:12.000Z',
    categories: ['新媒体', 'cnBeta', '最新'],
    categorySlugs: ['新媒体', 'cnBeta', '最新'],
    tags: [{ name: 'Windows', slug: 'Windows' }],
    bump: 1,
  },
  {
    path: '图片/煎蛋/首页/Img2img 图像合成算法AI把老游戏的图形优化成细节丰富的样子.md',
    fixture: '12-jandan-img2img-links.md',
    title: 'Img2img 图像合成算法AI把老游戏的图形优化成细节丰富的样子',
    date: '2022-09-13T15:02:00.000Z',
    categories: ['图片', '煎蛋', '首页'],
    categorySlugs: ['图片', '煎蛋', '首页'],
    tags: [{ name: 'AI 绘画', slug: 'AI-绘画' }],
    bump: 0,
  },
  {
    path: '图片/煎蛋/首页/阿里云安全工程师发现了史诗级大bug，全球网络工程师周末都在为此加班 %E4%B8%AD.md',
    fixture: '56-jandan-log4shell-iframe.md',
    title: '阿里云安全工程师发现了史诗级大bug，全球网络工程师周末都在为此加班',
    date: '2021-12-11T16:00:00.000Z',
    categories: ['图片', '煎蛋', '首页'],
    categorySlugs: ['图片', '煎蛋', '首页'],
    tags: [
      { name: '安全', slug: '安全' },
      { name: '#新闻', slug: '新闻' },
    ],
    bump: 0,
  },
];

export const slugOf = (post: TreePost) => post.path.replace(/\.md$/, '');

/**
 * The post's source: the real file with its `categories` replaced by the tree's hierarchy and
 * its `tags` added (both as YAML double-quoted scalars, which JSON strings are).
 */
export function treeSource(post: TreePost): string {
  const source = fixturePosts[post.fixture];
  if (source === undefined) throw new Error(`tree: no fixture ${post.fixture}`);
  const titleLine = `title: '${post.title.replaceAll("'", "''")}'`;
  if (!source.includes(`\n${titleLine}\n`)) throw new Error(`tree: ${post.fixture} is not titled ${JSON.stringify(post.title)}`);
  const block = /\ncategories: *\n(?: - .*\n)+/;
  if (!block.test(source)) throw new Error(`tree: ${post.fixture} has no categories block`);
  const yamlList = (names: string[]) => `[${names.map((n) => JSON.stringify(n)).join(', ')}]`;
  const replacement = `\ncategories: ${yamlList(post.categories)}\n${post.tags.length > 0 ? `tags: ${yamlList(post.tags.map((t) => t.name))}\n` : ''}`;
  return source.replace(block, replacement);
}

/** The tree as `seed` takes it: path → source. */
export function treeFiles(posts: readonly TreePost[] = TREE): Record<string, string> {
  const files: Record<string, string> = {};
  for (const post of posts) files[post.path] = treeSource(post);
  return files;
}
