/** Public types of the Junos NETCONF simulator (src/sim/junos/index.ts). */
import type { SimClock } from '../clock.js';

export interface JunosFaults {
  /** Delay before every rpc-reply, in ms. */
  latencyMs: number;
  /** Every SSH login is refused. */
  authFail: boolean;
  /** The next `<rpc>` received kills the TCP connection before any reply (one-shot: cleared once it fires). */
  dropMidRpc: boolean;
  /** While set, every commit (not commit check) fails with an rpc-error carrying this message. */
  commitError: string | null;
  /**
   * While set, the configuration is held exclusively by this user (as `configure exclusive` would):
   * lock-configuration, open-configuration private, loads into the shared candidate and commits fail
   * with Junos' "configuration database locked by" error.
   */
  lockedBy: string | null;
  /**
   * While set, a commit (not commit check) takes effect on the device but its reply is held back
   * until the fault is cleared: a commit in flight, for tests that kill the client mid-commit.
   */
  holdCommitReplies: boolean;
}

export interface OspfNeighborSpec {
  /** Local logical interface, e.g. `ge-0/0/0.0`; the adjacency shows while OSPF runs on it. */
  interface: string;
  /** The neighbour's address on the link. */
  address: string;
  routerId: string;
}

export interface RouteSpec {
  /** Destination prefix, e.g. `10.255.0.2/32`. */
  prefix: string;
  nextHop: string;
  /** Logical interface the next hop is reached through (`ge-0/0/0.0`). */
  interface: string;
  protocol: 'OSPF' | 'Static' | 'BGP';
  metric?: number;
}

export interface JunosSimOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral (default). */
  port?: number;
  hostname: string;
  /** `product-model` as `show version` prints it; default 'vmx' (what vJunos-router reports). */
  model?: string;
  /** Junos release, default '23.2R1.14'. */
  version?: string;
  /** Chassis serial number; default derived from the hostname. */
  serial?: string;
  /** Login accepted by the simulator; default admin / admin@123 (containerlab's Junos defaults). */
  username?: string;
  password?: string;
  /** Curly-brace configuration to boot with; default a vrnetlab-like base config. */
  initialConfig?: string;
  faults?: Partial<JunosFaults>;
  /** OSPF adjacencies for `show ospf neighbor` (shown while OSPF is configured on the interface). */
  neighbors?: OspfNeighborSpec[];
  /** Learnt routes for `show route` (OSPF ones show while the next-hop interface runs OSPF). */
  routes?: RouteSpec[];
  /** Length of a "minute" for commit confirmed timeouts, in ms (default 60000); tests shorten it. */
  minuteMs?: number;
  /** Time source for commit-confirmed timers and commit times (default the system clock); tests pass a ManualClock. */
  clock?: SimClock;
  /**
   * Advertise `urn:ietf:params:netconf:base:1.1` and use RFC 6242 chunked framing when the client
   * advertises it too (`set system services netconf rfc-compliant version-1.1`). Default true;
   * false gives the stock vJunos behaviour: `]]>]]>` only.
   */
  chunkedFraming?: boolean;
  /** `netconf rfc-compliant` as vrnetlab sets it on vMX/vQFX: NETCONF elements carry the `nc:` prefix. Default false. */
  rfcCompliant?: boolean;
}

export interface CommitRecord {
  /** 0 = newest, as `show system commit` numbers them. */
  sequence: number;
  user: string;
  /** `netconf`, `cli` or `other` (the automatic rollback of an unconfirmed commit). */
  client: string;
  /** The `<log>` text given with the commit. */
  comment?: string;
  time: Date;
}

export interface JunosSim {
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  setFaults(f: Partial<JunosFaults>): void;
  /** Running configuration as curly-brace text (what `show configuration` prints, without the header). */
  runningConfig(): string;
  /** Newest first. */
  commitHistory(): CommitRecord[];
  /** Changes and commits the running configuration out of band (user root via cli): drift for tests. */
  commitLocal(configText: string, method: 'merge' | 'override' | 'set', comment?: string): void;
  /** Creates or replaces a file on the device (relative paths are under the login user's home). */
  writeDeviceFile(path: string, content: string): void;
  /** Resolves once a commit reply is being held (faults.holdCommitReplies): the commit is in flight. */
  whenCommitHeld(): Promise<void>;
  /** NETCONF sessions currently open. */
  activeSessions(): number;
  /** RPCs received and not yet answered because of the latency fault. */
  rpcsAwaitingReply(): number;
  close(): Promise<void>;
}
