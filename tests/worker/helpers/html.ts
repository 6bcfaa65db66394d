import { parseHTML } from 'linkedom/worker';

/** Every attribute value of every element, for "nothing left in any attribute" checks. */
export function allAttributes(html: string): { tag: string; name: string; value: string }[] {
  const { document } = parseHTML(html);
  const out: { tag: string; name: string; value: string }[] = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) out.push({ tag: el.tagName.toLowerCase(), name: attr.name, value: attr.value });
  }
  return out;
}

export function parse(html: string) {
  return parseHTML(html).document;
}
