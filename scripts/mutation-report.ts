/**
 * docs/mutation.md from StrykerJS's JSON report (mutation-testing-report-schema): per module the
 * score and the count of each status, then every surviving (or uncovered) mutant, and every
 * mutant accepted as equivalent with the reason written in its `// Stryker disable next-line`
 * comment. Pure: scripts/mutation.ts reads the report and writes the file.
 *
 * Score = detected / valid = (killed + timeout) / (killed + timeout + survived + no coverage), as
 * Stryker computes it (https://stryker-mutator.io/docs/General/faq/); ignored mutants and those
 * that do not compile are not valid mutants and are not counted.
 */

/** The part of the report this reads (https://github.com/stryker-mutator/mutation-testing-elements). */
export interface Position {
  line: number;
  column: number;
}
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: string;
  statusReason?: string;
}
export interface ReportFile {
  source: string;
  mutants: ReportMutant[];
}
export interface StrykerReport {
  files: Record<string, ReportFile>;
}

/** Every module must reach this score (issue 13). */
export const THRESHOLD = 85;

export interface ModuleSummary {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Accepted as equivalent (a Stryker disable comment with its reason). */
  ignored: number;
  /** Compile and runtime errors: not valid mutants. */
  invalid: number;
  /** Percent, one decimal; null when the module has no valid mutant. */
  score: number | null;
}

