/**
 * npm run upload -- [--local [--persist-to DIR] | --remote] [--dir DIR] [--prune [--allow-empty]]
 *                   [--dry-run] [--timezone ZONE] [--json] [--verbose]
 *
 * Exit codes: 0 done, 1 invalid input (nothing written), 2 usage error, 3 write failure (what was
 * written is consistent; running again finishes). One summary line on stdout (or, with --json,
 * one JSON object); warnings and errors on stderr.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cloudflareApi } from './cloudflare-api.js';
import { openLocalStore } from './local-store.js';
import { WranglerConfigError, projectRoot, readWranglerConfig } from './project.js';
import { openRemoteStore } from './remote-store.js';
import { searchIndexer } from './search-index.js';
import { upload } from './upload.js';

const USAGE =
  'usage: npm run upload -- [--local [--persist-to DIR] | --remote] [--dir DIR] [--prune [--allow-empty]] [--dry-run] [--timezone ZONE] [--json] [--verbose]';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        local: { type: 'boolean' },
        remote: { type: 'boolean' },
        dir: { type: 'string' },
        prune: { type: 'boolean' },
        'allow-empty': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        timezone: { type: 'string' },
        'persist-to': { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.local && args.remote) {
    console.error(`--local and --remote are exclusive\n${USAGE}`);
    return 2;
  }
  if (args['allow-empty'] && !args.prune) {
    console.error(`--allow-empty only makes sense with --prune\n${USAGE}`);
    return 2;
  }
  let wrangler;
  try {
    wrangler = readWranglerConfig();
  } catch (error) {
    if (error instanceof WranglerConfigError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let api = null;
  if (args.remote) {
    const token = process.env.CLOUDFLARE_API_TOKEN;
    const accountId = process.env.CLOUDFLARE_ACCOUNT_ID || wrangler.accountId;
    if (!token || !accountId) {
      console.error(
        'error: --remote needs CLOUDFLARE_API_TOKEN (a token with Workers KV Storage: Edit and D1: Edit) and the account id ' +
          '(CLOUDFLARE_ACCOUNT_ID, or account_id in wrangler.toml)',
      );
      return 2;
    }
    api = cloudflareApi({ token, accountId, log: (l) => console.error(l) });
  }
  // --dir is resolved against where the user ran the command; the local store always lives in the project.
  const dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.dir ?? path.join(projectRoot, 'content'));
  const started = Date.now();
  const outcome = await upload(
    {
      dir,
      prune: args.prune,
      allowEmpty: args['allow-empty'],
      dryRun: args['dry-run'],
      flags: { timezone: args.timezone },
      vars: wrangler.vars,
      migrationsDir: wrangler.migrationsDir,
      search: searchIndexer(),
      log: (line) => {
        if (args.verbose || args['dry-run']) console.error(line);
      },
    },
    async () => {
      const ids = { kvNamespaceId: wrangler.kvNamespaceId, d1DatabaseId: wrangler.d1DatabaseId };
      const persistTo = args['persist-to'] ? path.resolve(process.env.INIT_CWD ?? process.cwd(), args['persist-to']) : undefined;
      return api ? openRemoteStore(api, ids) : openLocalStore(projectRoot, ids, persistTo);
    },
  );
  for (const w of outcome.warnings) console.error(w);
  if (!outcome.ok) {
    for (const e of outcome.errors) console.error(`error: ${e}`);
    console.error(`${outcome.errors.length} problem(s) in ${dir}; nothing was written.`);
    if (args.json) console.log(JSON.stringify({ ok: false, errors: outcome.errors, warnings: outcome.warnings.length }));
    return 1;
  }
  if (args.verbose) for (const [name, source] of outcome.settings.sources) console.error(`setting ${name} from ${source}`);
  if (args.json) {
    console.log(JSON.stringify({ ok: true, ...outcome.summary, warnings: outcome.warnings.length, durationMs: Date.now() - started }));
  } else {
    console.log(outcome.line);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`upload failed: ${(error as Error).message}`);
    process.exit(3);
  },
);
