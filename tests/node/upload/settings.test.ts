/**
 * Where each upload setting comes from (src/upload/settings.ts): flag > wrangler.toml var >
 * _config.yml > default, and what is published for the Worker. Pure (`settingsFor`) with every
 * expected value written out; `locatePosts`/`resolveSettings` against temporary folders.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HexoSiteConfig } from '../../../src/hexo/config';
import { SettingsError, locatePosts, resolveSettings, settingsFor } from '../../../src/upload/settings';

/** Hexo's defaults, written out (lib/hexo/default_config.ts and hexo-abbrlink's). */
const HEXO_DEFAULTS: HexoSiteConfig = {
  title: 'Hexo',
  subtitle: '',
  description: '',
  author: 'John Doe',
  language: 'en',
  timezone: null,
  url: 'http://example.com',
  root: '/',
  per_page: 10,
  index_per_page: 10,
  permalink: ':year/:month/:day/:title/',
  pagination_dir: 'page',
  category_dir: 'categories',
  tag_dir: 'tags',
  archive_dir: 'archives',
  default_category: 'uncategorized',
  filename_case: 0,
  category_map: new Map(),
  tag_map: new Map(),
  abbrlink: { alg: 'crc16', rep: 'dec' },
  search: null,
};

type Input = Parameters<typeof settingsFor>[0];
const input = (extra: Partial<Input> = {}): Input => ({ postsDir: '/posts', siteRoot: null, hexo: null, flags: {}, vars: new Map(), ...extra });
const hexo = (extra: Partial<HexoSiteConfig> = {}): HexoSiteConfig => ({ ...HEXO_DEFAULTS, ...extra });

describe('settingsFor: defaults', () => {
  it('uses the defaults when nothing is configured', () => {
    const s = settingsFor(input());
    expect(s).toStrictEqual({
      postsDir: '/posts',
      siteRoot: null,
      timeZone: 'UTC',
      permalink: ':year/:month/:day/:title/',
      abbrlink: { alg: 'crc16', rep: 'dec' },
      filenameCase: 0,
      categoryMap: new Map(),
      tagMap: new Map(),
      defaultCategory: 'uncategorized',
      site: { timezone: 'UTC' },
      sources: new Map([
        ['timezone', 'default'],
        ['permalink', 'default'],
        ['abbrlink.alg', 'default'],
        ['abbrlink.rep', 'default'],
      ]),
    });
  });
});

