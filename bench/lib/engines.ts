/**
 * Three ways to rewrite an article body's image URLs, for the engine comparison:
 * - linkedom: the project's rewriteBody (parse, full allowlist sanitising, excerpt, serialise);
 * - lol-html: the npm `htmlrewriter` wasm build of lol-html, driven synchronously (its raw
 *   rewriter, no Response/stream wrapper), with element handlers for img/source/a/video that
 *   rewrite proxy URLs (and route others) exactly like the project does, plus removal of the
 *   elements the sanitiser removes (script, iframe, …). No attribute allowlist, no excerpt.
 * - string: a regex over `src`/`data-original` attribute values; no parsing, no sanitising.
 * lol-html and string are therefore lower bounds for an equivalent of what linkedom does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import initLolHtml, { HTMLRewriter as RawRewriter } from 'htmlrewriter/dist/html_rewriter.js';
import { type RewriteOptions, rewriteBody, rewriteImageUrl } from '../../src/rewrite/rewrite-html.js';
import { REMOVE } from '../../src/rewrite/policy.js';
import { unwrapProxyUrl } from '../../src/rewrite/proxy-url.js';
import { parseSrcset, serializeSrcset } from '../../src/rewrite/srcset.js';
import { projectRoot } from './project.js';

export type EngineName = 'linkedom' | 'lol-html' | 'string';
export const ENGINES: EngineName[] = ['linkedom', 'lol-html', 'string'];

export type Engine = (html: string) => string;

/** Minimal shape of lol-html's element object. */
interface LolElement {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  remove(): void;
}

let lolReady: Promise<void> | null = null;

export function initEngines(): Promise<void> {
  lolReady ??= (async () => {
    const wasm = readFileSync(path.join(projectRoot, 'node_modules', 'htmlrewriter', 'dist', 'html_rewriter_bg.wasm'));
    await initLolHtml(new WebAssembly.Module(wasm));
  })();
  return lolReady;
}

export function makeEngines(options: RewriteOptions): Record<EngineName, Engine> {
  const image = (value: string) => rewriteImageUrl(value, options);
  const srcset = (value: string): string | null => {
    const out = [];
    for (const c of parseSrcset(value)) {
      const url = image(c.url);
      if (url !== null) out.push({ url, descriptor: c.descriptor });
    }
    return out.length > 0 ? serializeSrcset(out) : null;
  };
  const setOrDrop = (el: LolElement, name: string, value: string | null) => {
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
  };
  const rewriteAttr = (el: LolElement, name: string, fn: (v: string) => string | null) => {
    const v = el.getAttribute(name);
    if (v !== null) setOrDrop(el, name, fn(v));
  };
  const link = (value: string): string | null => {
    const target = unwrapProxyUrl(value, options.proxyPrefixes);
    return target === null ? value : image(target);
  };

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const removeSelector = [...REMOVE].join(', ');

  const lolHtml: Engine = (html) => {
    const chunks: Uint8Array[] = [];
    const rewriter = new RawRewriter((chunk: Uint8Array) => {
      if (chunk.length > 0) chunks.push(chunk.slice());
    }, { enableEsiTags: false });
    try {
      rewriter.on('img', {
        element(el: LolElement) {
          rewriteAttr(el, 'src', image);
          rewriteAttr(el, 'data-original', image);
          rewriteAttr(el, 'data-src', image);
          rewriteAttr(el, 'srcset', srcset);
        },
      });
      rewriter.on('source', { element: (el: LolElement) => (rewriteAttr(el, 'srcset', srcset), rewriteAttr(el, 'src', link)) });
      rewriter.on('video', { element: (el: LolElement) => rewriteAttr(el, 'poster', image) });
      rewriter.on('a[href]', { element: (el: LolElement) => rewriteAttr(el, 'href', link) });
      rewriter.on(removeSelector, { element: (el: LolElement) => el.remove() });
      rewriter.write(encoder.encode(html));
      rewriter.end();
    } finally {
      rewriter.free();
    }
    let total = 0;
    for (const c of chunks) total += c.length;
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return decoder.decode(all);
  };

  const ATTR = /(\s(?:src|data-original)\s*=\s*)(["'])([^"']*)\2/gi;
  const stringScan: Engine = (html) =>
    html.replace(ATTR, (whole, lead: string, quote: string, value: string) => {
      const url = image(value.replace(/&amp;/g, '&'));
      return url === null ? whole : `${lead}${quote}${url.replace(/&/g, '&amp;')}${quote}`;
    });

  return {
    linkedom: (html) => rewriteBody(html, options).html,
    'lol-html': lolHtml,
    string: stringScan,
  };
}

/** How many of our image-route URLs an output contains (a sanity check across engines). */
export function countRoutes(html: string): number {
  return html.match(/\/img\/[A-Za-z0-9_-]{22}\//g)?.length ?? 0;
}
