/**
 * `npm run deploy` refuses to publish a Worker that would sign image URLs with a public key or
 * point its absolute links at localhost:
 *
 * - SITE_URL (wrangler.toml `[vars]`, `[env.NAME.vars]` with `--env NAME`, or `--var SITE_URL:…`)
 *   must be set and must not be a local origin;
 * - IMAGE_SIGNING_KEY must exist as a secret of the Worker in the account
 *   (`wrangler secret list`). Its value cannot be read back; the Worker itself refuses the
 *   development key on a non-local SITE_URL (src/images/signing-key.ts).
 *
 * Then it runs `wrangler deploy` with the same arguments. `--dry-run` deploys nothing and skips
 * both checks. The wrangler runner is injected, so tests drive this exact logic.
 */
import { isLocalOrigin } from '../images/signing-key';
import { optionValue, siteUrlArgument } from './dev-plan';
import type { WranglerProject } from './project-config';

export const SECRET_NAME = 'IMAGE_SIGNING_KEY';
export const PUT_SECRET_COMMAND = 'openssl rand -base64 32 | npx wrangler secret put IMAGE_SIGNING_KEY';

export interface WranglerRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DeployDeps {
  /** The arguments after `npm run deploy --` (passed on to `wrangler deploy`). */
  args: readonly string[];
  project: WranglerProject;
  /** Runs `wrangler <args>`: output captured when `capture`, else shown to the user. */
  runWrangler(args: string[], options: { capture: boolean }): Promise<WranglerRun>;
  log(line: string): void;
  error(line: string): void;
}

/** `--env NAME`, `-e NAME` or `--env=NAME`, or null. */
export function envFromArgs(args: readonly string[]): string | null {
  return optionValue(args, '--env') ?? optionValue(args, '-e');
}

/** The SITE_URL the deployed Worker would get, and where it comes from (for messages). */
export function deployedSiteUrl(args: readonly string[], project: WranglerProject): { value: string | null; where: string } {
  const given = siteUrlArgument(args);
  if (given !== null) return { value: given, where: '--var SITE_URL' };
  const env = envFromArgs(args);
  if (env !== null) {
    // wrangler does not inherit [vars] into environments.
    return { value: project.envs.get(env)?.vars.get('SITE_URL') ?? null, where: `wrangler.toml [env.${env}.vars]` };
  }
  return { value: project.vars.get('SITE_URL') ?? null, where: 'wrangler.toml [vars]' };
}

/** Why SITE_URL `value` cannot be deployed, or null. */
export function siteUrlProblem(value: string | null, where: string): string | null {
  const fix = 'set it to the site\'s public origin (e.g. SITE_URL = "https://news.example.com")';
  if (value === null || value.trim() === '') return `SITE_URL is not set in ${where} (the Worker would use http://localhost:8787): ${fix}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `SITE_URL in ${where} is not a URL (${value}): ${fix}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `SITE_URL in ${where} is not an http(s) origin (${value}): ${fix}`;
  if (isLocalOrigin(value)) return `SITE_URL in ${where} is ${value}, a local origin: ${fix}`;
  return null;
}

/** Secret names from `wrangler secret list --format json` output, or null when it is not that. */
export function parseSecretList(stdout: string): string[] | null {
  const start = stdout.indexOf('[');
  if (start < 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.slice(start));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const names: string[] = [];
  for (const entry of parsed) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { name?: unknown }).name !== 'string') return null;
    names.push((entry as { name: string }).name);
  }
  return names;
}

/** `wrangler secret list` arguments for the Worker that `deploy <args>` targets. */
export function secretListArgs(args: readonly string[]): string[] {
  const out = ['secret', 'list', '--format', 'json'];
  const env = envFromArgs(args);
  if (env !== null) out.push('--env', env);
  const name = optionValue(args, '--name');
  if (name !== null) out.push('--name', name);
  const config = optionValue(args, '--config') ?? optionValue(args, '-c');
  if (config !== null) out.push('--config', config);
  return out;
}

/** The line of wrangler's output that says what went wrong: its `[ERROR]` line, else the last one. */
export function wranglerError(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim())
    .filter((line) => line !== '' && !line.startsWith('🪵') && !/^[─⛅]/.test(line));
  const error = lines.find((line) => line.includes('[ERROR]'));
  return (error ? error.slice(error.indexOf('[ERROR]') + '[ERROR]'.length).trim() : lines.pop()) ?? '';
}

/** Checks, then deploys. Resolves with the exit code for the process. */
export async function deploy(deps: DeployDeps): Promise<number> {
  const { args, project } = deps;
  const refuse = (why: string, fix?: string): number => {
    deps.error(`deploy: refused: ${why}`);
    if (fix) deps.error(`  ${fix}`);
    return 1;
  };

  if (args.includes('--dry-run')) {
    deps.log('deploy: --dry-run deploys nothing: SITE_URL and secret checks skipped');
    return (await deps.runWrangler(['deploy', ...args], { capture: false })).code;
  }

  const site = deployedSiteUrl(args, project);
  const siteProblem = siteUrlProblem(site.value, site.where);
  if (siteProblem !== null) return refuse(siteProblem);

  const worker = optionValue(args, '--name') ?? project.name;
  const listed = await deps.runWrangler(secretListArgs(args), { capture: true });
  if (listed.code !== 0) {
    const output = `${listed.stdout}\n${listed.stderr}`;
    if (/not found/i.test(output)) {
      return refuse(`the Worker "${worker}" does not exist in the account yet, so it has no ${SECRET_NAME} secret. Create both at once, then deploy again:`, PUT_SECRET_COMMAND);
    }
    return refuse(
      `could not list the secrets of "${worker}" (\`wrangler ${secretListArgs(args).join(' ')}\` exited ${listed.code}: ${wranglerError(output) || 'no output'}).`,
      'Log in with `npx wrangler login` (or set CLOUDFLARE_API_TOKEN) and try again.',
    );
  }
  const names = parseSecretList(listed.stdout);
  if (names === null) return refuse(`could not read the output of \`wrangler ${secretListArgs(args).join(' ')}\` (expected a JSON list of secrets).`);
  if (!names.includes(SECRET_NAME)) {
    return refuse(`the Worker "${worker}" has no ${SECRET_NAME} secret (without it every image URL fails; with the development key the image route would be an open proxy). Set a long random one, then deploy again:`, PUT_SECRET_COMMAND);
  }

  deps.log(`deploy: ${SECRET_NAME} is set for "${worker}"; SITE_URL ${site.value} (${site.where})`);
  return (await deps.runWrangler(['deploy', ...args], { capture: false })).code;
}
