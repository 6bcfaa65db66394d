/**
 * What an upload needs to know about the site, from three sources. Which wins, for each setting:
 *
 *   command-line flag  >  wrangler.toml [vars]  >  the Hexo site's _config.yml  >  default
 *
 * (`--dir` naming a Hexo site root — a folder with `_config.yml` and `source/_posts` — reads its
 * _config.yml; `--dir` naming a posts folder reads none.) The same vars configure the Worker, so
 * what the upload computes (URLs, archive months) and what the Worker shows agree. The site
 * settings the upload publishes for the Worker (title, description, author, language, timezone,
 * url, per_page) come from _config.yml; the Worker's own vars still win over them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isValidTimeZone } from '../content/dates.js';
import type { AbbrlinkAlg, AbbrlinkRep } from '../hexo/abbrlink.js';
import { type HexoSiteConfig, readHexoConfig } from '../hexo/config.js';
import { DEFAULT_PERMALINK, unsupportedPermalinkToken } from '../hexo/permalink.js';
import type { PublishedSite } from '../store/kv-layout.js';

export interface UploadSettings {
  postsDir: string;
  /** The Hexo site root when `--dir` named one (its _config.yml was read). */
  siteRoot: string | null;
  timeZone: string;
  permalink: string;
  abbrlink: { alg: AbbrlinkAlg; rep: AbbrlinkRep };
  filenameCase: 0 | 1 | 2;
  categoryMap: ReadonlyMap<string, string>;
  tagMap: ReadonlyMap<string, string>;
  defaultCategory: string;
  /** Published for the Worker (wrangler vars override them there). */
  site: PublishedSite;
  /** Where each setting came from, for `--verbose`. */
  sources: Map<string, 'flag' | 'wrangler.toml' | '_config.yml' | 'default'>;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export interface SettingsInput {
  /** `--dir`, resolved: a posts folder or a Hexo site root. */
  dir: string;
  flags: { timezone?: string };
  vars: ReadonlyMap<string, string>;
}

/** `--dir` → the posts folder and, for a site root, its _config.yml. */
export function locatePosts(dir: string): { postsDir: string; configFile: string | null } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SettingsError(`${dir}: no such folder`);
  const posts = path.join(dir, 'source', '_posts');
  const config = path.join(dir, '_config.yml');
  if (existsSync(config) && existsSync(posts) && statSync(posts).isDirectory()) return { postsDir: posts, configFile: config };
  return { postsDir: dir, configFile: null };
}

const ALGS = new Set(['crc16', 'crc32']);
const REPS = new Set(['hex', 'dec']);

export function resolveSettings(input: SettingsInput): UploadSettings {
  const { postsDir, configFile } = locatePosts(input.dir);
  let hexo: HexoSiteConfig | null = null;
  if (configFile !== null) hexo = readHexoConfig(readFileSync(configFile, 'utf8'), configFile);
  return settingsFor({ postsDir, siteRoot: configFile === null ? null : path.dirname(configFile), hexo, flags: input.flags, vars: input.vars });
}

/** The settings from already-read sources (pure). */
export function settingsFor(input: {
  postsDir: string;
  siteRoot: string | null;
  hexo: HexoSiteConfig | null;
  flags: { timezone?: string };
  vars: ReadonlyMap<string, string>;
}): UploadSettings {
  const { hexo } = input;
  const sources: UploadSettings['sources'] = new Map();
  const pick = <T>(name: string, flag: T | undefined, varName: string | null, fromConfig: T | undefined, fallback: T, parseVar?: (v: string) => T): T => {
    if (flag !== undefined) {
      sources.set(name, 'flag');
      return flag;
    }
    const v = varName ? input.vars.get(varName) : undefined;
    if (v !== undefined && v.trim() !== '') {
      sources.set(name, 'wrangler.toml');
      return parseVar ? parseVar(v.trim()) : (v.trim() as T);
    }
    if (fromConfig !== undefined) {
      sources.set(name, '_config.yml');
      return fromConfig;
    }
    sources.set(name, 'default');
    return fallback;
  };

  // Hexo's `timezone: ''` is "the machine's zone"; we never read the machine's zone: UTC.
  const timeZone = pick('timezone', input.flags.timezone, 'SITE_TIMEZONE', hexo?.timezone ?? undefined, 'UTC');
  if (!isValidTimeZone(timeZone)) throw new SettingsError(`unknown timezone ${JSON.stringify(timeZone)} (use an IANA name such as Asia/Shanghai)`);
  const permalink = pick('permalink', undefined, 'PERMALINK', hexo?.permalink, DEFAULT_PERMALINK);
  const badToken = unsupportedPermalinkToken(permalink);
  if (badToken) throw new SettingsError(`permalink ${JSON.stringify(permalink)}: ${badToken}`);
  const alg = pick<string>('abbrlink.alg', undefined, 'ABBRLINK_ALG', hexo?.abbrlink.alg, 'crc16');
  const rep = pick<string>('abbrlink.rep', undefined, 'ABBRLINK_REP', hexo?.abbrlink.rep, 'dec');
  if (!ALGS.has(alg)) throw new SettingsError(`ABBRLINK_ALG must be crc16 or crc32, not ${JSON.stringify(alg)}`);
  if (!REPS.has(rep)) throw new SettingsError(`ABBRLINK_REP must be hex or dec, not ${JSON.stringify(rep)}`);

  const site: PublishedSite = {};
  if (hexo) {
    if (hexo.title) site.title = hexo.title;
    if (hexo.description || hexo.subtitle) site.description = hexo.description || hexo.subtitle;
    if (hexo.author) site.author = hexo.author;
    if (hexo.language) site.language = hexo.language;
    // A site served below a path (`root: /blog/`) keeps its origin: this Worker serves from `/`.
    if (hexo.url) site.url = new URL(hexo.url).origin;
    site.perPage = hexo.per_page;
  }
  // The zone archives were grouped in, so the Worker shows the same months.
  site.timezone = timeZone;

  return {
    postsDir: input.postsDir,
    siteRoot: input.siteRoot,
    timeZone,
    permalink,
    abbrlink: { alg: alg as AbbrlinkAlg, rep: rep as AbbrlinkRep },
    filenameCase: hexo?.filename_case ?? 0,
    categoryMap: hexo?.category_map ?? new Map(),
    tagMap: hexo?.tag_map ?? new Map(),
    defaultCategory: hexo?.default_category ?? 'uncategorized',
    site,
    sources,
  };
}
