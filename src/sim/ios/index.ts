/**
 * Cisco IOS (IOL) simulator: an SSH server whose interactive shell is the IOS CLI: prompts `r1>`,
 * `r1#`, `r1(config)#`, `enable` with a secret, paging until `terminal length 0`, configuration
 * typed line by line into running, the configuration archive with `configure terminal revert
 * timer`, `configure replace` and `configure confirm`. netmiko's cisco_ios driver accepts its
 * dialogue (test/conformance/netmiko.test.ts).
 */
import { createHash } from 'node:crypto';
import { systemClock, type SimClock } from '../clock.js';
import type { OspfNeighborSpec } from '../cisco/show-common.js';
import { serveCiscoCli } from '../cisco/serve.js';
import { linkBase, loopback } from '../junos/lab-topology.js';
import { IosDevice, type IosFaults } from './device.js';
import { IosCli } from './ios-cli.js';

export type { IosFaults } from './device.js';

export const DEFAULT_IOS_VERSION = '17.12.1';
export const IOS_CHAIN_INTERFACES: readonly [string, string] = ['Ethernet0/1', 'Ethernet0/2'];

export interface IosSimOptions {
  host?: string;
  port?: number;
  hostname: string;
  version?: string;
  serial?: string;
  /** Default admin / admin (containerlab's IOL defaults). */
  username?: string;
  password?: string;
  /** 15 (default, containerlab's user) lands at `r1#`; 1 lands at `r1>` and needs `enable`. */
  privilege?: 1 | 15;
  /** The enable secret; default the password. */
  enableSecret?: string;
  /** Running configuration to boot with; default containerlab's IOL startup configuration (no archive). */
  initialConfig?: string;
  neighbors?: OspfNeighborSpec[];
  faults?: Partial<IosFaults>;
  clock?: SimClock;
}

export interface IosSim {
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  setFaults(f: Partial<IosFaults>): void;
  /** `show running-config` as the device prints it. */
  runningConfig(): string;
  /** Archived configuration files, by name. */
  archiveFiles(): string[];
  /** Whether a revert timer runs. */
  pendingConfirm(): boolean;
  shells(): number;
  close(): Promise<void>;
}

const DEFAULT_FAULTS: IosFaults = { latencyMs: 0, authFail: false, dropOnCommand: null, commitError: null, busy: null };

/** What containerlab's IOL startup configuration gives a fresh node; `archive` adds a configuration archive on flash. */
export function defaultIosConfig(hostname: string, username = 'admin', o: { extra?: readonly string[]; archive?: boolean } = {}): string {
  const secret = createHash('sha256').update(`${username}@${hostname}`).digest('base64').replace(/[+/=]/g, '.').slice(0, 43);
  return [
    'version 17.12',
    'service timestamps debug datetime msec',
    'service timestamps log datetime msec',
    `hostname ${hostname}`,
    '!',
    'no aaa new-model',
    '!',
    'vrf definition clab-mgmt',
    ' description clab-mgmt',
    ' address-family ipv4',
    '!',
    'ip domain name lab',
    'ip cef',
    '!',
    `username ${username} privilege 15 secret 9 $9$${secret}`,
    '!',
    ...(o.archive === true ? ['archive', ' path flash:archive', ' maximum 14', '!'] : []),
    'interface Ethernet0/0',
    ' description clab-mgmt',
    ' vrf forwarding clab-mgmt',
    ' ip address 172.20.20.2 255.255.255.0',
    '!',
    ...(o.extra ?? []),
    'ip ssh version 2',
    '!',
    'line con 0',
    ' logging synchronous',
    'line vty 0 4',
    ' login local',
    ' transport input ssh',
    '!',
    'end',
    '',
  ].join('\n');
}

export interface IosChainNode {
  readonly initialConfig: string;
  readonly neighbors: OspfNeighborSpec[];
}

/** Node i (1-based) of a chain of `count`, addressed as the other vendors' chains, OSPF area 0 on every link. */
export function iosChainNode(i: number, count: number, hostname: string, username: string, o: { archive?: boolean } = {}): IosChainNode {
  const [prev, next] = IOS_CHAIN_INTERFACES;
  const lines: string[] = ['interface Loopback0', ` ip address ${loopback(i)} 255.255.255.255`, '!'];
  const neighbors: OspfNeighborSpec[] = [];
  const networks: string[] = [` network ${loopback(i)} 0.0.0.0 area 0`];
  const link = (intf: string, peer: number, address: string, peerAddress: string, net: string): void => {
    lines.push(`interface ${intf}`, ` description link to router ${peer}`, ` ip address ${address} 255.255.255.254`, ' ip ospf network point-to-point', '!');
    neighbors.push({ interface: intf, address: peerAddress, routerId: loopback(peer) });
    networks.push(` network ${net} 0.0.0.1 area 0`);
  };
  if (i > 1) link(prev, i - 1, `${linkBase(i - 1)}.1`, `${linkBase(i - 1)}.0`, `${linkBase(i - 1)}.0`);
  if (i < count) link(next, i + 1, `${linkBase(i)}.0`, `${linkBase(i)}.1`, `${linkBase(i)}.0`);
  lines.push('router ospf 1', ` router-id ${loopback(i)}`, ...networks, '!');
  return { initialConfig: defaultIosConfig(hostname, username, { extra: lines, ...(o.archive === undefined ? {} : { archive: o.archive }) }), neighbors };
}

export async function startIosSim(opts: IosSimOptions): Promise<IosSim> {
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'admin';
  const device = new IosDevice({
    hostname: opts.hostname,
    version: opts.version ?? DEFAULT_IOS_VERSION,
    serial: opts.serial ?? String(Number.parseInt(createHash('sha256').update(opts.hostname).digest('hex').slice(0, 7), 16)),
    username,
    password,
    privilege: opts.privilege ?? 15,
    enableSecret: opts.enableSecret ?? password,
    initialConfig: opts.initialConfig ?? defaultIosConfig(opts.hostname, username),
    neighbors: opts.neighbors ?? [],
    clock: opts.clock ?? systemClock,
    faults: { ...DEFAULT_FAULTS, ...opts.faults },
  });
  const { server, shells } = await serveCiscoCli({
    host: opts.host,
    port: opts.port,
    username,
    password,
    faults: () => device.faults,
    openCli: () => ({ cli: new IosCli(device) }),
    banner: '\n',
  });
  return {
    host: server.host,
    port: server.port,
    hostname: opts.hostname,
    setFaults: (f) => Object.assign(device.opts.faults, f),
    runningConfig: () => device.runningText(),
    archiveFiles: () => [...device.files.keys()],
    pendingConfirm: () => device.pending !== undefined,
    shells,
    close: async () => {
      device.close();
      await server.close();
    },
  };
}
