/**
 * Certificates for simulated HTTPS nodes, made the way containerlab does for a lab: one lab CA and
 * a server certificate it signs, naming every node's address. Made with the openssl CLI (Node can
 * create keys but not X.509 certificates).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';

export interface LabCertificates {
  /** The lab CA (PEM): what a client trusts, written to clab-<lab>/.tls/ca/ca.pem. */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** A CA and one server certificate for `names` (IP addresses and DNS names). Throws when openssl is missing. */
export function makeLabCertificates(labName: string, names: readonly string[]): LabCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'clab-bot-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const san = [...new Set(names)].map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    writeFileSync(
      join(dir, 'ext.cnf'),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    );
    run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '365',
      '-subj',
      `/CN=${labName} lab CA`,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ]);
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${labName}`, '-keyout', 'node.key', '-out', 'node.csr']);
    run(['x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '365', '-extfile', 'ext.cnf', '-out', 'node.pem']);
    return {
      caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      certPem: readFileSync(join(dir, 'node.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'node.key'), 'utf8'),
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('simulated HTTPS nodes need the openssl command (Debian package openssl)', { cause: err });
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
