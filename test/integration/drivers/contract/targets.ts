/**
 * The drivers the contract suite runs against, each over its real protocol: on loopback against its
 * simulator, or against real FRR routers from test/lab (frr-targets.ts). Adding a driver is one
 * entry here: how to start a device, the driver for it, and the vendor's spelling of a few commands
 * and configurations.
 */
import type { ConfigMethod, Driver } from '../../../../src/drivers/contract.js';
import { EosDriver } from '../../../../src/drivers/eos/eos-driver.js';
import { JunosDriver } from '../../../../src/drivers/junos/junos-driver.js';
import { SrlinuxDriver } from '../../../../src/drivers/srlinux/srlinux-driver.js';
import { ManualClock } from '../../../../src/sim/clock.js';
import { startEosSim } from '../../../../src/sim/eos/index.js';
import { eosChainNode } from '../../../../src/sim/eos/lab-topology.js';
import { startJunosSim } from '../../../../src/sim/junos/index.js';
import { startSrlinuxSim } from '../../../../src/sim/srlinux/index.js';
import { IosDriver, IosXrDriver } from '../../../../src/drivers/ssh-cli/index.js';
import { iosChainNode, startIosSim } from '../../../../src/sim/ios/index.js';
import { startXrSim, xrChainNode } from '../../../../src/sim/ios-xr/index.js';
import { srlChainNode } from '../../../../src/sim/srlinux/lab-topology.js';
import { makeNode } from '../../../helpers/nodes.js';
import { frrDocker, frrSsh } from './frr-targets.js';

/** One device under test, with its fault knobs in the contract's terms. */
export interface ContractDevice {
  readonly driver: Driver;
  /** A driver for the same device with the wrong password. */
  readonly badLoginDriver: Driver;
  /** The running configuration, seen by the test's own means (not through the driver). */
  running(): string | Promise<string>;
  /** Returns once a commit-confirmed timer started by apply has run out (a simulator's clock moves; a real node's timer is waited for). */
  confirmTimeoutPassed(): Promise<void>;
  /** The device answers slowly (ms > 0) or normally again (0). */
  latency(ms: number): void | Promise<void>;
  /** Absent where a real device cannot be told to refuse a commit with a given message. */
  failCommits?(message: string | null): void;
  close(): Promise<void>;
}

export interface ContractTarget {
  readonly name: string;
  readonly hostname: string;
  /** Why this target cannot run on this machine (skipped; labGate already failed the run under CI). */
  readonly unavailable?: string | undefined;
  /** Once before the target's tests (a real lab), and after them. */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  start(): Promise<ContractDevice>;
  /** A driver pointed at a port where nothing listens. */
  unreachable(port: number): Driver;
  /** Operational command whose text output names the hostname. */
  readonly showVersion: string;
  /** A command with json output, when the driver declares json (default showVersion). */
  readonly jsonCommand?: string;
  /** A command that waits on the device when latency() slows it (default showVersion). */
  readonly slowCommand?: string;
  /** commit confirmed timeout the tests use (default 60 s). */
  readonly confirmSeconds?: number;
  /** Why facts have no serial number on this platform. */
  readonly noSerial?: string;
  /** Why the transport has no login to refuse. */
  readonly noLogin?: string;
  /** A command the device rejects. */
  readonly badCommand: string;
  readonly method: ConfigMethod;
  /** A change: loads, passes the check, shows `changeMarker` in the diff and in running afterwards. */
  readonly change: string;
  readonly changeMarker: string;
  /** A second, independent change. */
  readonly otherChange: string;
  readonly otherMarker: string;
  /**
   * Loads but fails the commit check (data in plan.check). Undefined where the platform has no
   * commit check: EOS validates each line as a session stages it, so bad input is RejectedError.
   */
  readonly checkFails: string | undefined;
  /** Does not load at all (RejectedError). */
  readonly unreadable: string;
  /**
   * Where `unreadable` is refused: by plan (default), or only when apply types it, on a device
   * without a candidate (IOS): the plan cannot know, apply must refuse and leave nothing behind.
   */
  readonly unreadableRefusedAt?: 'plan' | 'apply';
}

