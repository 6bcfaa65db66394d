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
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
npm run test:mutation -- --incremental                     # the same, reusing results where code and tests did not change
npm run test:mutation -- --group hexo                      # one group of modules (see below; prints its scores only)
npm run test:mutation -- --mutate src/http/conditional.ts  # one module (prints its score only)
npm run test:mutation -- --report-only                     # rewrite this file from the last reports
\`\`\`

It prints one line per module and \`mutation: N passed, M failed\` (a module passes at ${THRESHOLD} % or more),
and exits 1 when a module is below that. The full run is too slow for every CI run (see its time
under Scores); CI (\`.ci/run\`) runs it on \`src/http/conditional.ts\` alone (about two minutes on a
busy 2-core machine, most of it Vitest's start-up) as its own counted suite, so the setup cannot rot.
Reports go to \`reports/mutation/\` (git-ignored; \`groups/<group>.json\` per group, and
\`incremental-<group>.json\` for \`--incremental\`); the HTML report is not produced.

## What is covered, and why

The Workers pool (\`@cloudflare/vitest-pool-workers\`) cannot host Stryker's test runner (it runs
each test file inside workerd, where Stryker's instrumentation, per-test coverage and mutant
switching are not available), so Stryker runs a separate Node project,
\`vitest.mutation.config.mts\`, holding the **pure** tests of these modules. The modules were chosen
because they carry the project's promises and are pure (no KV, D1, Cache API or fetch).

A full run is four Stryker runs, one per group (\`GROUPS\` in \`scripts/mutation.ts\`), and a mutant
is tested by its own group's tests only, never by another module's:

| group | module | promise | tests Stryker runs |
| --- | --- | --- | --- |
| upload | \`src/upload/plan.ts\` | what an upload writes: values, list entries and counts (\`derive\`, the diff), deletions, index version | \`tests/node/upload/plan.test.ts\`, \`execute.test.ts\`, \`settings.test.ts\` |
| upload | \`src/upload/execute.ts\` | the write order (values before lists, lists before the index record, unlisted before deleted) | (the same three) |
| upload | \`src/upload/settings.ts\` | which setting wins (flag > wrangler.toml > _config.yml > default) | (the same three) |
| content | \`src/content/*.ts\` | front matter, dates, slugs, file names, languages, YAML limits | \`tests/node/content/*.test.ts\` |
| hexo | \`src/hexo/*.ts\` | Hexo's URLs: permalinks, abbrlinks, slugize, categories and tags, _config.yml | \`tests/node/hexo/*.test.ts\` |
| worker | \`src/images/url-safety.ts\` | which URLs the image route may fetch (SSRF rules) | \`tests/worker/images/url-safety.test.ts\` (pure: runs in Node unchanged) and the five below |
| worker | \`src/images/redirect-policy.ts\` | which redirects it follows | \`tests/node/images/redirect-policy.test.ts\` |
| worker | \`src/rewrite/proxy-url.ts\` | unwrapping the CORS proxy | \`tests/worker/rewrite/unwrap-proxy-url.test.ts\` (pure: runs in Node unchanged) |
| worker | \`src/http/conditional.ts\` | 304s: If-None-Match, If-Modified-Since | \`tests/node/http/conditional.test.ts\` |
| worker | \`src/routes/hexo-paths.ts\` | list URLs both ways (path → list and page, list → href) | \`tests/node/routes/hexo-paths.test.ts\` |
| worker | \`src/store/index-queries.ts\`, \`pageRange\` only (lines 75–80) | which positions a list page shows | \`tests/worker/store/page-range.test.ts\` (pure: runs in Node unchanged) |

Why groups: a *static* mutant (code that runs once, when its module loads: escape-diacritic's
table, a regular expression or a list defined at the top of a file) cannot be switched on per test,
so Stryker reloads everything and runs every test for it. Run as one project, the 684 static
mutants ran all 1,380 tests each and took most of the time; per group, they run their group's few
files, slow ones last (\`vitest.mutation.config.mts\`), and most stop at the first failing test. The
group's tests are chosen with an environment variable that narrows the project's \`include\`, not
with Stryker's \`--testFiles\`: with that option, Stryker 9.6 switches static mutants on only after
the modules have loaded, so every static mutant survives.

The executor's tests drive \`executePlan\` against a recording in-memory \`Store\`: a test double of
the store interface, allowed here because the same order invariant runs against the real Miniflare
KV and D1 in workerd (\`tests/worker/upload/write-order.test.ts\`, which kills the upload after every
single write). The rest of the Worker (routes, rendering, the image route's I/O, the D1 queries) is
tested in workerd and not mutated.
`;