describe('settingsFor: which source wins', () => {
  it.each<[string, Partial<Input>, string, string]>([
    ['the flag over the var and the config', { flags: { timezone: 'Asia/Tokyo' }, vars: new Map([['SITE_TIMEZONE', 'Europe/Paris']]), hexo: hexo({ timezone: 'America/New_York' }) }, 'Asia/Tokyo', 'flag'],
    ['the var over the config', { vars: new Map([['SITE_TIMEZONE', 'Europe/Paris']]), hexo: hexo({ timezone: 'America/New_York' }) }, 'Europe/Paris', 'wrangler.toml'],
    ['the var, trimmed', { vars: new Map([['SITE_TIMEZONE', '  Europe/Paris \t']]) }, 'Europe/Paris', 'wrangler.toml'],
    ['the config when the var is blank', { vars: new Map([['SITE_TIMEZONE', '  ']]), hexo: hexo({ timezone: 'America/New_York' }) }, 'America/New_York', '_config.yml'],
    ['the config when the var is empty', { vars: new Map([['SITE_TIMEZONE', '']]), hexo: hexo({ timezone: 'America/New_York' }) }, 'America/New_York', '_config.yml'],
    ['UTC when the config leaves it empty (never the machine\'s zone)', { hexo: hexo({ timezone: null }) }, 'UTC', 'default'],
    ['another var is not read', { vars: new Map([['TIMEZONE', 'Europe/Paris']]) }, 'UTC', 'default'],
  ])('timezone: %s', (_name, extra, zone, source) => {
    const s = settingsFor(input(extra));
    expect(s.timeZone).toBe(zone);
    expect(s.site.timezone).toBe(zone);
    expect(s.sources.get('timezone')).toBe(source);
  });

  it.each<[string, Partial<Input>, string, string]>([
    ['the var', { vars: new Map([['PERMALINK', ' p/:abbrlink.html ']]), hexo: hexo({ permalink: ':title/' }) }, 'p/:abbrlink.html', 'wrangler.toml'],
    ['the config', { hexo: hexo({ permalink: ':title/' }) }, ':title/', '_config.yml'],
    ['the default', {}, ':year/:month/:day/:title/', 'default'],
  ])('permalink: %s', (_name, extra, permalink, source) => {
    const s = settingsFor(input(extra));
    expect(s.permalink).toBe(permalink);
    expect(s.sources.get('permalink')).toBe(source);
  });

  it.each<[string, Partial<Input>, { alg: string; rep: string }, string, string]>([
    ['the vars', { vars: new Map([['ABBRLINK_ALG', 'crc32'], ['ABBRLINK_REP', 'hex']]), hexo: hexo({ abbrlink: { alg: 'crc16', rep: 'dec' } }) }, { alg: 'crc32', rep: 'hex' }, 'wrangler.toml', 'wrangler.toml'],
    ['the config', { hexo: hexo({ abbrlink: { alg: 'crc32', rep: 'hex' } }) }, { alg: 'crc32', rep: 'hex' }, '_config.yml', '_config.yml'],
    ['one var, one config', { vars: new Map([['ABBRLINK_REP', 'hex']]), hexo: hexo({ abbrlink: { alg: 'crc32', rep: 'dec' } }) }, { alg: 'crc32', rep: 'hex' }, '_config.yml', 'wrangler.toml'],
  ])('abbrlink: %s', (_name, extra, abbrlink, algSource, repSource) => {
    const s = settingsFor(input(extra));
    expect(s.abbrlink).toEqual(abbrlink);
    expect([s.sources.get('abbrlink.alg'), s.sources.get('abbrlink.rep')]).toEqual([algSource, repSource]);
  });
});

