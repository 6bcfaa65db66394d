// @ts-check
/**
 * Mutation testing (StrykerJS + its Vitest runner): `npm run test:mutation`, or one module with
 * `npm run test:mutation -- --mutate src/http/conditional.ts`. A full run is one Stryker run per
 * group of modules (GROUPS in scripts/mutation.ts, whose `mutate` lists add up to the one below). The tests are vitest.mutation.config.mts
 * (pure Node tests); docs/mutation.md is regenerated from the JSON report by
 * scripts/mutation-report.ts. A mutant shown to be equivalent is marked in src with
 * `// Stryker disable next-line <mutator>: <reason>`; the report lists it with that reason.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mts', related: false },
  mutate: [
    'src/upload/plan.ts',
    'src/upload/execute.ts',
    'src/upload/settings.ts',
    'src/content/*.ts',
    'src/hexo/*.ts',
    'src/images/url-safety.ts',
    'src/images/redirect-policy.ts',
    'src/rewrite/proxy-url.ts',
    'src/http/conditional.ts',
    'src/routes/hexo-paths.ts',
    // Only pageRange is pure; the rest of the file is D1 queries, tested in workerd.
    'src/store/index-queries.ts:75-80',
  ],
  coverageAnalysis: 'perTest',
  // Two cores, shared: never more than two test runners.
  concurrency: 2,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  // Leading `/`: relative to the project root (a bare `content` would also drop src/content).
  ignorePatterns: ['/bench', '/tests/e2e', '/docs', '/.wrangler', '/content', '/dist'],
  // No type checker runs on mutants (Vitest strips types), so nothing needs `// @ts-nocheck`.
  disableTypeChecks: false,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // A mutant that makes a loop endless is stopped after its tests' usual time × 1.5 + this.
  timeoutMS: 5_000,
};