/**
 * A full run is one Stryker run per group, each mutating the group's modules and running only the
 * group's tests (the table above), through ECP_MUTATION_TESTS (vitest.mutation.config.mts). Each
 * mutant is then tested by its own module's tests only, and a static mutant (code run once, when a
 * module loads, such as escape-diacritic's table), which Stryker tests against every test, runs the
 * group's few files instead of all of them: that is most of the time saved.
 * Keep the union of `mutate` equal to stryker.config.mjs's `mutate`.
 */
export const GROUPS: readonly { name: string; mutate: readonly string[]; tests: readonly string[] }[] = [
  {
    name: 'upload',
    mutate: ['src/upload/plan.ts', 'src/upload/execute.ts', 'src/upload/settings.ts'],
    tests: ['tests/node/upload/plan.test.ts', 'tests/node/upload/execute.test.ts', 'tests/node/upload/settings.test.ts'],
  },
  { name: 'content', mutate: ['src/content/*.ts'], tests: ['tests/node/content/**/*.test.ts'] },
  { name: 'hexo', mutate: ['src/hexo/*.ts'], tests: ['tests/node/hexo/**/*.test.ts'] },
  {
    name: 'worker',
    mutate: [
      'src/images/url-safety.ts',
      'src/images/redirect-policy.ts',
      'src/rewrite/proxy-url.ts',
      'src/http/conditional.ts',
      'src/routes/hexo-paths.ts',
      // Only pageRange (lines 75–80: move the range when the file changes) is pure; the rest of the
      // file is D1 queries, tested in workerd.
      'src/store/index-queries.ts:75-80',
    ],
    tests: [
      'tests/worker/images/url-safety.test.ts',
      'tests/node/images/redirect-policy.test.ts',
      'tests/worker/rewrite/unwrap-proxy-url.test.ts',
      'tests/node/http/conditional.test.ts',
      'tests/node/routes/hexo-paths.test.ts',
      'tests/worker/store/page-range.test.ts',
    ],
  },
];

const GROUP_DIR = path.join(root, 'reports/mutation/groups');
const incrementalFile = (group: string) => path.join(root, `reports/mutation/incremental-${group}.json`);

