/**
 * Junos NETCONF device simulator: an SSH server with the `netconf` subsystem that answers the RPCs
 * PyEZ, NAPALM and clab-bot's own driver send, backed by a Junos configuration model
 * (config-tree.ts) with commit, commit confirmed, rollbacks and private candidates.
 */
import { createHash } from 'node:crypto';
import { systemClock } from '../clock.js';
import { secretEquals, startSshServer } from '../ssh-server.js';
import { parseConfigText, renderConfigText } from './config-tree.js';
import { JunosDevice } from './device.js';
import { NetconfSession } from './session.js';
import type { JunosFaults, JunosSim, JunosSimOptions } from './types.js';

export type { CommitRecord, JunosFaults, JunosSim, JunosSimOptions, OspfNeighborSpec, RouteSpec } from './types.js';

export const DEFAULT_JUNOS_VERSION = '23.2R1.14';
export const DEFAULT_JUNOS_MODEL = 'vmx';

const DEFAULT_FAULTS: JunosFaults = { latencyMs: 0, authFail: false, dropMidRpc: false, commitError: null, lockedBy: null, holdCommitReplies: false };

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A plausible `$6$` crypt string derived from a seed (never the real password). */
function fakeCrypt(seed: string): string {
  const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = Buffer.from(digest(seed) + digest(`${seed}:2`), 'hex');
  const chars = [...bytes].map((b) => alphabet[b % 64]).join('');
  return `$6$${chars.slice(0, 8)}$${chars.slice(8, 94)}`;
}

/** What vrnetlab puts on a fresh vJunos: host name, login, SSH + NETCONF, fxp0 in mgmt_junos. */
export function defaultJunosConfig(hostname: string, username: string, version: string = DEFAULT_JUNOS_VERSION): string {
  return `version ${version};
system {
    host-name ${hostname};
    root-authentication {
        encrypted-password "${fakeCrypt(`root@${hostname}`)}";
    }
    login {
        user ${username} {
            uid 2000;
            class super-user;
            authentication {
                encrypted-password "${fakeCrypt(`${username}@${hostname}`)}";
            }
        }
    }
    services {
        ssh {
            root-login allow;
        }
        netconf {
            ssh;
        }
    }
    management-instance;
    syslog {
        file interactive-commands {
            interactive-commands any;
        }
        file messages {
            any notice;
            authorization info;
        }
    }
}
interfaces {
    fxp0 {
        unit 0 {
            family inet {
                address 10.0.0.15/24;
            }
        }
    }
}
routing-instances {
    mgmt_junos {
        routing-options {
            static {
                route 0.0.0.0/0 next-hop 10.0.0.2;
            }
        }
    }
}
`;
}

/** Starts one simulated device; resolves once it listens. Rejects on a bad initialConfig or a listen error. */
export async function startJunosSim(opts: JunosSimOptions): Promise<JunosSim> {
  const username = opts.username ?? 'admin';
  const version = opts.version ?? DEFAULT_JUNOS_VERSION;
  const initial = parseConfigText(opts.initialConfig ?? defaultJunosConfig(opts.hostname, username, version));
  const device = new JunosDevice({
    hostname: opts.hostname,
    model: opts.model ?? DEFAULT_JUNOS_MODEL,
    version,
    serial: opts.serial ?? `VM${digest(opts.hostname).slice(0, 10).toUpperCase()}`,
    username,
    password: opts.password ?? 'admin@123',
    initialConfig: initial,
    faults: { ...DEFAULT_FAULTS, ...opts.faults },
    neighbors: opts.neighbors ?? [],
    routes: opts.routes ?? [],
    minuteMs: opts.minuteMs ?? 60_000,
    clock: opts.clock ?? systemClock,
  });
  const sessionOptions = { chunkedFraming: opts.chunkedFraming ?? true, rfcCompliant: opts.rfcCompliant ?? false };
  const server = await startSshServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    checkLogin: (user, password) => !device.faults.authFail && secretEquals(user, device.username) && secretEquals(password, device.password),
    onSubsystem: (name, sub) => {
      if (name !== 'netconf') return false;
      new NetconfSession(device, sub, sessionOptions).start();
      return true;
    },
  });
  return {
    host: server.host,
    port: server.port,
    hostname: opts.hostname,
    setFaults: (f) => {
      device.faults = { ...device.faults, ...f };
      if (!device.faults.holdCommitReplies) device.releaseHeldReplies();
    },
    whenCommitHeld: () => device.whenReplyHeld(),
    runningConfig: () => renderConfigText(device.running),
    commitHistory: () => device.commitRecords(),
    commitLocal: (text, method, comment) => device.commitLocal(text, method, comment),
    writeDeviceFile: (path, content) => {
      const abs = path.startsWith('/') ? path : `/var/home/${username}/${path}`;
      device.files.set(abs, { content, mtime: new Date(device.clock.now()) });
    },
    activeSessions: () => device.sessions.size,
    rpcsAwaitingReply: () => device.rpcsAwaitingReply,
    close: async () => {
      device.releaseHeldReplies();
      device.close();
      for (const s of [...device.sessions]) s.kill();
      await server.close();
    },
  };
}

/** Starts `count` devices named `${hostnamePrefix}1…N` on ephemeral ports (same options otherwise). */
export async function startJunosSims(
  count: number,
  common: Omit<JunosSimOptions, 'hostname' | 'port'> & { hostnamePrefix?: string },
): Promise<JunosSim[]> {
  const { hostnamePrefix = 'vjunos', ...rest } = common;
  const sims: JunosSim[] = [];
  try {
    for (let i = 1; i <= count; i++) sims.push(await startJunosSim({ ...rest, hostname: `${hostnamePrefix}${i}`, port: 0 }));
  } catch (err) {
    await Promise.all(sims.map((s) => s.close()));
    throw err;
  }
  return sims;
}
