import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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

// The three slow files (about 9 of the 13 seconds) run last. Stryker runs every test against each
// static mutant (code run once, when a module loads), one file after another, and stops at the first
// failure: most static mutants are killed by a fast file, so they never wait for these.
const SLOW_LAST = ['tests/node/hexo/abbrlink.test.ts', 'tests/node/content/safe-yaml.test.ts', 'tests/node/content/dates.test.ts'];

class SlowFilesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => SLOW_LAST.findIndex((slow) => f.moduleId.replaceAll('\\', '/').endsWith(slow));
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    name: 'mutation',
    environment: 'node',
    // scripts/mutation.ts runs Stryker once per group of modules, each with that group's tests only
    // (ECP_MUTATION_TESTS: comma-separated globs). Not Stryker's --testFiles: with it, Stryker
    // activates static mutants only after the modules have loaded, so they all survive.
    include: process.env.ECP_MUTATION_TESTS ? process.env.ECP_MUTATION_TESTS.split(',') : MUTATION_TESTS,
    testTimeout: 60_000,
    sequence: { sequencer: SlowFilesLast },
  },
});
