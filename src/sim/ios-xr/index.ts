/**
 * Cisco IOS-XR (XRd) simulator: an SSH server whose interactive shell (with a pty) is the XR CLI:
 * prompts `RP/0/RP0/CPU0:xrd1#` and `(config)#`, paging until `terminal length 0`, configuration
 * sessions with `configure exclusive`, `show commit changes diff`, `commit [confirmed N]`, `abort`,
 * the commit database and `rollback configuration last N`. netmiko's cisco_xr driver accepts its
 * dialogue (test/conformance/netmiko.test.ts).
 */
import { createHash } from 'node:crypto';
import { systemClock, type SimClock } from '../clock.js';
import type { OspfNeighborSpec } from '../cisco/show-common.js';
import { serveCiscoCli } from '../cisco/serve.js';
import { linkBase, loopback } from '../junos/lab-topology.js';
import { XrDevice, type XrCommit, type XrFaults } from './device.js';
import { XrCli } from './xr-cli.js';

export type { XrFaults } from './device.js';

export const DEFAULT_XR_VERSION = '24.1.1';
export const XR_CHAIN_INTERFACES: readonly [string, string] = ['GigabitEthernet0/0/0/0', 'GigabitEthernet0/0/0/1'];

export interface XrSimOptions {
  host?: string;
  port?: number;
  hostname: string;
  version?: string;
  serial?: string;
  /** Default clab / clab@123 (containerlab's XRd defaults). */
  username?: string;
  password?: string;
  /** Running configuration to boot with; default containerlab's XRd startup configuration. */
  initialConfig?: string;
  neighbors?: OspfNeighborSpec[];
  faults?: Partial<XrFaults>;
  clock?: SimClock;
}

export interface XrSim {
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  setFaults(f: Partial<XrFaults>): void;
  /** `show running-config` as the device prints it (without the timestamp line). */
  runningConfig(): string;
  /** Commit database, newest first. */
  commits(): readonly XrCommit[];
  /** Open configuration sessions (each shell in configuration mode is one). */
  configSessions(): number;
  /** Whether a commit confirmed is waiting for its confirming commit. */
  pendingConfirm(): boolean;
  /** Open SSH shells. */
  shells(): number;
  close(): Promise<void>;
}

const DEFAULT_FAULTS: XrFaults = { latencyMs: 0, authFail: false, dropOnCommand: null, commitError: null, busy: null };

/** A stable, plausible `secret 10` hash for the default user (never the password itself). */
function fakeSecret(seed: string): string {
  const h = createHash('sha256').update(seed).digest('base64').replace(/[+=]/g, '.').replace(/\//g, '.');
  return `$6$${h.slice(0, 8)}$${h.slice(8)}${h}`.slice(0, 98);
}

/** What containerlab's XRd startup configuration gives a fresh node. */
export function defaultXrConfig(hostname: string, username = 'clab', extra: readonly string[] = []): string {
  return [
    `hostname ${hostname}`,
    `username ${username}`,
    ' group root-lr',
    ' group cisco-support',
    ` secret 10 ${fakeSecret(`${username}@${hostname}`)}`,
    '!',
    'grpc',
    ' port 9339',
    ' no-tls',
    ' address-family dual',
    '!',
    'line default',
    ' transport input ssh',
    '!',
    'netconf-yang agent',
    ' ssh',
    '!',
    'interface MgmtEth0/RP0/CPU0/0',
    ' ipv4 address 172.20.20.2 255.255.255.0',
    '!',
    ...extra,
    'ssh server v2',
    'ssh server netconf vrf default',
    'end',
    '',
  ].join('\n');
}

export interface XrChainNode {
  readonly initialConfig: string;
  readonly neighbors: OspfNeighborSpec[];
}

/** Node i (1-based) of a chain of `count`, cabled and addressed as the other vendors' chains, OSPF area 0 on every link. */
export function xrChainNode(i: number, count: number, hostname: string, username: string): XrChainNode {
  const [prev, next] = XR_CHAIN_INTERFACES;
  const lines: string[] = ['interface Loopback0', ` ipv4 address ${loopback(i)} 255.255.255.255`, '!'];
  const neighbors: OspfNeighborSpec[] = [];
  const ospfIfs: string[] = [];
  const link = (intf: string, peer: number, address: string, peerAddress: string): void => {
    lines.push(`interface ${intf}`, ` description link to router ${peer}`, ` ipv4 address ${address} 255.255.255.254`, '!');
    neighbors.push({ interface: intf, address: peerAddress, routerId: loopback(peer) });
    ospfIfs.push(intf);
  };
  if (i > 1) link(prev, i - 1, `${linkBase(i - 1)}.1`, `${linkBase(i - 1)}.0`);
  if (i < count) link(next, i + 1, `${linkBase(i)}.0`, `${linkBase(i)}.1`);
  lines.push('router ospf 1', ` router-id ${loopback(i)}`, ' area 0', '  interface Loopback0', '   passive enable', '  !');
  for (const intf of ospfIfs) lines.push(`  interface ${intf}`, '   network point-to-point', '  !');
  lines.push(' !', '!');
  return { initialConfig: defaultXrConfig(hostname, username, lines), neighbors };
}

export async function startXrSim(opts: XrSimOptions): Promise<XrSim> {
  const username = opts.username ?? 'clab';
  const device = new XrDevice({
    hostname: opts.hostname,
    version: opts.version ?? DEFAULT_XR_VERSION,
    serial: opts.serial ?? `XRD${createHash('sha256').update(opts.hostname).digest('hex').slice(0, 8).toUpperCase()}`,
    username,
    password: opts.password ?? 'clab@123',
    initialConfig: opts.initialConfig ?? defaultXrConfig(opts.hostname, username),
    neighbors: opts.neighbors ?? [],
    clock: opts.clock ?? systemClock,
    faults: { ...DEFAULT_FAULTS, ...opts.faults },
  });
  const { server, shells } = await serveCiscoCli({
    host: opts.host,
    port: opts.port,
    username: device.opts.username,
    password: device.opts.password,
    faults: () => device.faults,
    openCli: (user) => {
      const cli = new XrCli(device, user);
      return { cli, closed: () => cli.closed() };
    },
    banner: '\n\n',
  });
  return {
    host: server.host,
    port: server.port,
    hostname: opts.hostname,
    setFaults: (f) => Object.assign(device.opts.faults, f),
    runningConfig: () => `Building configuration...\n${device.runningText()}\n`,
    commits: () => device.commits,
    configSessions: () => device.sessions.size,
    pendingConfirm: () => device.pending !== undefined,
    shells,
    close: async () => {
      device.close();
      await server.close();
    },
  };
}

