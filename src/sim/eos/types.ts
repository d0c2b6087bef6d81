/** Public types of the Arista EOS eAPI simulator (src/sim/eos/index.ts). */
import type { SimClock } from '../clock.js';

export interface EosFaults {
  /** Delay before every eAPI response, in ms. */
  latencyMs: number;
  /** Every request is refused with HTTP 401, whatever the credentials. */
  authFail: boolean;
  /** The next runCmds request destroys its TCP connection before any response (one-shot: cleared once it fires). */
  dropMidRequest: boolean;
  /**
   * Like dropMidRequest, for the next request with a command matching this (one-shot), and after
   * the device has acted on it: `/^configure session \S+ commit/` loses the answer to a commit.
   */
  dropOnCommand: RegExp | null;
  /** While set, every session commit fails (eAPI error 1000) with this message and nothing changes. */
  commitError: string | null;
  /**
   * While set, the configuration is held by this user's session: entering configuration mode or a
   * configuration session fails with a lock message (the device is busy with someone else's change).
   */
  busy: string | null;
}

export interface EosOspfNeighborSpec {
  /** Local interface, e.g. `Ethernet1`; the adjacency shows while OSPF runs on it. */
  interface: string;
  address: string;
  routerId: string;
}

export interface EosSimOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral (default). */
  port?: number;
  /** HTTPS with a self-signed certificate (default, as `management api http-commands` serves) or plain HTTP (`protocol http`). */
  tls?: boolean;
  hostname: string;
  /** `modelName` in `show version`; default cEOSLab. */
  model?: string;
  /** EOS release; default 4.32.0F. */
  version?: string;
  serial?: string;
  /** Login accepted; default admin / admin (containerlab's cEOS defaults). */
  username?: string;
  password?: string;
  /** `show running-config` text to boot with; default containerlab's cEOS startup configuration. */
  initialConfig?: string;
  faults?: Partial<EosFaults>;
  neighbors?: EosOspfNeighborSpec[];
  /** Time source for commit timers, uptime and timestamps; default the system clock. Tests pass a ManualClock. */
  clock?: SimClock;
}

export interface EosSessionInfo {
  readonly name: string;
  readonly state: 'pending' | 'pendingCommitTimer' | 'completed';
  readonly user: string;
  readonly description: string;
}

export interface EosCommitRecord {
  readonly session: string | undefined;
  readonly user: string;
  readonly time: Date;
  /** 'commit', 'commit timer', 'confirm', 'timer revert', 'abort revert', 'configure replace', 'configure terminal'. */
  readonly kind: string;
}

export interface EosSim {
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  readonly tls: boolean;
  /** The server's certificate (PEM) when tls. */
  readonly certificate: string | undefined;
  /** `http(s)://host:port/command-api`. */
  readonly url: string;
  setFaults(f: Partial<EosFaults>): void;
  /** `show running-config` text. */
  runningConfig(): string;
  /** Configuration sessions the device keeps (pending, pending commit timer, completed). */
  sessions(): EosSessionInfo[];
  /** Running-config changes, newest first. */
  commitHistory(): EosCommitRecord[];
  /** Applies configuration lines out of band (another user with configure terminal): drift for tests. */
  configureLocal(lines: readonly string[]): void;
  /** eAPI requests answered so far (each a runCmds call). */
  requestCount(): number;
  /** TCP connections accepted so far (keep-alive reuses one). */
  connectionCount(): number;
  close(): Promise<void>;
}
