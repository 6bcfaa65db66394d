// @ts-check
/**
 * `node --require` preload for the wrangler process that `npm run dev` starts (scripts/dev.ts):
 * replaces the `miniflare` module wrangler is about to load with one whose Miniflare class sets
 * our Worker's outbound network to public addresses only (outbound-restriction.cjs), on start
 * and on every reload. It tells the parent over IPC each time; scripts/dev.ts refuses to go on
 * if wrangler reports ready without that message (e.g. a wrangler upgrade bypassed this hook).
 *
 * ECP_RESTRICT_OUTBOUND_WORKER names the Worker (wrangler.toml `name`). Other Workers wrangler
 * runs (its proxy and inspector Workers, which must reach the Worker on loopback) are untouched.
 */
'use strict';

const path = require('node:path');
const { RESTRICTED_EVENT, publicOnlyNetwork, restrictWorkers } = require('./outbound-restriction.cjs');

const workerName = process.env.ECP_RESTRICT_OUTBOUND_WORKER;
if (!workerName) throw new Error('preload-restrict-outbound: ECP_RESTRICT_OUTBOUND_WORKER is not set');

// The very module file wrangler will require (wrangler's own dependency, not another copy).
const wranglerDir = path.dirname(require.resolve('wrangler/package.json', { paths: [process.cwd(), __dirname] }));
const miniflarePath = require.resolve('miniflare', { paths: [wranglerDir] });
const real = require(miniflarePath);
const network = publicOnlyNetwork(process.env);

/** @param {any} options */
function restrict(options) {
  const names = restrictWorkers(options, workerName, network);
  if (names.length > 0 && process.send) process.send(JSON.stringify({ event: RESTRICTED_EVENT, worker: workerName, allow: ['public'] }));
  return options;
}

class RestrictedMiniflare extends real.Miniflare {
  /** @param {any} options */
  constructor(options) {
    super(restrict(options));
  }

  /** @param {any} options */
  setOptions(options) {
    return super.setOptions(restrict(options));
  }
}

// The real exports are getters that cannot be redefined: build a look-alike with ours in place.
const patched = {};
for (const key of Object.keys(real)) {
  if (key !== 'Miniflare') Object.defineProperty(patched, key, { enumerable: true, get: () => real[key] });
}
Object.defineProperty(patched, '__esModule', { value: true });
Object.defineProperty(patched, 'Miniflare', { enumerable: true, value: RestrictedMiniflare });
const cached = require.cache[miniflarePath];
if (!cached) throw new Error('preload-restrict-outbound: miniflare is not in the require cache');
cached.exports = patched;
