import type { LabNode } from '../../src/inventory/types.js';

export interface MakeNodeOptions {
  readonly name: string;
  readonly host: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  /** Canonical kind; default juniper_vjunosrouter. */
  readonly kind?: string;
  readonly lab?: string;
  readonly driver?: LabNode['driver'];
}

/** A LabNode as the inventory would build it, pointing at a simulator or fake on loopback. */
export function makeNode(options: MakeNodeOptions): LabNode {
  const lab = options.lab ?? 'test';
  const kind = options.kind ?? 'juniper_vjunosrouter';
  return {
    lab,
    name: options.name,
    longName: `clab-${lab}-${options.name}`,
    kind,
    vendor: kind.startsWith('juniper_') ? 'juniper' : (kind.split('_')[0] ?? 'unknown'),
    driver: options.driver ?? (kind.startsWith('juniper_') ? 'junos' : kind.startsWith('arista_') ? 'eos' : kind === 'nokia_srlinux' ? 'srlinux' : kind.startsWith('cisco_') ? 'ssh-cli' : 'none'),
    mgmtIpv4: options.host,
    mgmtIpv6: undefined,
    host: options.host,
    port: options.port,
    labels: {},
    group: undefined,
    image: undefined,
    labDir: '/nonexistent',
    source: 'test/helpers/nodes.ts',
    credentials: { username: options.username ?? 'admin', password: options.password ?? 'admin@123' },
  };
}
