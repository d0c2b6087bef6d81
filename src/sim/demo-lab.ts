/**
 * The lab behind `clab-bot demo`: a few simulated vJunos routers in a chain running OSPF (see
 * junos/lab-topology.ts), with `--vendors junos,srlinux,eos,iosxr,ios` also SR Linux, cEOS, XRd and IOL nodes, each
 * vendor in a lab of its own in the same directory, the files containerlab would write, and sample configuration files for a
 * dry run, all in a temporary directory that close() removes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { startSimLab, type SimLab } from './lab.js';

export const DEMO_LAB = 'demo';
export const DEMO_KIND = 'juniper_vjunosrouter';
export const DEMO_PREFIX = 'router';
export const DEFAULT_DEMO_ROUTERS = 4;

/** The vendors the demo can simulate: lab name, kind and node prefix of each. */
export const DEMO_VENDORS = {
  junos: { lab: DEMO_LAB, kind: DEMO_KIND, prefix: DEMO_PREFIX, title: 'vJunos router', baseIp: '127.20.20.1' },
  srlinux: { lab: `${DEMO_LAB}-srl`, kind: 'nokia_srlinux', prefix: 'leaf', title: 'SR Linux node', baseIp: '127.20.21.1' },
  eos: { lab: `${DEMO_LAB}-ceos`, kind: 'arista_ceos', prefix: 'spine', title: 'cEOS node', baseIp: '127.20.22.1' },
  iosxr: { lab: `${DEMO_LAB}-xrd`, kind: 'cisco_xrd', prefix: 'xrd', title: 'XRd router', baseIp: '127.20.23.1' },
  ios: { lab: `${DEMO_LAB}-iol`, kind: 'cisco_iol', prefix: 'iol', title: 'IOL router', baseIp: '127.20.24.1' },
} as const;
export type DemoVendor = keyof typeof DEMO_VENDORS;
/** A lab a person can read at a glance; `clab-bot sim` is there for bigger ones. */
export const MAX_DEMO_ROUTERS = 32;

/** Sample files, relative to the lab directory (where `config --file` paths start). */
export const DEMO_SAMPLES = {
  /** A clean change: NTP server and the OSPF reference bandwidth. */
  change: 'configs/ntp-ospf.conf',
  /** A change commit check refuses: OSPF on an interface that is not configured. */
  broken: 'configs/broken-ospf.conf',
  /** The SR Linux change: flat `set / ...` lines. */
  srlChange: 'configs/srl-change.set',
  /** The cEOS change: EOS CLI lines, staged in a configuration session. */
  eosChange: 'configs/eos-change.cfg',
  /** The XRd change: IOS-XR lines, staged in a configuration session (show commit changes diff). */
  xrChange: 'configs/xr-change.cfg',
  /** The IOL change: IOS lines; IOS has no candidate, the diff is computed from running. */
  iosChange: 'configs/ios-change.cfg',
} as const;

const SAMPLE_XR_CHANGE = `interface GigabitEthernet0/0/0/1
 description core uplink (demo)
!
ntp
 server 10.255.0.100
!
`;

const SAMPLE_IOS_CHANGE = `interface Loopback0
 description router id (demo)
!
ntp server 10.255.0.100
`;

const SAMPLE_EOS_CHANGE = `interface Ethernet2
   description core uplink (demo)
!
ntp server 10.255.0.100
`;

const SAMPLE_SRL_CHANGE = `set / interface ethernet-1/2 description "core uplink (demo)"
set / system information location "demo rack 1"
`;

const SAMPLE_CHANGE = `system {
    ntp {
        server 10.255.0.100;
    }
}
protocols {
    ospf {
        reference-bandwidth 100g;
    }
}
`;

const SAMPLE_BROKEN = `protocols {
    ospf {
        area 0.0.0.0 {
            interface ge-0/0/7.0;
        }
    }
}
`;

