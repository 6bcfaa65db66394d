/** `<a>`: the link target rewritten and checked, `target`/`rel` made safe and valid. */
import { attr, renderAttributes, type AttrEnv, type Attrs } from './attributes';
import { hasScriptScheme, resolveLink } from './url-policy';

const HANDLED = new Set(['href', 'target', 'rel']);

/** `rel` keywords validators know for links (https://html.spec.whatwg.org/multipage/links.html#linkTypes). */
const REL = new Set([
  'alternate', 'author', 'bookmark', 'external', 'help', 'license', 'next', 'nofollow', 'noopener', 'noreferrer',
  'prev', 'search', 'tag', 'ugc', 'sponsored',
]);

const TARGET_KEYWORDS = new Set(['_blank', '_self', '_parent', '_top']);

function targetValue(value: string | undefined): string | null {
  if (value === undefined || hasScriptScheme(value)) return null;
  const v = value.trim();
  if (v === '') return null;
  if (v.startsWith('_')) return TARGET_KEYWORDS.has(v.toLowerCase()) ? v.toLowerCase() : null;
  return v;
}

export interface RenderedLink {
  /** The start tag as written. */
  open: string;
  /** Without `id`: for a copy reopened after a block split the link. */
  reopen: string;
  /** Without `href`/`target`/`rel`: what the link becomes when it turns out empty. */
  noHref: string;
  /** The same without `id`. */
  noHrefCopy: string;
  hasHref: boolean;
  /** A `title` names the link for assistive technology. */
  titled: boolean;
}

export function renderLink(attrs: Attrs, env: AttrEnv, parentTag: string): RenderedLink {
  const rawHref = attrs.get('href');
  const href = rawHref === undefined ? null : resolveLink(rawHref, env.urls);
  const link: string[] = [];
  if (href !== null) {
    attr(link, 'href', href);
    const target = targetValue(attrs.get('target'));
    if (target !== null) attr(link, 'target', target);
    const rel = (attrs.get('rel') ?? '')
      .toLowerCase()
      .split(/[\t\n\f\r ]+/)
      .filter((t) => REL.has(t));
    // A link that may open a new browsing context must not hand it `window.opener` or a referrer.
    if (target !== null) rel.push('noopener', 'noreferrer');
    const tokens = [...new Set(rel)];
    if (tokens.length > 0) attr(link, 'rel', tokens.join(' '));
  }
  const { id, rest } = renderAttributes('a', 'a', attrs, env, { parentTag, skip: HANDLED });
  const hrefPart = link.join('');
  return {
    open: `<a${hrefPart}${id}${rest}>`,
    reopen: `<a${hrefPart}${rest}>`,
    noHref: `<a${id}${rest}>`,
    noHrefCopy: `<a${rest}>`,
    hasHref: href !== null,
    titled: / title="[^"]*[^"\s][^"]*"/.test(rest),
  };
}
