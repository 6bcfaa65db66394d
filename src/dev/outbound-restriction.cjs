// @ts-check
/**
 * The outbound network `npm run dev` gives the Worker: workerd's own network service restricted
 * to public addresses, exactly as a self-hosted workerd's default "internet" service (see
 * docs/workerd.capnp). workerd resolves the name and applies the filter to the addresses it is
 * about to connect to, so a name that resolves to loopback or a private address (`vm`,
 * `metadata.google.internal`, `127.0.0.1.nip.io`, a rebinding DNS server) is never connected to;
 * the Worker's fetch() fails as if the name did not exist.
 *
 * Plain `wrangler dev` cannot be told this: Miniflare hard-codes its "internet" service with
 * allow = ["public", "private", "240.0.0.0/4"], and wrangler 4.86 passes no outbound option to it
 * (StartDevWorkerInput.dev.outboundService is declared but never read). Miniflare does accept a
 * per-Worker `outboundService`, so preload-restrict-outbound.cjs sets it on our Worker's options.
 *
 * CommonJS because it is loaded with `node --require` into wrangler's own (CommonJS) process.
 */
'use strict';

const { readFileSync } = require('node:fs');
const tls = require('node:tls');

/** Message the preload sends over IPC once our Worker's outbound network is restricted. */
const RESTRICTED_EVENT = 'ECP_OUTBOUND_RESTRICTED';

/**
 * The certificates workerd should trust besides the browser CAs: what Miniflare's own
 * "internet" service trusts (NODE_EXTRA_CA_CERTS, and the system store on Windows).
 * @param {NodeJS.ProcessEnv} env
 * @returns {string[]}
 */
function trustedCertificates(env) {
  const certs = process.platform === 'win32' ? Array.from(tls.rootCertificates) : [];
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      certs.push(...(readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS.
    }
  }
  return certs;
}

/**
 * A Miniflare service designator for workerd's network service, public addresses only.
 * @param {NodeJS.ProcessEnv} env
 */
function publicOnlyNetwork(env) {
  return {
    network: {
      allow: ['public'],
      deny: [],
      tlsOptions: { trustBrowserCas: true, trustedCertificates: trustedCertificates(env) },
    },
  };
}

/**
 * Sets `outboundService` on every Worker named `workerName` in Miniflare `options` (either the
 * `workers: [...]` form or a single Worker's options). Returns the names it restricted. Throws
 * if such a Worker already has another outbound service: better no dev server than a silently
 * unrestricted one.
 * @param {any} options
 * @param {string} workerName
 * @param {object} network
 * @returns {string[]}
 */
function restrictWorkers(options, workerName, network) {
  if (options === null || typeof options !== 'object') return [];
  const workers = Array.isArray(options.workers) ? options.workers : [options];
  const restricted = [];
  for (const worker of workers) {
    if (worker === null || typeof worker !== 'object' || worker.name !== workerName) continue;
    if (worker.outboundService !== undefined && worker.outboundService !== network) {
      throw new Error(`dev: ${workerName} already has an outboundService; refusing to run it unrestricted`);
    }
    worker.outboundService = network;
    restricted.push(worker.name);
  }
  return restricted;
}

module.exports = { RESTRICTED_EVENT, publicOnlyNetwork, restrictWorkers, trustedCertificates };