const junos: ContractTarget = {
  name: 'junos',
  hostname: 'r1',
  async start() {
    const clock = new ManualClock();
    const sim = await startJunosSim({ hostname: 'r1', port: 0, clock });
    const node = (password: string) => makeNode({ name: 'r1', host: sim.host, port: sim.port, password });
    return {
      driver: new JunosDriver(node('admin@123')),
      badLoginDriver: new JunosDriver(node('wrong')),
      confirmTimeoutPassed: async () => clock.advance(5 * 60_000),
      running: () => sim.runningConfig(),
      latency: (ms) => sim.setFaults({ latencyMs: ms }),
      failCommits: (message) => sim.setFaults({ commitError: message }),
      close: () => sim.close(),
    };
  },
  unreachable: (port) => new JunosDriver(makeNode({ name: 'r1', host: '127.0.0.1', port })),
  showVersion: 'show version',
  badCommand: 'show nonsense-command',
  method: 'merge',
  change: 'interfaces { ge-0/0/3 { description "contract change"; } }',
  changeMarker: 'contract change',
  otherChange: 'system { location { building contract-other; } }',
  otherMarker: 'contract-other',
  checkFails: 'protocols { ospf { area 0.0.0.0 { interface ge-0/0/9.0; } } }',
  unreadable: 'interfaces { ge-0/0/3 { description',
};

const srlinux: ContractTarget = {
  name: 'srlinux',
  hostname: 'srl1',
  async start() {
    const clock = new ManualClock();
    const topo = srlChainNode(1, 2);
    const sim = await startSrlinuxSim({ hostname: 'srl1', clock, initialConfig: topo.initialConfig, neighbors: topo.neighbors });
    const node = (password: string) => makeNode({ name: 'srl1', kind: 'nokia_srlinux', host: sim.host, port: sim.port, password });
    const options = { tls: false };
    return {
      driver: new SrlinuxDriver(node('NokiaSrl1!'), options),
      badLoginDriver: new SrlinuxDriver(node('wrong'), options),
      confirmTimeoutPassed: async () => clock.advance(5 * 60_000),
      running: () => sim.runningFlat(),
      latency: (ms) => sim.setFaults({ latencyMs: ms }),
      failCommits: (message) => sim.setFaults({ commitError: message }),
      close: () => sim.close(),
    };
  },
  unreachable: (port) => new SrlinuxDriver(makeNode({ name: 'srl1', kind: 'nokia_srlinux', host: '127.0.0.1', port }), { tls: false }),
  showVersion: 'show version',
  badCommand: 'show nonsense-command',
  method: 'merge',
  change: 'set / interface ethernet-1/3 description "contract change"',
  changeMarker: 'contract change',
  otherChange: 'set / system information location contract-other',
  otherMarker: 'contract-other',
  checkFails: 'set / network-instance default interface ethernet-1/9.0',
  unreadable: 'set / interfacez foo bar',
};

const eos: ContractTarget = {
  name: 'eos',
  hostname: 'ceos1',
  async start() {
    const clock = new ManualClock();
    const topo = eosChainNode(1, 2, 'ceos1', 'admin');
    const sim = await startEosSim({ hostname: 'ceos1', clock, initialConfig: topo.initialConfig, neighbors: topo.neighbors });
    const node = (password: string) => makeNode({ name: 'ceos1', kind: 'arista_ceos', host: sim.host, port: sim.port, password });
    return {
      driver: new EosDriver(node('admin')),
      badLoginDriver: new EosDriver(node('wrong')),
      confirmTimeoutPassed: async () => clock.advance(5 * 60_000),
      running: () => sim.runningConfig(),
      latency: (ms) => sim.setFaults({ latencyMs: ms }),
      failCommits: (message) => sim.setFaults({ commitError: message }),
      close: () => sim.close(),
    };
  },
  unreachable: (port) => new EosDriver(makeNode({ name: 'ceos1', kind: 'arista_ceos', host: '127.0.0.1', port })),
  // `show version` does not name the host on EOS; `show hostname` does.
  showVersion: 'show hostname',
  badCommand: 'show nonsense-command',
  method: 'merge',
  change: 'interface Ethernet1\n   description contract change\n',
  changeMarker: 'contract change',
  otherChange: 'snmp-server location contract-other\n',
  otherMarker: 'contract-other',
  checkFails: undefined,
  unreadable: 'interfacez Ethernet1\n',
};

