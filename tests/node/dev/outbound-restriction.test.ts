import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { publicOnlyNetwork, restrictWorkers, trustedCertificates } = require('../../../src/dev/outbound-restriction.cjs') as {
  publicOnlyNetwork(env: NodeJS.ProcessEnv): { network: { allow: string[]; deny: string[]; tlsOptions: { trustBrowserCas: boolean; trustedCertificates: string[] } } };
  restrictWorkers(options: unknown, name: string, network: object): string[];
  trustedCertificates(env: NodeJS.ProcessEnv): string[];
};

const CERT = (n: number) => `-----BEGIN CERTIFICATE-----\nMII${n}\n-----END CERTIFICATE-----`;

describe('publicOnlyNetwork', () => {
  it('is workerd network allow = ["public"], nothing denied, browser CAs trusted', () => {
    expect(publicOnlyNetwork({})).toEqual({ network: { allow: ['public'], deny: [], tlsOptions: { trustBrowserCas: true, trustedCertificates: [] } } });
  });

  it('trusts the certificates in NODE_EXTRA_CA_CERTS, like Miniflare does', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ecp-ca-')), 'ca.pem');
    writeFileSync(file, `junk\n${CERT(1)}\nmore junk\n${CERT(2)}\n`);
    expect(trustedCertificates({ NODE_EXTRA_CA_CERTS: file })).toEqual([CERT(1), CERT(2)]);
    expect(trustedCertificates({ NODE_EXTRA_CA_CERTS: path.join(file, 'missing') })).toEqual([]);
  });
});

describe('restrictWorkers', () => {
  const network = { network: { allow: ['public'] } };

  it('sets outboundService on the named Worker only (wrangler: user Worker plus externals)', () => {
    const options = { workers: [{ name: 'edge-content-proxy', modules: [] }, { name: '__WRANGLER_EXTERNAL_DURABLE_OBJECTS_WORKER' }] };
    expect(restrictWorkers(options, 'edge-content-proxy', network)).toEqual(['edge-content-proxy']);
    expect(options.workers[0]).toEqual({ name: 'edge-content-proxy', modules: [], outboundService: network });
    expect(options.workers[1]).toEqual({ name: '__WRANGLER_EXTERNAL_DURABLE_OBJECTS_WORKER' });
  });

  it("leaves wrangler's proxy Workers alone (they must reach the Worker on loopback)", () => {
    const options = { workers: [{ name: 'ProxyWorker' }, { name: 'InspectorProxyWorker' }] };
    expect(restrictWorkers(options, 'edge-content-proxy', network)).toEqual([]);
    expect(options.workers.every((w) => !('outboundService' in w))).toBe(true);
  });

  it('handles the single-Worker options form and is idempotent across reloads', () => {
    const options = { name: 'edge-content-proxy', script: '' };
    expect(restrictWorkers(options, 'edge-content-proxy', network)).toEqual(['edge-content-proxy']);
    expect(restrictWorkers(options, 'edge-content-proxy', network)).toEqual(['edge-content-proxy']);
    expect(options).toEqual({ name: 'edge-content-proxy', script: '', outboundService: network });
  });

  it('refuses to replace another outbound service (no silent unrestricted Worker)', () => {
    const options = { workers: [{ name: 'edge-content-proxy', outboundService: () => new Response('') }] };
    expect(() => restrictWorkers(options, 'edge-content-proxy', network)).toThrow('refusing to run it unrestricted');
  });

  it.each([null, undefined, 'x', 1])('ignores %j', (options) => {
    expect(restrictWorkers(options, 'edge-content-proxy', network)).toEqual([]);
  });
});
