// Reads Vitest's JSON report (`--reporter=json --outputFile.json=FILE`) and prints one line for
// .ci/run: `PASSED FAILED SKIPPED BROKEN UNALLOWED`, where SKIPPED counts skipped and todo tests,
// BROKEN the test files that failed without a failed test (they did not load, or a hook threw),
// and UNALLOWED the skipped/todo tests that .ci/allowed-skips does not list. Their names go to
// stderr, so CI says which tests did not run.
//
//   node .ci/vitest-counts.mjs REPORT.json .ci/allowed-skips
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [reportFile, allowFile] = process.argv.slice(2);
if (!reportFile || !allowFile) {
  console.error('usage: node .ci/vitest-counts.mjs REPORT.json ALLOWED-SKIPS');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'));

// One allowed skip per line: `tests/path.test.ts > full test name`; `#` starts a comment line.
const allowed = new Set(
  readFileSync(allowFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

const root = process.cwd();
const notRun = [];
let broken = 0;
for (const file of report.testResults) {
  const tests = file.assertionResults;
  if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) broken++;
  for (const t of tests) {
    if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') {
      notRun.push(`${path.relative(root, file.name)} > ${t.fullName}`);
    }
  }
}
const unallowed = notRun.filter((name) => !allowed.has(name));
for (const name of notRun) console.error(`${allowed.has(name) ? 'skipped (allowed in .ci/allowed-skips)' : 'SKIPPED'}: ${name}`);
for (const name of allowed) {
  if (!notRun.includes(name)) console.error(`note: .ci/allowed-skips lists a test that was not skipped (remove it): ${name}`);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} ${report.numFailedTests} ${skipped} ${broken} ${unallowed.length}`);