const iosxr: ContractTarget = {
  name: 'iosxr',
  hostname: 'xrd1',
  async start() {
    const clock = new ManualClock();
    const topo = xrChainNode(1, 2, 'xrd1', 'clab');
    const sim = await startXrSim({ hostname: 'xrd1', clock, initialConfig: topo.initialConfig, neighbors: topo.neighbors });
    const node = (password: string) => makeNode({ name: 'xrd1', kind: 'cisco_xrd', host: sim.host, port: sim.port, username: 'clab', password });
    return {
      driver: new IosXrDriver(node('clab@123')),
      badLoginDriver: new IosXrDriver(node('wrong')),
      confirmTimeoutPassed: async () => clock.advance(5 * 60_000),
      running: () => sim.runningConfig(),
      latency: (ms) => sim.setFaults({ latencyMs: ms }),
      failCommits: (message) => sim.setFaults({ commitError: message }),
      close: () => sim.close(),
    };
  },
  unreachable: (port) => new IosXrDriver(makeNode({ name: 'xrd1', kind: 'cisco_xrd', host: '127.0.0.1', port, username: 'clab', password: 'clab@123' })),
  showVersion: 'show version',
  badCommand: 'show nonsense-command',
  method: 'merge',
  change: 'interface GigabitEthernet0/0/0/3\n description contract change\n!\n',
  changeMarker: 'contract change',
  otherChange: 'snmp-server location contract-other\n',
  otherMarker: 'contract-other',
  // XR checks each line as the session takes it: bad input is RejectedError, not a failed check.
  checkFails: undefined,
  unreadable: 'interfacez GigabitEthernet0/0/0/3\n',
};

const ios: ContractTarget = {
  name: 'ios',
  hostname: 'r1',
  async start() {
    const clock = new ManualClock();
    // With a configuration archive: IOS's commit confirmed (revert timer) and rollback need one.
    const topo = iosChainNode(1, 2, 'r1', 'admin', { archive: true });
    const sim = await startIosSim({ hostname: 'r1', clock, initialConfig: topo.initialConfig, neighbors: topo.neighbors });
    const node = (password: string) => makeNode({ name: 'r1', kind: 'cisco_iol', host: sim.host, port: sim.port, username: 'admin', password });
    return {
      driver: new IosDriver(node('admin')),
      badLoginDriver: new IosDriver(node('wrong')),
      confirmTimeoutPassed: async () => clock.advance(5 * 60_000),
      running: () => sim.runningConfig(),
      latency: (ms) => sim.setFaults({ latencyMs: ms }),
      failCommits: (message) => sim.setFaults({ commitError: message }),
      close: () => sim.close(),
    };
  },
  unreachable: (port) => new IosDriver(makeNode({ name: 'r1', kind: 'cisco_iol', host: '127.0.0.1', port, username: 'admin', password: 'admin' })),
  showVersion: 'show version',
  badCommand: 'show nonsense-command',
  method: 'merge',
  change: 'interface Ethernet0/3\n description contract change\n!\n',
  changeMarker: 'contract change',
  otherChange: 'snmp-server location contract-other\n',
  otherMarker: 'contract-other',
  checkFails: undefined,
  unreadable: 'ntp server 10.0.0.1\ninterfacez Ethernet0/3\n',
  unreadableRefusedAt: 'apply',
};

export const CONTRACT_TARGETS: readonly ContractTarget[] = [junos, srlinux, eos, iosxr, ios, frrDocker, frrSsh];
