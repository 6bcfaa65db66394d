/**
 * axe-core (through @axe-core/playwright, which injects it through the DevTools protocol, so the
 * pages' `script-src 'none'` does not stop it) on the page as shown: every rule axe runs by
 * default (WCAG 2.0–2.2 A/AA and best practices) plus `target-size` (WCAG 2.2 SC 2.5.8, 24×24 px
 * tap targets; off by default in axe), judged in the colour scheme the context emulates.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** One line per failing node: `axe <rule> (<impact>): <selector>: <first reason>`. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } }).analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => {
      const reason = (n.failureSummary ?? '').split('\n').find((l) => l.trim() !== '' && !/^Fix (any|all) of the following:$/.test(l.trim())) ?? '';
      return `axe ${v.id} (${v.impact ?? 'n/a'}): ${n.target.join(' ')}: ${reason.trim()}`;
    }),
  );
}