describe('settingsFor: refuses', () => {
  it.each<[string, Partial<Input>, string]>([
    ['an unknown timezone flag', { flags: { timezone: 'Mars/Olympus_Mons' } }, 'unknown timezone "Mars/Olympus_Mons" (use an IANA name such as Asia/Shanghai)'],
    ['an unknown timezone var', { vars: new Map([['SITE_TIMEZONE', 'Nowhere']]) }, 'unknown timezone "Nowhere" (use an IANA name such as Asia/Shanghai)'],
    ['a permalink token Hexo does not have', { vars: new Map([['PERMALINK', ':foo/:title']]) }, 'permalink ":foo/:title": foo'],
    ['another abbrlink algorithm', { vars: new Map([['ABBRLINK_ALG', 'md5']]) }, 'ABBRLINK_ALG must be crc16 or crc32, not "md5"'],
    ['another abbrlink representation', { vars: new Map([['ABBRLINK_REP', 'oct']]) }, 'ABBRLINK_REP must be hex or dec, not "oct"'],
  ])('%s', (_name, extra, message) => {
    let caught: unknown = null;
    try {
      settingsFor(input(extra));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    expect((caught as Error).message).toBe(message);
    expect((caught as Error).name).toBe('SettingsError');
  });
});

describe('settingsFor: what is published for the Worker', () => {
  it('publishes the config\'s site fields, the origin of its url, and the zone', () => {
    const s = settingsFor(input({
      hexo: hexo({ title: 'News', description: 'All of it', subtitle: 'ignored', author: 'Ed', language: 'zh-CN', url: 'https://news.example.com/blog', per_page: 25 }),
      vars: new Map([['SITE_TIMEZONE', 'Asia/Shanghai']]),
    }));
    expect(s.site).toStrictEqual({ title: 'News', description: 'All of it', author: 'Ed', language: 'zh-CN', url: 'https://news.example.com', perPage: 25, timezone: 'Asia/Shanghai' });
  });

  it('uses the subtitle as the description when there is no description', () => {
    expect(settingsFor(input({ hexo: hexo({ description: '', subtitle: 'Sub' }) })).site.description).toBe('Sub');
  });

  it('leaves out empty fields, and publishes per_page 0 (no pagination)', () => {
    const s = settingsFor(input({ hexo: hexo({ title: '', description: '', subtitle: '', author: '', language: '', url: '', per_page: 0 }) }));
    expect(s.site).toStrictEqual({ perPage: 0, timezone: 'UTC' });
  });

  it('takes the posts\' rules from the config', () => {
    const s = settingsFor(input({ siteRoot: '/site', hexo: hexo({ filename_case: 2, category_map: new Map([['新闻', 'news']]), tag_map: new Map([['A', 'a']]), default_category: 'misc' }) }));
    expect([s.siteRoot, s.filenameCase, s.categoryMap, s.tagMap, s.defaultCategory]).toEqual(['/site', 2, new Map([['新闻', 'news']]), new Map([['A', 'a']]), 'misc']);
  });
});

describe('locatePosts and resolveSettings', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ecp-settings-'));
    // A Hexo site root, a plain posts folder, a folder with _config.yml but no source/_posts,
    // one whose source/_posts is a file, and a file.
    await mkdir(path.join(root, 'site', 'source', '_posts'), { recursive: true });
    await writeFile(path.join(root, 'site', '_config.yml'), 'title: From config\ntimezone: Asia/Tokyo\npermalink: p/:abbrlink.html\n');
    await mkdir(path.join(root, 'posts'));
    await mkdir(path.join(root, 'config-only'));
    await writeFile(path.join(root, 'config-only', '_config.yml'), 'title: x\n');
    await mkdir(path.join(root, 'posts-file', 'source'), { recursive: true });
    await writeFile(path.join(root, 'posts-file', '_config.yml'), 'title: x\n');
    await writeFile(path.join(root, 'posts-file', 'source', '_posts'), 'not a folder');
    await mkdir(path.join(root, 'no-config', 'source', '_posts'), { recursive: true });
    await writeFile(path.join(root, 'a-file.md'), '');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each<[string, string, string, string | null]>([
    ['a Hexo site root', 'site', 'site/source/_posts', 'site/_config.yml'],
    ['a posts folder', 'posts', 'posts', null],
    ['a folder with _config.yml but no source/_posts', 'config-only', 'config-only', null],
    ['a folder whose source/_posts is a file', 'posts-file', 'posts-file', null],
    ['a folder with source/_posts but no _config.yml', 'no-config', 'no-config', null],
  ])('locates %s', (_name, dir, postsDir, configFile) => {
    expect(locatePosts(path.join(root, dir))).toEqual({ postsDir: path.join(root, postsDir), configFile: configFile === null ? null : path.join(root, configFile) });
  });

  it.each([['a missing folder', 'missing'], ['a file', 'a-file.md']])('refuses %s', (_name, dir) => {
    const full = path.join(root, dir);
    expect(() => locatePosts(full)).toThrow(new SettingsError(`${full}: no such folder`));
  });

  it('reads a site root\'s _config.yml', () => {
    const s = resolveSettings({ dir: path.join(root, 'site'), flags: {}, vars: new Map() });
    expect([s.postsDir, s.siteRoot, s.timeZone, s.permalink, s.site.title]).toEqual([path.join(root, 'site', 'source', '_posts'), path.join(root, 'site'), 'Asia/Tokyo', 'p/:abbrlink.html', 'From config']);
    expect(s.sources.get('timezone')).toBe('_config.yml');
  });

  it('reads no config for a posts folder', () => {
    const s = resolveSettings({ dir: path.join(root, 'posts'), flags: { timezone: 'Europe/Paris' }, vars: new Map() });
    expect([s.postsDir, s.siteRoot, s.timeZone, s.site]).toStrictEqual([path.join(root, 'posts'), null, 'Europe/Paris', { timezone: 'Europe/Paris' }]);
  });
});
