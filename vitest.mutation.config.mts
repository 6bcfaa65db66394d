import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (stryker.config.mjs). The Workers pool
// (@cloudflare/vitest-pool-workers) cannot host Stryker's runner, so this is a plain Node project
// holding the pure tests of the mutated modules: the Node tests, plus the three workerd tests that
// import only vitest, fast-check and src (url-safety, unwrap-proxy-url, page-range) and so run
// unchanged in Node.
// The list is docs/mutation.md's "which tests" section; keep them in step.
export const MUTATION_TESTS = [
  'tests/node/content/**/*.test.ts',
  'tests/node/hexo/**/*.test.ts',
  'tests/node/http/**/*.test.ts',
  'tests/node/images/**/*.test.ts',
  'tests/node/routes/**/*.test.ts',
  'tests/node/upload/plan.test.ts',
  'tests/node/upload/execute.test.ts',
  'tests/node/upload/settings.test.ts',
  'tests/worker/images/url-safety.test.ts',
  'tests/worker/rewrite/unwrap-proxy-url.test.ts',
  'tests/worker/store/page-range.test.ts',
];

export default defineConfig({
  test: {
    name: 'mutation',
    environment: 'node',
    include: MUTATION_TESTS,
    testTimeout: 60_000,
  },
});
