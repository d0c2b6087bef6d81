/**
 * How the SR Linux driver reaches a node over HTTPS: it trusts the lab CA where containerlab keeps
 * it, refuses a certificate it cannot verify (saying how to fix it), and takes the node's labels
 * for plain HTTP or unverified certificates.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/drivers/errors.js';
import { SrlinuxDriver } from '../../../src/drivers/srlinux/srlinux-driver.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { startSrlinuxSim, type SrlSim } from '../../../src/sim/srlinux/index.js';
import { makeLabCertificates } from '../../../src/sim/tls.js';
import { makeNode } from '../../helpers/nodes.js';

describe('SR Linux driver TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'srl-tls-'));
  const certs = makeLabCertificates('tls', ['127.0.0.1']);
  let https: SrlSim;
  let http: SrlSim;
  const node = (sim: SrlSim, extra: Partial<LabNode> = {}): LabNode => ({
    ...makeNode({ name: 'leaf1', kind: 'nokia_srlinux', lab: 'tls', host: sim.host, port: sim.port, password: 'NokiaSrl1!' }),
    ...extra,
  });

  beforeAll(async () => {
    https = await startSrlinuxSim({ hostname: 'leaf1', tls: { certPem: certs.certPem, keyPem: certs.keyPem } });
    http = await startSrlinuxSim({ hostname: 'leaf1' });
  });
  afterAll(async () => {
    await https.close();
    await http.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without the lab CA the certificate is refused, with a message naming the fix', async () => {
    const driver = new SrlinuxDriver(node(https));
    const err = await driver.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/clab-<lab>\/\.tls\/ca\/ca\.pem/);
  });

  it('trusts clab-<lab>/.tls/ca/ca.pem next to the topology, as containerlab writes it', async () => {
    mkdirSync(join(dir, 'clab-tls', '.tls', 'ca'), { recursive: true });
    writeFileSync(join(dir, 'clab-tls', '.tls', 'ca', 'ca.pem'), certs.caPem);
    const driver = new SrlinuxDriver(node(https, { labDir: dir }));
    await driver.open();
    expect((await driver.facts()).hostname).toBe('leaf1');
    await driver.close();
  });

  it('clab-bot.tls-verify: "false" accepts the certificate unverified; clab-bot.tls: "false" speaks plain HTTP', async () => {
    const unverified = new SrlinuxDriver(node(https, { labels: { 'clab-bot.tls-verify': 'false' } }));
    await unverified.open();
    expect((await unverified.exec('show version')).output).toContain('leaf1');
    await unverified.close();
    const plain = new SrlinuxDriver(node(http, { labels: { 'clab-bot.tls': 'false' } }));
    await plain.open();
    expect((await plain.facts()).hostname).toBe('leaf1');
    await plain.close();
    const bad = new SrlinuxDriver(node(http, { labels: { 'clab-bot.tls': 'maybe' } }));
    await expect(bad.open()).rejects.toThrow(/clab-bot\.tls: "maybe"/);
  });
});
