/**
 * `lang` values: keep only BCP 47 language tags (https://www.rfc-editor.org/rfc/rfc5646) that
 * validators and assistive technology recognise.
 *
 * A pragmatic subset, checked against explicit lists rather than a shape regex, because the
 * shape `[a-z]{2,3}` also matches what feeds put on code samples (`lang="js"`, `lang="py"`):
 *   language[-script][-region]
 * - language: an ISO 639-1 code (two letters, deprecated ones excluded) or one of a few common
 *   three-letter ISO 639-3 codes (Chinese varieties and the like);
 * - script: a common ISO 15924 code (`Hans`, `Hant`, `Latn`…);
 * - region: an ISO 3166-1 alpha-2 code, a private-use one, or `001`/`150`/`419`.
 * Variants, extensions and private-use tags are dropped with the attribute (rare in articles;
 * a wrong `lang` is worse than none, which means "same language as the page"). `lang=""`
 * ("unknown") is kept. Case is kept as written (tags are case-insensitive).
 *
 * On code (`code`, `pre`, `kbd`, `samp`, `var`) and elements whose class names a highlighter
 * language (`language-*`, `lang-*`, `hljs`), `lang` is always dropped: there it names a
 * programming language, and some of those names are also ISO 639-1 codes (`ts` Tsonga,
 * `pl` Polish, `ps` Pashto, `as` Assamese, `ml` Malayalam).
 */

const ISO_639_1 = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ' +
    'ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik ' +
    'io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml ' +
    'mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd ' +
    'se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi ' +
    'vo wa wo xh yi yo za zh zu'
  ).split(' '),
);

/** Three-letter codes worth keeping: Chinese varieties, and a few others seen on the web. */
const ISO_639_3 = new Set(['yue', 'cmn', 'wuu', 'hak', 'nan', 'gan', 'hsn', 'cjy', 'lzh', 'fil', 'haw', 'ast', 'ckb', 'sco', 'gsw', 'nds']);

const SCRIPTS = new Set(
  (
    'latn cyrl grek arab hebr hans hant hani hira kana jpan kore hang bopo deva beng guru gujr orya taml telu ' +
    'knda mlym sinh thai laoo tibt mymr khmr geor armn ethi mong brai'
  ).split(' '),
);

const REGIONS = new Set(
  (
    'ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs bt bv bw by ' +
    'bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et fi fj fk ' +
    'fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir ' +
    'is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ' +
    'ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm ' +
    'pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf ' +
    'tg th tj tk tl tm tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw ' +
    'aa zz qm qn qo qp qq qr qs qt qu qv qw qx qy qz xa xb xc xd xe xf xg xh xi xj xk xl xm xn xo xp xq xr xs xt ' +
    'xu xv xw xx xy xz 001 150 419'
  ).split(' '),
);

/** True for a language tag from the subset above (case-insensitive), or the empty string. */
export function isLanguageTag(value: string): boolean {
  if (value === '') return true;
  const parts = value.toLowerCase().split('-');
  const language = parts[0] ?? '';
  if (!(language.length === 2 ? ISO_639_1.has(language) : ISO_639_3.has(language))) return false;
  let i = 1;
  if (parts[i] !== undefined && parts[i]!.length === 4 && SCRIPTS.has(parts[i]!)) i++;
  if (parts[i] !== undefined && REGIONS.has(parts[i]!)) i++;
  return i === parts.length;
}

const CODE_ELEMENTS = new Set(['code', 'pre', 'kbd', 'samp', 'var']);
const CODE_CLASS = /(?:^|\s)(?:language-|lang-|hljs)/i;

/** The `lang` value to write for an element, or null to drop the attribute. */
export function langAttribute(tag: string, className: string | undefined, value: string): string | null {
  if (CODE_ELEMENTS.has(tag) || (className !== undefined && CODE_CLASS.test(className))) return null;
  const trimmed = value.trim();
  return isLanguageTag(trimmed) ? trimmed : null;
}
