/**
 * A small, strict XML 1.0 well-formedness checker (linkedom's XML parser is lenient and accepts
 * broken documents). It checks: every character is an XML Char; an optional XML declaration only
 * at the very start; exactly one root element; balanced, properly nested tags; names; quoted
 * attribute values without `<`, no duplicate attributes; every `&` starting a predefined entity
 * or a character reference to a legal Char; no `]]>` in text; comments, PIs and CDATA closed.
 * DOCTYPEs are rejected (feeds and sitemaps have none). Returns the problems (empty = well-formed).
 */

const NAME = /^[A-Za-z_:\u00C0-\uFFFD][A-Za-z0-9._:\-\u00B7\u00C0-\uFFFD]*/;
const INVALID_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const WS = /^[ \t\r\n]*/;

function isXmlCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Problems with the references in a run of character data or an attribute value. */
function checkReferences(text: string, where: string, problems: string[]): void {
  const re = /&([^;&\s<]*);?/g;
  for (const m of text.matchAll(re)) {
    const ref = m[0];
    const body = m[1] ?? '';
    if (!ref.endsWith(';')) {
      problems.push(`${where}: bare '&' (${JSON.stringify(text.slice(m.index, m.index + 12))})`);
      continue;
    }
    if (/^(lt|gt|amp|quot|apos)$/.test(body)) continue;
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (!num) {
      problems.push(`${where}: undefined entity &${body};`);
      continue;
    }
    const cp = num[1] !== undefined ? Number.parseInt(num[1], 16) : Number.parseInt(num[2]!, 10);
    if (!isXmlCodePoint(cp)) problems.push(`${where}: character reference to an illegal character &${body};`);
  }
}

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const bad = INVALID_CHAR.exec(xml);
  if (bad) problems.push(`illegal character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${bad.index}`);

  let i = 0;
  const stack: string[] = [];
  let rootSeen = false;
  const at = () => `offset ${i}`;

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) return [...problems, 'unterminated XML declaration'];
    const decl = xml.slice(0, end + 2);
    if (!/^<\?xml\s+version=(["'])1\.[0-9]+\1(\s+encoding=(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone=(["'])(yes|no)\5)?\s*\?>$/.test(decl)) {
      problems.push(`malformed XML declaration ${decl}`);
    }
    i = end + 2;
  }

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.length > 0) {
      if (stack.length === 0) {
        if (text.trim() !== '') problems.push(`${at()}: text outside the root element`);
      } else {
        if (text.includes(']]>')) problems.push(`${at()}: ']]>' in character data`);
        checkReferences(text, at(), problems);
      }
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) return [...problems, `${at()}: unterminated comment`];
      if (xml.slice(i + 4, end).includes('--') || xml[end - 1] === '-') problems.push(`${at()}: '--' inside a comment`);
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) problems.push(`${at()}: CDATA outside the root element`);
      const end = xml.indexOf(']]>', i + 9);
      if (end < 0) return [...problems, `${at()}: unterminated CDATA section`];
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) return [...problems, `${at()}: unterminated processing instruction`];
      const target = NAME.exec(xml.slice(i + 2))?.[0];
      if (!target || /^xml$/i.test(target)) problems.push(`${at()}: bad processing instruction target`);
      i = end + 2;
    } else if (xml.startsWith('<!', i)) {
      return [...problems, `${at()}: DOCTYPE or other declaration not allowed here`];
    } else if (xml.startsWith('</', i)) {
      const name = NAME.exec(xml.slice(i + 2))?.[0];
      if (!name) return [...problems, `${at()}: bad end tag`];
      let j = i + 2 + name.length;
      j += WS.exec(xml.slice(j))![0].length;
      if (xml[j] !== '>') return [...problems, `${at()}: malformed end tag </${name}`];
      const open = stack.pop();
      if (open !== name) problems.push(`${at()}: </${name}> closes <${open ?? '(nothing)'}>`);
      i = j + 1;
    } else {
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      if (!name) return [...problems, `${at()}: '<' not starting a tag`];
      if (stack.length === 0) {
        if (rootSeen) problems.push(`${at()}: second root element <${name}>`);
        rootSeen = true;
      }
      let j = i + 1 + name.length;
      const attrs = new Set<string>();
      for (;;) {
        const ws = WS.exec(xml.slice(j))![0].length;
        j += ws;
        if (xml.startsWith('/>', j)) {
          j += 2;
          break;
        }
        if (xml[j] === '>') {
          j += 1;
          stack.push(name);
          break;
        }
        if (ws === 0) return [...problems, `${at()}: missing whitespace before an attribute in <${name}>`];
        const attr = NAME.exec(xml.slice(j))?.[0];
        if (!attr) return [...problems, `${at()}: bad attribute in <${name}>`];
        if (attrs.has(attr)) problems.push(`${at()}: duplicate attribute ${attr} in <${name}>`);
        attrs.add(attr);
        j += attr.length;
        j += WS.exec(xml.slice(j))![0].length;
        if (xml[j] !== '=') return [...problems, `${at()}: attribute ${attr} without a value`];
        j += 1;
        j += WS.exec(xml.slice(j))![0].length;
        const quote = xml[j];
        if (quote !== '"' && quote !== "'") return [...problems, `${at()}: unquoted attribute ${attr}`];
        const end = xml.indexOf(quote, j + 1);
        if (end < 0) return [...problems, `${at()}: unterminated attribute ${attr}`];
        const value = xml.slice(j + 1, end);
        if (value.includes('<')) problems.push(`${at()}: '<' in attribute ${attr}`);
        checkReferences(value, `${at()} attribute ${attr}`, problems);
        j = end + 1;
      }
      i = j;
    }
  }
  if (!rootSeen) problems.push('no root element');
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(' > ')}`);
  return problems;
}

/** Throws with every problem when `xml` is not well-formed. */
export function assertWellFormedXml(xml: string): void {
  const problems = xmlProblems(xml);
  if (problems.length > 0) throw new Error(`not well-formed XML:\n- ${problems.slice(0, 20).join('\n- ')}`);
}