export function summarise(report: StrykerReport): ModuleSummary[] {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (...statuses: string[]) => mutants.filter((m) => statuses.includes(m.status)).length;
      const killed = count('Killed');
      const timeout = count('Timeout');
      const survived = count('Survived');
      const noCoverage = count('NoCoverage');
      const valid = killed + timeout + survived + noCoverage;
      return {
        file,
        killed,
        timeout,
        survived,
        noCoverage,
        ignored: count('Ignored'),
        invalid: count('CompileError', 'RuntimeError'),
        score: valid === 0 ? null : Math.floor(((killed + timeout) / valid) * 1000) / 10,
      };
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** True when the module reaches the threshold (a module with no valid mutant does). */
export const passes = (m: ModuleSummary): boolean => m.score === null || m.score >= THRESHOLD;

/** The line .ci/run counts: one suite result per module. */
export function countLine(modules: readonly ModuleSummary[]): string {
  const passed = modules.filter(passes).length;
  return `mutation: ${passed} passed, ${modules.length - passed} failed`;
}

/** The source text a mutant replaced (report positions are 1-based lines and columns). */
export function originalText(source: string, location: { start: Position; end: Position }): string {
  const lines = source.split('\n');
  const { start, end } = location;
  const line = (n: number) => lines[n - 1] ?? '';
  if (start.line === end.line) return line(start.line).slice(start.column - 1, end.column - 1);
  const parts = [line(start.line).slice(start.column - 1)];
  for (let n = start.line + 1; n < end.line; n++) parts.push(line(n));
  parts.push(line(end.line).slice(0, end.column - 1));
  return parts.join('\n');
}

/** Code on one line, shortened, as a Markdown code span. */
export function codeSpan(code: string, max = 90): string {
  let s = code.replace(/\s+/g, ' ').trim();
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  if (s === '') return '(empty)';
  const fence = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

const STATUS_NAMES: Record<string, string> = { Survived: 'survived', NoCoverage: 'no coverage', Ignored: 'equivalent' };

function mutantLine(file: string, source: string, m: ReportMutant): string {
  const where = `${file}:${m.location.start.line}`;
  const change = `${codeSpan(originalText(source, m.location))} → ${codeSpan(m.replacement ?? '')}`;
  const reason = m.status === 'Ignored' ? ` — ${m.statusReason ?? '(no reason given)'}` : '';
  return `- \`${where}\` ${m.mutatorName} (${STATUS_NAMES[m.status] ?? m.status}): ${change}${reason}`;
}

export interface RunInfo {
  /** Wall-clock seconds of the Stryker runs (every group). */
  seconds: number;
  /** ISO date of the run. */
  date: string;
  /** True when results of unchanged mutants and tests were reused (`--incremental`). */
  incremental?: boolean;
  /** The last run that tested every mutant (not incremental). */
  fromScratch?: { seconds: number; date: string };
}

const minutes = (seconds: number) => `${Math.round(seconds / 60)} minutes (${Math.round(seconds)} s)`;

function runLine(run: RunInfo): string {
  const when = `${run.date.slice(0, 10)} ${run.date.slice(11, 16)} UTC`;
  if (!run.incremental) return `Last full run: ${when}, every mutant tested, ${minutes(run.seconds)} with \`concurrency: 2\`.`;
  const scratch = run.fromScratch ? ` The last run that tested every mutant (${run.fromScratch.date.slice(0, 10)} ${run.fromScratch.date.slice(11, 16)} UTC) took ${minutes(run.fromScratch.seconds)}.` : '';
  return `Last full run: ${when}, every module, incremental (Stryker reused the results of mutants whose code and tests had not changed since the run before), ${minutes(run.seconds)} with \`concurrency: 2\`.${scratch}`;
}

const byPosition = (a: ReportMutant, b: ReportMutant) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column;

/** The whole of docs/mutation.md. `intro` is the fixed text (what is covered and why). */
export function renderMarkdown(report: StrykerReport, run: RunInfo | null, intro: string): string {
  const modules = summarise(report);
  const total = modules.reduce(
    (t, m) => ({ killed: t.killed + m.killed, timeout: t.timeout + m.timeout, survived: t.survived + m.survived, noCoverage: t.noCoverage + m.noCoverage, ignored: t.ignored + m.ignored }),
    { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 },
  );
  const pct = (m: ModuleSummary) => (m.score === null ? 'n/a' : `${m.score.toFixed(1)} %`);
  const out: string[] = [];
  out.push('# Mutation testing', '');
  out.push('<!-- Generated by `npm run test:mutation` (scripts/mutation.ts, scripts/mutation-report.ts) from StrykerJS\'s JSON report. Do not edit by hand. -->', '');
  out.push(intro.trim(), '');
  out.push('## Scores', '');
  if (run) out.push(runLine(run), '');
  out.push(`Every module must score at least ${THRESHOLD} %. Score = (killed + timeout) / (killed + timeout + survived + no coverage); mutants accepted as equivalent are not counted.`, '');
  out.push('| module | score | killed | timeout | survived | no coverage | equivalent |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of modules) {
    out.push(`| \`${m.file}\` | ${pct(m)}${passes(m) ? '' : ' (below the threshold)'} | ${m.killed} | ${m.timeout} | ${m.survived} | ${m.noCoverage} | ${m.ignored} |`);
  }
  const valid = total.killed + total.timeout + total.survived + total.noCoverage;
  const overall = valid === 0 ? 'n/a' : `${(Math.floor(((total.killed + total.timeout) / valid) * 1000) / 10).toFixed(1)} %`;
  out.push(`| **all** | **${overall}** | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${total.ignored} |`, '');

  out.push('## Surviving mutants', '');
  out.push('Each is a change to the code that no test notices: `file:line`, mutator, original → replacement.', '');
  let anySurvivor = false;
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const left = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage').sort(byPosition);
    if (left.length === 0) continue;
    anySurvivor = true;
    out.push(`### \`${file}\``, '', ...left.map((m) => mutantLine(file, source, m)), '');
  }
  if (!anySurvivor) out.push('None.', '');

  out.push('## Accepted as equivalent', '');
  out.push('Mutants that cannot change what the code does (so no test can kill them), each marked in the source with `// Stryker disable next-line <mutator>: <reason>`.', '');
  let anyIgnored = false;
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ignored = mutants.filter((m) => m.status === 'Ignored').sort(byPosition);
    if (ignored.length === 0) continue;
    anyIgnored = true;
    out.push(`### \`${file}\``, '', ...ignored.map((m) => mutantLine(file, source, m)), '');
  }
  if (!anyIgnored) out.push('None.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
