/**
 * The search index on a real D1 (Miniflare's SQLite with FTS5), built from the 61 real posts the
 * way the upload builds it: queries written from the corpus find their article, the results are
 * exactly the articles that contain the terms (checked against a brute-force oracle), editing
 * and deleting update the results, hostile input never errors, and paging covers every match.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchQuery, parseSearchQuery } from '../../../src/search/query';
import { SEARCH_SCHEMA, type SearchPageResult, searchPage } from '../../../src/search/sql';
import { HOSTILE_QUERIES } from './hostile-queries';
import { type SearchTestDb, type TestArticle, deleteArticle, fixtureArticles, openSearchDb, oracle, putArticle } from './search-db';

const articles = fixtureArticles();
const slugOf = (prefix: string): string => {
  const a = articles.find((x) => x.slug.startsWith(prefix));
  if (!a) throw new Error(`no fixture ${prefix}`);
  return a.slug;
};

function parsed(raw: string): SearchQuery {
  const q = parseSearchQuery(raw);
  if ('error' in q) throw new Error(`too long: ${raw}`);
  return q;
}

let t: SearchTestDb;

async function allSlugs(q: SearchQuery, cap?: number, pageSize = 7): Promise<{ slugs: string[]; pages: SearchPageResult[] }> {
  const first = await searchPage(t.db, q, 1, pageSize, { cap });
  const pages = [first];
  for (let p = 2; p <= first.pages; p++) pages.push(await searchPage(t.db, q, p, pageSize, { cap }));
  return { slugs: pages.flatMap((r) => r.rows.map((row) => row.slug)), pages };
}

beforeAll(async () => {
  t = await openSearchDb();
  for (const a of articles) await putArticle(t.db, a);
}, 120_000);

afterAll(async () => {
  await t?.dispose();
});

describe('queries written from the corpus find their article in the top 3', () => {
  // [query, fixture number, what kind of query]
  const cases: [string, string, string][] = [
    // Distinctive title phrases.
    ['离线激活', '01', 'title phrase'],
    ['笔记本变砖', '02', 'title phrase'],
    ['图灵机', '03', 'title phrase'],
    ['三角形渲染', '04', 'title phrase'],
    ['音乐编程语言', '05', 'title phrase'],
    ['ASCII猫图', '07', 'title phrase, mixed scripts'],
    ['Passwordstate 后门', '08', 'title words'],
    ['一站式问题分析', '13', 'title phrase'],
    ['边缘网络方案', '15', 'title phrase'],
    ['延长使用寿命', '16', 'title phrase'],
    ['B端权限设计', '17', 'title phrase, mixed'],
    ['入睡最健康', '19', 'title phrase'],
    ['虚拟内存', '24', 'title phrase'],
    ['渗透测试框架', '29', 'title phrase'],
    ['传统右键菜单', '30', 'title phrase'],
    ['蒙特卡洛', '36', 'title phrase'],
    ['文本纠错', '42', 'title phrase'],
    ['夏休み', '43', 'Japanese title'],
    ['Bouşcă', '46', 'Latin diacritics'],
    ['bousca', '46', 'Latin diacritics folded'],
    ['极简教程', '47', 'title phrase'],
    ['史诗级', '56', 'title phrase'],
    ['介观自组织', '60', 'title phrase'],
    // Two-character words that occur in one body only (not in its title).
    ['疫苗', '00', 'two-character body word'],
    ['网线', '01', 'two-character body word'],
    ['主板', '02', 'two-character body word'],
    ['瑞典', '03', 'two-character body word'],
    ['乐谱', '05', 'two-character body word'],
    ['黑屏', '07', 'two-character body word'],
    ['鸡蛋', '08', 'two-character body word'],
    ['猴岛', '12', 'two-character body word'],
    ['颗粒', '16', 'two-character body word'],
    ['岗位', '17', 'two-character body word'],
    ['微码', '20', 'two-character body word'],
    ['勒索', '23', 'two-character body word'],
    ['方差', '25', 'two-character body word'],
    ['侦听', '29', 'two-character body word'],
    ['平局', '35', 'two-character body word'],
    ['炉石', '36', 'two-character body word'],
    ['阈值', '39', 'two-character body word'],
    ['枯燥', '42', 'two-character body word'],
    ['解耦', '47', 'two-character body word'],
    ['财报', '49', 'two-character body word'],
    ['锐龙', '57', 'two-character body word'],
    ['华硕', '58', 'two-character body word'],
    ['卓越', '60', 'two-character body word'],
    // English words in the body.
    ['Clojure', '05', 'English body word'],
    ['Kubernetes', '15', 'English body word'],
    ['Vulkan', '04', 'English body word'],
    ['mimikatz', '23', 'English body word'],
    ['SameSite', '18', 'English body word'],
    ['Bugzilla', '11', 'English body word'],
    // Terms inside code blocks.
    ['combineReducers', '47', 'code term'],
    ['useState', '28', 'code term'],
    ['msfconsole', '29', 'code term'],
    ['piano', '05', 'code term'],
    // Mixed queries and versions.
    ['Linux 5.16', '41', 'mixed, version'],
    ['Linux 5.15', '40', 'mixed, version'],
    ['AVX-512', '51', 'mixed'],
    ['Zen 4', '57', 'mixed'],
    ['ATX 3.0', '58', 'mixed'],
    ['Firefox 92', '38', 'mixed'],
    ['ＷＩＮ１１ 离线', '01', 'full-width, mixed'],
    ['"Windows Hello"', '52', 'quoted phrase'],
  ];

  it.each(cases)('%s → %s (%s)', async (query, fixture) => {
    const result = await searchPage(t.db, parsed(query), 1, 3);
    expect(result.rows.map((r) => r.slug)).toContain(slugOf(fixture));
  });

  it('finds a one-character query (猫: only the ASCII-cat post has it)', async () => {
    const result = await searchPage(t.db, parsed('猫'), 1, 10);
    expect(result.rows.map((r) => r.slug)).toEqual([slugOf('07')]);
  });
});

describe('results are exactly the articles that contain every term (brute-force oracle)', () => {
  const queries = ['芯片', '华为', '苹果', '漏洞', '微软', '英特尔', 'Win11 漏洞', 'iPhone 13', 'Linux', '猫', '云', 'a', 'Windows 11', '"开源 中国"', '内存 Linux', 'AI 算法'];

  it.each(queries)('%s', async (raw) => {
    const q = parsed(raw);
    const { slugs } = await allSlugs(q);
    expect(new Set(slugs)).toEqual(oracle(articles, q.terms));
    expect(slugs.length).toBe(new Set(slugs).size);
  });

  it('holds for random queries made of corpus words', async () => {
    const words = ['芯片', '华为', '苹果', '漏洞', '微软', 'linux', 'windows', '11', '系统', '安全', '的', '发布', '猫', '中', 'ai', '数据', '用户', '苹果芯片', '开源'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }), fc.boolean(), async (ws, quoted) => {
        const q = parsed(quoted ? `"${ws.join(' ')}"` : ws.join(' '));
        const { slugs } = await allSlugs(q, undefined, 20);
        expect(new Set(slugs)).toEqual(oracle(articles, q.terms));
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('hostile input', () => {
  it.each(HOSTILE_QUERIES.map((h) => [h.name, h.raw] as const))('%s: no error, and the literal words are what is searched', async (_name, raw) => {
    const q = parsed(raw);
    const { slugs, pages } = await allSlugs(q);
    expect(new Set(slugs)).toEqual(oracle(articles, q.terms));
    expect(pages[0]?.total).toBe(slugs.length);
  });

  it('searches the literal words of an FTS5-looking query, not an FTS5 expression', async () => {
    // Run raw, `苹果 OR 芯片` would find articles with either word; as text it needs all three.
    const literal = await allSlugs(parsed('苹果 OR 芯片'));
    const either = oracle(articles, ['苹果']).size + oracle(articles, ['芯片']).size;
    expect(either).toBeGreaterThan(0);
    expect(new Set(literal.slugs)).toEqual(oracle(articles, ['苹果', 'or', '芯片']));
  });

  it('never errors for arbitrary input', async () => {
    const unit = fc.constantFrom(...'"“”*^-+():{}NEAROTD ,\u0000\ud800a华为芯片猫'.split(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 })), async (raw) => {
        const q = parsed(raw);
        const result = await searchPage(t.db, q, 1, 5);
        expect(result.total).toBe(oracle(articles, q.terms).size);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('paging', () => {
  it('puts every match on exactly one page, also when the match set is larger than the rank cap', async () => {
    for (const raw of ['的', 'a', '发布', '的 是']) {
      const q = parsed(raw);
      const expected = oracle(articles, q.terms);
      expect(expected.size).toBeGreaterThan(5);
      for (const cap of [5, 8, 1000]) {
        for (const pageSize of [3, 7]) {
          const { slugs, pages } = await allSlugs(q, cap, pageSize);
          expect(slugs.length, `${raw} cap ${cap}`).toBe(expected.size);
          expect(new Set(slugs)).toEqual(expected);
          for (const p of pages.slice(0, -1)) expect(p.rows).toHaveLength(pageSize);
        }
      }
    }
  }, 120_000);

  it('above the cap, lists the articles with every term in the title first', async () => {
    const q = parsed('发布');
    const { slugs } = await allSlugs(q, 3, 5);
    const inTitle = new Set(articles.filter((a) => a.title.includes('发布')).map((a) => a.slug));
    expect(inTitle.size).toBeGreaterThan(3);
    expect(new Set(slugs.slice(0, inTitle.size))).toEqual(inTitle);
  });

  it('gives no rows past the last page, and nothing for an empty query', async () => {
    const past = await searchPage(t.db, parsed('芯片'), 99, 10);
    expect(past.rows).toEqual([]);
    expect(past.total).toBeGreaterThan(0);
    for (const page of [1e9, Number.MAX_SAFE_INTEGER]) {
      expect((await searchPage(t.db, parsed('芯片'), page, 10)).rows).toEqual([]);
      expect((await searchPage(t.db, parsed('的'), page, 10, { cap: 5 })).rows).toEqual([]);
    }
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(await searchPage(t.db, parsed('芯片'), bad, 10)).toMatchObject({ rows: [], total: 0 });
    const empty = await searchPage(t.db, parsed('   '), 1, 10);
    expect(empty).toMatchObject({ rows: [], total: 0, pages: 0 });
    expect(empty.meta.roundTrips).toBe(0);
  });

  it('answers a query with few matches in one round trip, and reports D1 rows read', async () => {
    const r = await searchPage(t.db, parsed('芯片'), 1, 10);
    expect(r.meta.roundTrips).toBe(1);
    expect(r.meta.statements).toBe(3);
    const phrase = await searchPage(t.db, parsed('华为手机'), 1, 10);
    expect(phrase.meta).toMatchObject({ roundTrips: 1, statements: 1 });
    expect(r.meta.rowsRead).toBeGreaterThan(0);
  });

  it('above the cap, ranks windows in a second round trip (single-token) or counts first (phrase)', async () => {
    const token = await searchPage(t.db, parsed('的'), 1, 10, { cap: 5 });
    expect(token.meta.roundTrips).toBe(2);
    expect(token.total).toBe(oracle(articles, ['的']).size);
    expect(token.rows).toHaveLength(10);
    const phrase = await searchPage(t.db, parsed('win11'), 1, 3, { cap: 2 });
    expect(phrase.meta.roundTrips).toBe(3);
    expect(phrase.total).toBe(oracle(articles, ['win11']).size);
    expect(phrase.total).toBeGreaterThan(2);
    expect(phrase.rows).toHaveLength(3);
  });
});

describe('ranking', () => {
  const extra = (id: number, slug: string, title: string, date: string, text: string): TestArticle => ({ id, slug, title, date, text });

  it('ranks a title match above body-only matches, and breaks ties newest first', async () => {
    await putArticle(t.db, extra(1001, 'rank-body', '一篇文章', '2030-01-03T00:00:00.000Z', '蒸汽朋克 蒸汽朋克 蒸汽朋克 的故事'));
    await putArticle(t.db, extra(1002, 'rank-title-old', '蒸汽朋克', '2030-01-01T00:00:00.000Z', '正文'));
    await putArticle(t.db, extra(1003, 'rank-title-new', '蒸汽朋克', '2030-01-02T00:00:00.000Z', '正文'));
    const r = await searchPage(t.db, parsed('蒸汽朋克'), 1, 10);
    expect(r.rows.map((x) => x.slug)).toEqual(['rank-title-new', 'rank-title-old', 'rank-body']);
    expect(r.rows[0]).toMatchObject({ id: 1003, title: '蒸汽朋克', date: '2030-01-02T00:00:00.000Z', text: '正文' });
    for (const id of [1001, 1002, 1003]) await deleteArticle(t.db, id);
    expect((await searchPage(t.db, parsed('蒸汽朋克'), 1, 10)).total).toBe(0);
  });
});

describe('editing and deleting', () => {
  it('re-indexes an edited article: new words found, old words gone, no duplicate', async () => {
    const original = articles.find((a) => a.slug === slugOf('05')) as TestArticle;
    expect((await searchPage(t.db, parsed('乐谱'), 1, 10)).rows.map((r) => r.slug)).toEqual([original.slug]);
    await putArticle(t.db, { ...original, title: 'Alda 3 改名发布', text: '赛博朋克风格的新版本', date: '2031-05-01T00:00:00.000Z' });
    expect((await searchPage(t.db, parsed('乐谱'), 1, 10)).total).toBe(0);
    const found = await searchPage(t.db, parsed('赛博朋克'), 1, 10);
    expect(found.rows.map((r) => r.slug)).toEqual([original.slug]);
    expect(found.rows[0]).toMatchObject({ title: 'Alda 3 改名发布', text: '赛博朋克风格的新版本' });
    expect((await searchPage(t.db, parsed('Alda'), 1, 10)).rows.filter((r) => r.slug === original.slug)).toHaveLength(1);
    await putArticle(t.db, original);
    expect((await searchPage(t.db, parsed('赛博朋克'), 1, 10)).total).toBe(0);
    expect((await searchPage(t.db, parsed('乐谱'), 1, 10)).rows.map((r) => r.slug)).toEqual([original.slug]);
  });

  it('leaves no trace of a deleted article', async () => {
    const cat = articles.find((a) => a.slug === slugOf('07')) as TestArticle;
    await deleteArticle(t.db, cat.id);
    expect((await searchPage(t.db, parsed('猫'), 1, 10)).total).toBe(0);
    expect((await searchPage(t.db, parsed('ASCII猫图'), 1, 10)).total).toBe(0);
    expect(await t.db.all('SELECT count(*) AS n FROM search_text WHERE article_id = ?1', cat.id)).toEqual([{ n: 0 }]);
    // The FTS index holds no row for it either: a word only it had matches nothing.
    expect(await t.db.all(`SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH '"黑屏"'`)).toEqual([{ n: 0 }]);
    await putArticle(t.db, cat);
    expect((await searchPage(t.db, parsed('猫'), 1, 10)).rows.map((r) => r.slug)).toEqual([cat.slug]);
  });
});

describe('schema', () => {
  it('migrations/0002_search.sql holds the same statements as SEARCH_SCHEMA', () => {
    const sql = readFileSync(path.resolve(__dirname, '../../../migrations/0002_search.sql'), 'utf8');
    const statements = sql
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n')
      .split(';')
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s !== '');
    expect(statements).toEqual(SEARCH_SCHEMA.map((s) => s.replace(/\s+/g, ' ').trim()));
  });
});