function runStryker(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@stryker-mutator/core/package.json');
  const bin = path.join(path.dirname(pkg), 'bin/stryker.js');
  const result = spawnSync(process.execPath, [bin, 'run', ...args], { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

/** Every group's last report as one. */
function mergedReport(): StrykerReport {
  const merged: StrykerReport = { files: {} };
  for (const group of GROUPS) {
    const file = path.join(GROUP_DIR, `${group.name}.json`);
    if (!existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run npm run test:mutation first`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as StrykerReport;
    Object.assign(merged.files, report.files);
    // A named file with no mutants at all is a stale path or line range, not a clean module.
    for (const entry of group.mutate.filter((m) => !m.includes('*'))) {
      const name = entry.replace(/:[\d:-]+$/, '');
      if (!report.files[name]?.mutants.length) throw new Error(`${entry} (group ${group.name}) gave no mutants: is the path or line range stale?`);
    }
  }
  return merged;
}

/** One group (or all of them); the time taken, or null when a Stryker run failed. */
function runGroups(groups: typeof GROUPS, args: string[]): number | null {
  mkdirSync(GROUP_DIR, { recursive: true });
  const started = Date.now();
  for (const group of groups) {
    rmSync(REPORT, { force: true });
    const groupStarted = Date.now();
    console.log(`test:mutation: group ${group.name} (${group.mutate.join(', ')})`);
    const status = runStryker(
      [...args, '--mutate', group.mutate.join(','), '--incrementalFile', path.relative(root, incrementalFile(group.name))],
      { ...process.env, ECP_MUTATION_TESTS: group.tests.join(',') },
    );
    if (status !== 0 || !existsSync(REPORT)) {
      console.error(`test:mutation: Stryker failed on group ${group.name} (exit ${status})${existsSync(REPORT) ? '' : ' and wrote no report'}`);
      return null;
    }
    renameSync(REPORT, path.join(GROUP_DIR, `${group.name}.json`));
    console.log(`test:mutation: group ${group.name} took ${Math.round((Date.now() - groupStarted) / 1000)} s`);
  }
  return (Date.now() - started) / 1000;
}

function printScores(modules: ReturnType<typeof summarise>): void {
  for (const m of modules) {
    const score = m.score === null ? 'n/a' : `${m.score.toFixed(1)} %`;
    console.log(`${passes(m) ? 'ok  ' : 'FAIL'} ${m.file}: ${score} (killed ${m.killed}, timeout ${m.timeout}, survived ${m.survived}, no coverage ${m.noCoverage}, equivalent ${m.ignored})`);
  }
}

function main(): number {
  const args = process.argv.slice(2);
  const reportOnly = args.includes('--report-only');
  const groupAt = args.indexOf('--group');
  const partial = args.some((a) => ['--mutate', '-m', '--testFiles', '-t'].includes(a) || a.startsWith('--mutate=') || a.startsWith('--testFiles='));

  if (partial) {
    // One module with the given options, as CI runs it: a single Stryker run, scores printed only.
    // `--testFiles a,b` becomes ECP_MUTATION_TESTS (see vitest.mutation.config.mts): Stryker's own
    // option would leave every static mutant switched off.
    const at = args.findIndex((a) => a === '--testFiles' || a === '-t');
    const inline = args.find((a) => a.startsWith('--testFiles='));
    const tests = at !== -1 ? args[at + 1] : inline?.slice('--testFiles='.length);
    const rest = args.filter((a, i) => a !== inline && (at === -1 || (i !== at && i !== at + 1)));
    rmSync(REPORT, { force: true });
    const status = runStryker(rest, tests ? { ...process.env, ECP_MUTATION_TESTS: tests } : process.env);
    if (status !== 0 || !existsSync(REPORT)) {
      console.error(`test:mutation: Stryker failed (exit ${status})${existsSync(REPORT) ? '' : ' and wrote no report'}`);
      console.log('mutation: 0 passed, 1 failed');
      return 1;
    }
    const modules = summarise(JSON.parse(readFileSync(REPORT, 'utf8')) as StrykerReport);
    printScores(modules);
    console.log('test:mutation: a partial run; docs/mutation.md is not rewritten');
    console.log(countLine(modules));
    return modules.every(passes) ? 0 : 1;
  }

  if (groupAt !== -1) {
    // One group (npm run test:mutation -- --group hexo [--incremental]): its scores, no docs.
    const name = args[groupAt + 1];
    const group = GROUPS.find((g) => g.name === name);
    if (!group) {
      console.error(`test:mutation: --group takes one of ${GROUPS.map((g) => g.name).join(', ')}`);
      return 1;
    }
    const rest = args.filter((_, i) => i !== groupAt && i !== groupAt + 1);
    if (runGroups([group], rest) === null) {
      console.log('mutation: 0 passed, 1 failed');
      return 1;
    }
    const modules = summarise(JSON.parse(readFileSync(path.join(GROUP_DIR, `${group.name}.json`), 'utf8')) as StrykerReport);
    printScores(modules);
    console.log('test:mutation: one group; docs/mutation.md is not rewritten');
    console.log(countLine(modules));
    return modules.every(passes) ? 0 : 1;
  }

  let run: RunInfo | null = null;
  if (!reportOnly) {
    const incremental = args.includes('--incremental') && GROUPS.every((g) => existsSync(incrementalFile(g.name)));
    const previous = existsSync(RUN_INFO) ? (JSON.parse(readFileSync(RUN_INFO, 'utf8')) as RunInfo) : null;
    const startedAt = new Date().toISOString();
    const seconds = runGroups(GROUPS, args);
    if (seconds === null) {
      console.log('mutation: 0 passed, 1 failed');
      return 1;
    }
    console.log(`test:mutation: Stryker took ${Math.round(seconds)} s`);
    run = incremental
      ? { seconds, date: startedAt, incremental: true, ...(previous?.fromScratch ? { fromScratch: previous.fromScratch } : {}) }
      : { seconds, date: startedAt, incremental: false, fromScratch: { seconds, date: startedAt } };
    mkdirSync(path.dirname(RUN_INFO), { recursive: true });
    writeFileSync(RUN_INFO, `${JSON.stringify(run)}\n`);
  } else if (existsSync(RUN_INFO)) {
    run = JSON.parse(readFileSync(RUN_INFO, 'utf8')) as RunInfo;
  }

  let report: StrykerReport;
  try {
    report = mergedReport();
  } catch (error) {
    console.error(`test:mutation: ${(error as Error).message}`);
    return 1;
  }
  const modules = summarise(report);
  printScores(modules);
  writeFileSync(DOC, renderMarkdown(report, run, INTRO));
  console.log(`test:mutation: wrote ${path.relative(root, DOC)}`);
  console.log(countLine(modules));
  return modules.every(passes) ? 0 : 1;
}

process.exitCode = main();
