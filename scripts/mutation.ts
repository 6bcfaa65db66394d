/**
 * `npm run test:mutation [-- <stryker run options>]`: StrykerJS over the modules that carry the
 * project's promises (stryker.config.mjs), then one line per module and the count line CI reads,
 * `mutation: N passed, M failed` (a module passes at a score of 85 % or more).
 *
 *   npm run test:mutation                                         # every module; rewrites docs/mutation.md
 *   npm run test:mutation -- --mutate src/http/conditional.ts     # one module (what CI runs)
 *   npm run test:mutation -- --incremental                        # reuse the last results where nothing changed
 *   npm run test:mutation -- --report-only                        # docs/mutation.md from the last report, no run
 *
 * A run limited with --mutate prints its scores but leaves docs/mutation.md alone (it would list
 * only part of the modules). Exits 1 when Stryker fails or a module is below the threshold.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunInfo, type StrykerReport, THRESHOLD, countLine, passes, renderMarkdown, summarise } from './mutation-report';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORT = path.join(root, 'reports/mutation/mutation.json');
const RUN_INFO = path.join(root, 'reports/mutation/run.json');
const DOC = path.join(root, 'docs/mutation.md');

const INTRO = `
\`npm run test:mutation\` runs [StrykerJS](https://stryker-mutator.io/) (\`@stryker-mutator/core\` with
its Vitest runner; configuration: \`stryker.config.mjs\`) over the modules below: it changes the code
in small ways (a \`<\` for a \`<=\`, a condition for \`true\`, a string for \`""\` …), one change at a time,
and runs the tests that cover it. A change no test notices is a *surviving mutant*: a place where
the code could be wrong and the suite would stay green.

## How to run it

\`\`\`sh
npm run test:mutation                                      # every module below; rewrites this file
npm run test:mutation -- --mutate src/http/conditional.ts  # one module (prints its score only)
npm run test:mutation -- --incremental                     # reuse earlier results where code and tests did not change
npm run test:mutation -- --report-only                     # rewrite this file from the last JSON report
\`\`\`

It prints one line per module and \`mutation: N passed, M failed\` (a module passes at ${THRESHOLD} % or more),
and exits 1 when a module is below that. The full run is too slow for every CI run (see its time
under Scores); CI (\`.ci/run\`) runs it on \`src/http/conditional.ts\` alone (about two minutes on a
busy 2-core machine, most of it Vitest's start-up) as its own counted suite, so the setup cannot rot.
Reports go to \`reports/mutation/\` (git-ignored); the HTML report is not produced.

## What is covered, and why

The Workers pool (\`@cloudflare/vitest-pool-workers\`) cannot host Stryker's test runner (it runs
each test file inside workerd, where Stryker's instrumentation, per-test coverage and mutant
switching are not available), so Stryker runs a separate Node project,
\`vitest.mutation.config.mts\`, holding the **pure** tests of these modules. The modules were chosen
because they carry the project's promises and are pure (no KV, D1, Cache API or fetch):

| module | promise | tests Stryker runs |
| --- | --- | --- |
| \`src/upload/plan.ts\` | what an upload writes: values, list entries and counts (\`derive\`, the diff), deletions, index version | \`tests/node/upload/plan.test.ts\` |
| \`src/upload/execute.ts\` | the write order (values before lists, lists before the index record, unlisted before deleted) | \`tests/node/upload/execute.test.ts\` |
| \`src/upload/settings.ts\` | which setting wins (flag > wrangler.toml > _config.yml > default) | \`tests/node/upload/settings.test.ts\` |
| \`src/content/*.ts\` | front matter, dates, slugs, file names, YAML limits | \`tests/node/content/*.test.ts\` |
| \`src/hexo/*.ts\` | Hexo's URLs: permalinks, abbrlinks, slugize, categories and tags, _config.yml | \`tests/node/hexo/*.test.ts\` |
| \`src/images/url-safety.ts\` | which URLs the image route may fetch (SSRF rules) | \`tests/worker/images/url-safety.test.ts\` (pure: runs in Node unchanged) |
| \`src/images/redirect-policy.ts\` | which redirects it follows | \`tests/node/images/redirect-policy.test.ts\` |
| \`src/rewrite/proxy-url.ts\` | unwrapping the CORS proxy | \`tests/worker/rewrite/unwrap-proxy-url.test.ts\` (pure: runs in Node unchanged) |
| \`src/http/conditional.ts\` | 304s: If-None-Match, If-Modified-Since | \`tests/node/http/conditional.test.ts\` |
| \`src/routes/hexo-paths.ts\` | list URLs both ways (path → list and page, list → href) | \`tests/node/routes/hexo-paths.test.ts\` |
| \`src/store/index-queries.ts\`, \`pageRange\` only (lines 229–235) | which positions a list page shows | \`tests/node/store/page-range.test.ts\` |

The executor's tests drive \`executePlan\` against a recording in-memory \`Store\`: a test double of
the store interface, allowed here because the same order invariant runs against the real Miniflare
KV and D1 in workerd (\`tests/worker/upload/write-order.test.ts\`, which kills the upload after every
single write). The rest of the Worker (routes, rendering, the image route's I/O, the D1 queries) is
tested in workerd and not mutated.
`;

function runStryker(args: string[]): number {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@stryker-mutator/core/package.json');
  const bin = path.join(path.dirname(pkg), 'bin/stryker.js');
  const result = spawnSync(process.execPath, [bin, 'run', ...args], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function main(): number {
  const args = process.argv.slice(2);
  const reportOnly = args.includes('--report-only');
  const partial = args.some((a) => ['--mutate', '-m', '--testFiles', '-t'].includes(a) || a.startsWith('--mutate=') || a.startsWith('--testFiles='));
  let run: RunInfo | null = null;

  if (!reportOnly) {
    rmSync(REPORT, { force: true });
    const started = Date.now();
    const status = runStryker(args);
    run = { seconds: (Date.now() - started) / 1000, date: new Date(started).toISOString() };
    if (status !== 0 || !existsSync(REPORT)) {
      console.error(`test:mutation: Stryker failed (exit ${status})${existsSync(REPORT) ? '' : ' and wrote no report'}`);
      console.log('mutation: 0 passed, 1 failed');
      return 1;
    }
    console.log(`test:mutation: Stryker took ${Math.round(run.seconds)} s`);
  } else if (!existsSync(REPORT)) {
    console.error(`test:mutation: no report at ${path.relative(root, REPORT)}; run npm run test:mutation first`);
    return 1;
  }

  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as StrykerReport;
  const modules = summarise(report);
  for (const m of modules) {
    const score = m.score === null ? 'n/a' : `${m.score.toFixed(1)} %`;
    console.log(`${passes(m) ? 'ok  ' : 'FAIL'} ${m.file}: ${score} (killed ${m.killed}, timeout ${m.timeout}, survived ${m.survived}, no coverage ${m.noCoverage}, equivalent ${m.ignored})`);
  }

  if (partial) {
    console.log('test:mutation: a partial run; docs/mutation.md is not rewritten');
  } else {
    if (run) {
      mkdirSync(path.dirname(RUN_INFO), { recursive: true });
      writeFileSync(RUN_INFO, `${JSON.stringify(run)}\n`);
    } else if (existsSync(RUN_INFO)) {
      run = JSON.parse(readFileSync(RUN_INFO, 'utf8')) as RunInfo;
    }
    writeFileSync(DOC, renderMarkdown(report, run, INTRO));
    console.log(`test:mutation: wrote ${path.relative(root, DOC)}`);
  }
  console.log(countLine(modules));
  return modules.every(passes) ? 0 : 1;
}

process.exitCode = main();
