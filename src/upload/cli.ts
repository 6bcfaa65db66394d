/**
 * npm run upload -- [--local | --remote] [--dir DIR] [--prune] [--dry-run] [--timezone ZONE]
 *
 * Exit codes: 0 done, 1 invalid input (nothing written), 2 usage error, 3 write failure.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isValidTimeZone } from '../content/dates.js';
import { openLocalKv } from './local-kv.js';
import { BINDING, projectRoot, readNamespaceId } from './project.js';
import { openRemoteKv } from './remote-kv.js';
import { upload } from './upload.js';

const USAGE = 'usage: npm run upload -- [--local | --remote] [--dir DIR] [--prune] [--dry-run] [--timezone ZONE] [--verbose]';

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
        'dry-run': { type: 'boolean' },
        timezone: { type: 'string' },
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
  const timeZone = args.timezone ?? process.env.POST_TIMEZONE ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    console.error(`unknown timezone ${JSON.stringify(timeZone)} (use an IANA name such as Asia/Shanghai)`);
    return 2;
  }
  // --dir is resolved against where the user ran the command; the store always lives in the project.
  const dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.dir ?? path.join(projectRoot, 'content'));
  const log = (line: string) => {
    if (args.verbose || args['dry-run']) console.error(line);
  };

  const outcome = await upload(
    { dir, prune: args.prune, dryRun: args['dry-run'], timeZone, log },
    async () =>
      args.remote
        ? openRemoteKv({ projectRoot, binding: BINDING, log: (l) => console.error(l) })
        : openLocalKv(projectRoot, readNamespaceId()),
  );
  for (const w of outcome.warnings) console.error(w);
  if (!outcome.ok) {
    for (const e of outcome.errors) console.error(`error: ${e}`);
    console.error(`${outcome.errors.length} invalid file(s) in ${dir}; nothing was written.`);
    return 1;
  }
  console.log(outcome.summary);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`upload failed: ${(error as Error).message}`);
    process.exit(3);
  },
);