export interface DemoLabOptions {
  /** Routers in the chain; default 4. */
  readonly routers?: number;
  /** Where the temporary directory is made; default the OS temp dir. */
  readonly parent?: string;
  readonly latencyMs?: number;
  /** Default ['junos']; each vendor gets its own lab of `routers` nodes in the same directory. */
  readonly vendors?: readonly DemoVendor[];
  /**
   * First loopback address of the first vendor's routers (default 127.20.20.1); each further vendor
   * takes the next /24. Two demos on one host need two.
   */
  readonly baseIp?: string;
}

export interface DemoLab {
  /** The temporary directory holding everything (removed by close()). */
  readonly root: string;
  /** The lab directory: the topology file, clab-demo/ and the sample configs. */
  readonly labDir: string;
  /** The first vendor's lab. */
  readonly lab: SimLab;
  /** Every vendor's lab, in the order asked. */
  readonly labs: readonly { readonly vendor: DemoVendor; readonly lab: SimLab }[];
  /** Notes for the user (e.g. the standard port could not be bound, high ports are used). */
  readonly notes: readonly string[];
  /** Closes every simulator and removes the directory; safe to call twice. */
  close(): Promise<void>;
}

/** Starts the demo lab. Throws UsageError for a bad router count; nothing is left behind when it throws. */
export async function startDemoLab(o: DemoLabOptions = {}): Promise<DemoLab> {
  const routers = o.routers ?? DEFAULT_DEMO_ROUTERS;
  if (!Number.isInteger(routers) || routers < 1 || routers > MAX_DEMO_ROUTERS) {
    throw new UsageError(`--nodes must be a whole number from 1 to ${MAX_DEMO_ROUTERS} (got ${routers})`);
  }
  const vendors = o.vendors ?? ['junos'];
  if (vendors.length === 0) throw new UsageError(`--vendors needs at least one of: ${Object.keys(DEMO_VENDORS).join(', ')}`);
  const root = mkdtempSync(join(o.parent ?? tmpdir(), 'clab-bot-demo-'));
  const labDir = join(root, 'lab');
  const labs: { vendor: DemoVendor; lab: SimLab }[] = [];
  try {
    mkdirSync(join(labDir, 'configs'), { recursive: true });
    writeFileSync(join(labDir, DEMO_SAMPLES.change), SAMPLE_CHANGE);
    writeFileSync(join(labDir, DEMO_SAMPLES.broken), SAMPLE_BROKEN);
    writeFileSync(join(labDir, DEMO_SAMPLES.srlChange), SAMPLE_SRL_CHANGE);
    writeFileSync(join(labDir, DEMO_SAMPLES.eosChange), SAMPLE_EOS_CHANGE);
    writeFileSync(join(labDir, DEMO_SAMPLES.xrChange), SAMPLE_XR_CHANGE);
    writeFileSync(join(labDir, DEMO_SAMPLES.iosChange), SAMPLE_IOS_CHANGE);
    for (const [i, vendor] of [...new Set(vendors)].entries()) {
      const v = DEMO_VENDORS[vendor];
      const lab = await startSimLab({
        lab: v.lab,
        kind: v.kind,
        count: routers,
        dir: labDir,
        prefix: v.prefix,
        baseIp: o.baseIp === undefined ? v.baseIp : nextSubnet(o.baseIp, i),
        ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}),
      });
      labs.push({ vendor, lab });
    }
  } catch (err) {
    await Promise.all(labs.map((l) => l.lab.close()));
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const lab = (labs[0] as { lab: SimLab }).lab;
  let closing: Promise<void> | undefined;
  return {
    root,
    labDir,
    lab,
    labs,
    notes: labs.flatMap((l) => l.lab.notes),
    close: () => {
      closing ??= Promise.all(labs.map((l) => l.lab.close()))
        .then(() => undefined)
        .finally(() => rmSync(root, { recursive: true, force: true }));
      return closing;
    },
  };
}

/** `127.20.77.1` shifted by `n` /24s (`127.20.78.1` for n = 1); the simulator checks the result. */
function nextSubnet(ip: string, n: number): string {
  const parts = ip.split('.');
  if (n === 0 || parts.length !== 4) return ip;
  return [parts[0], parts[1], String(Number(parts[2]) + n), parts[3]].join('.');
}
