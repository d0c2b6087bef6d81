import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinuxDriver, type LinuxDriver } from '../../src/drivers/linux/index.js';
import type { LinuxSettings } from '../../src/drivers/linux/index.js';
import type { LabNode } from '../../src/inventory/types.js';

/**
 * Under CI a lab that cannot run is a failure (the missing package is named); elsewhere the lab
 * tests are skipped with the same reason.
 */
export function labGate(reason: string | undefined): { skip: boolean; reason: string | undefined } {
  // Any non-empty CI counts, as in requirements.ts (CI=1 as well as CI=true).
  if (reason !== undefined && process.env['CI']) throw new Error(`FRR lab tests cannot run under CI: ${reason}`);
  return { skip: reason !== undefined, reason };
}

/** A LabNode of kind linux as the inventory builds it from the lab's topology-data.json. */
export function linuxNode(lab: string, name: string, host: string, extra: Partial<LabNode> = {}): LabNode {
  return {
    lab, name, longName: `clab-${lab}-${name}`, kind: 'linux', vendor: 'linux', driver: 'linux',
    mgmtIpv4: host, mgmtIpv6: undefined, host, port: undefined, labels: {}, group: undefined, image: undefined,
    labDir: '/nonexistent', source: 'test/helpers/frr-lab.ts', credentials: { username: '', password: '' }, ...extra,
  };
}

export function linuxDriver(node: LabNode, settings: Partial<LinuxSettings> = {}): LinuxDriver {
  const knownHostsFile = settings.knownHostsFile ?? join(mkdtempSync(join(tmpdir(), 'clab-bot-kh-')), 'known-hosts');
  return createLinuxDriver(node, { settings: { ...settings, knownHostsFile } });
}
