/**
 * A throw-away CA and a server certificate for the fake upstream's HTTPS port, made with the
 * openssl CLI. Only the processes that are told about the CA trust it: `wrangler dev` through
 * NODE_EXTRA_CA_CERTS (Miniflare adds those certificates to workerd's outbound TLS trust).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from './netns.mts';

export interface TestTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function makeTestTls(dir: string, hosts: string[]): TestTls {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'upstream.key');
  const csr = join(dir, 'upstream.csr');
  const certFile = join(dir, 'upstream.pem');
  const ext = join(dir, 'upstream.ext');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  sh('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', '/CN=edge-content-proxy e2e CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  sh('openssl', ['req', ...ec, '-keyout', keyFile, '-out', csr, '-subj', '/CN=fake-upstream']);
  writeFileSync(ext, [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
    '',
  ].join('\n'));
  sh('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '2', '-extfile', ext]);
  return { caFile, certFile, keyFile };
}
