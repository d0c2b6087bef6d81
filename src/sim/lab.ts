/**
 * A simulated containerlab lab on loopback: N simulated nodes on consecutive 127.x addresses, plus
 * the files containerlab would write (`clab-NAME/topology-data.json`,
 * `clab-NAME/nornir-simple-inventory.yml`, and the topology file next to them), so the inventory
 * readers find the lab exactly as they find a real one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { UsageError } from '../errors.js';
import { DEFAULT_JUNOS_VERSION, startJunosSim } from './junos/index.js';
import { chainLinks, chainNode } from './junos/lab-topology.js';
import { startEosSim } from './eos/index.js';
import { EOS_CHAIN_INTERFACES, eosChainNode } from './eos/lab-topology.js';
import { startSrlinuxSim } from './srlinux/index.js';
import { srlChainNode } from './srlinux/lab-topology.js';
import { makeLabCertificates } from './tls.js';
import { startXrSim, XR_CHAIN_INTERFACES, xrChainNode } from './ios-xr/index.js';
import { IOS_CHAIN_INTERFACES, iosChainNode, startIosSim } from './ios/index.js';

/** One running simulated node, whatever its kind. */
export interface SimHandle {
  /** The port it listens on (resolved when started on port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** How to run one kind in a simulated lab. Other simulators register theirs with registerSimKind. */
export interface SimKind {
  /** Canonical containerlab kind. */
  readonly kind: string;
  readonly aliases: readonly string[];
  /** The management port the kind serves on a real lab (830 for NETCONF). */
  readonly standardPort: number;
  readonly image: string;
  readonly defaultCredentials: { readonly username: string; readonly password: string };
  /** Interface names the chain topology uses on each node: [towards previous, towards next]. */
  readonly chainInterfaces: readonly [string, string];
  /** Serves HTTPS: the lab gets a CA (clab-<lab>/.tls/ca/ca.pem, where containerlab keeps its own) and nodes a certificate from it. */
  readonly tls?: boolean;
  start(node: SimNodeSpec): Promise<SimHandle>;
}

export interface SimNodeSpec {
  readonly name: string;
  /** 1-based position in the lab. */
  readonly index: number;
  readonly count: number;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly latencyMs: number;
  /** Certificate and key (PEM) for kinds that serve HTTPS. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

const registry = new Map<string, SimKind>();

/** Makes a kind (and its aliases) available to startSimLab. */
export function registerSimKind(spec: SimKind): void {
  for (const name of [spec.kind, ...spec.aliases]) registry.set(name, spec);
}

/** Canonical kinds startSimLab can simulate. */
export function simulatedKinds(): string[] {
  return [...new Set([...registry.values()].map((k) => k.kind))].sort();
}

/** What every simulator takes from its node: where it listens, who logs in, its place in the chain topology. */
function chainSimOptions<C, N>(n: SimNodeSpec, topo: { readonly initialConfig: C; readonly neighbors: N }) {
  return {
    host: n.host,
    port: n.port,
    hostname: n.name,
    username: n.username,
    password: n.password,
    initialConfig: topo.initialConfig,
    neighbors: topo.neighbors,
    faults: { latencyMs: n.latencyMs },
  };
}

function junosKind(
  kind: string,
  aliases: string[],
  model: string,
  image: string,
  extra: { rfcCompliant?: boolean; credentials?: { username: string; password: string } } = {},
): SimKind {
  return {
    kind,
    aliases,
    standardPort: 830,
    image,
    defaultCredentials: extra.credentials ?? { username: 'admin', password: 'admin@123' },
    chainInterfaces: ['ge-0/0/0', 'ge-0/0/1'],
    start: async (n) => {
      const topo = chainNode(n.index, n.count, n.name, n.username);
      return startJunosSim({ ...chainSimOptions(n, topo), model, routes: topo.routes, rfcCompliant: extra.rfcCompliant ?? false });
    },
  };
}

const V = DEFAULT_JUNOS_VERSION;
registerSimKind(junosKind('juniper_vjunosrouter', ['vjunosrouter'], 'vmx', `vrnetlab/juniper_vjunos-router:${V}`));
registerSimKind(junosKind('juniper_vjunosswitch', ['vjunosswitch'], 'ex9214', `vrnetlab/juniper_vjunos-switch:${V}`));
registerSimKind(junosKind('juniper_vjunosevolved', ['vjunosevolved'], 'ptx10001-36mr', `vrnetlab/juniper_vjunosevolved:${V}-EVO`));
registerSimKind(junosKind('juniper_vmx', ['vr-vmx', 'vr-juniper_vmx', 'vmx'], 'vmx', `vrnetlab/juniper_vmx:${V}`, { rfcCompliant: true }));
registerSimKind(junosKind('juniper_vqfx', ['vr-vqfx', 'vr-juniper_vqfx', 'vqfx'], 'vqfx-10000', 'vrnetlab/juniper_vqfx:20.2R1.10', { rfcCompliant: true }));
registerSimKind(junosKind('juniper_vsrx', ['vr-vsrx', 'vr-juniper_vsrx', 'vsrx'], 'vsrx', `vrnetlab/juniper_vsrx:${V}`));
registerSimKind(
  junosKind('juniper_crpd', ['crpd'], 'crpd', `crpd:${V}`, { credentials: { username: 'root', password: 'clab123' } }),
);
registerSimKind(junosKind('juniper_cjunosevolved', ['cjunosevolved'], 'ptx10002-36qdd', `cjunosevolved:${V}-EVO`));

/** cEOS: eAPI over HTTPS on 443 with a self-signed certificate, admin/admin (containerlab's defaults). */
function eosKind(kind: string, aliases: string[], image: string): SimKind {
  return {
    kind,
    aliases,
    standardPort: 443,
    image,
    defaultCredentials: { username: 'admin', password: 'admin' },
    chainInterfaces: EOS_CHAIN_INTERFACES,
    start: async (n) => {
      return startEosSim(chainSimOptions(n, eosChainNode(n.index, n.count, n.name, n.username)));
    },
  };
}

registerSimKind(eosKind('arista_ceos', ['ceos'], 'ceos:4.32.0F'));
registerSimKind({
  kind: 'nokia_srlinux',
  aliases: ['srl', 'srlinux'],
  standardPort: 443,
  image: 'ghcr.io/nokia/srlinux:24.10.1',
  defaultCredentials: { username: 'admin', password: 'NokiaSrl1!' },
  chainInterfaces: ['ethernet-1/1', 'ethernet-1/2'],
  tls: true,
  start: async (n) => {
    return startSrlinuxSim({ ...chainSimOptions(n, srlChainNode(n.index, n.count)), ...(n.tls === undefined ? {} : { tls: n.tls }) });
  },
});

/** XRd: the IOS-XR CLI over SSH on 22, clab / clab@123 (containerlab's defaults). */
registerSimKind({
  kind: 'cisco_xrd',
  aliases: ['xrd'],
  standardPort: 22,
  image: 'ios-xr/xrd-control-plane:24.1.1',
  defaultCredentials: { username: 'clab', password: 'clab@123' },
  chainInterfaces: XR_CHAIN_INTERFACES,
  start: async (n) => {
    return startXrSim(chainSimOptions(n, xrChainNode(n.index, n.count, n.name, n.username)));
  },
});

/** IOL: the IOS CLI over SSH on 22, admin / admin; like containerlab's startup configuration, no configuration archive. */
registerSimKind({
  kind: 'cisco_iol',
  aliases: ['iol'],
  standardPort: 22,
  image: 'vrnetlab/cisco_iol:17.12.01',
  defaultCredentials: { username: 'admin', password: 'admin' },
  chainInterfaces: IOS_CHAIN_INTERFACES,
  start: async (n) => {
    return startIosSim(chainSimOptions(n, iosChainNode(n.index, n.count, n.name, n.username)));
  },
});

export interface SimLabOptions {
  /** containerlab lab name (`name:` of the topology). */
  readonly lab: string;
  /** Canonical kind, containerlab alias or short form (`vjunosrouter`). */
  readonly kind: string;
  readonly count: number;
  /** Directory that receives the topology file and `clab-<lab>/`. */
  readonly dir: string;
  /** Node names are `${prefix}1…${prefix}N`; default `node`. */
  readonly prefix?: string;
  /** First loopback address; default 127.20.20.1. */
  readonly baseIp?: string;
  /** Port every node listens on; default the kind's standard port when bindable, else an ephemeral one. */
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly latencyMs?: number;
}

export interface SimLabNode {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** True when the kind's standard port could not be bound and an ephemeral port was used instead. */
  readonly portFallback: boolean;
  readonly sim: SimHandle;
}

export interface SimLab {
  readonly lab: string;
  readonly kind: string;
  readonly nodes: readonly SimLabNode[];
  /** The directory holding the topology file (the lab's directory in clab-bot terms). */
  readonly dir: string;
  readonly topologyFile: string;
  /** `<dir>/clab-<lab>`. */
  readonly labDir: string;
  /** Things the operator should know (e.g. the port fallback). */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

export const MAX_SIM_NODES = 500;

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) >>> 0;
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function isListenDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EADDRINUSE' || code === 'EPERM';
}

/**
 * Starts the lab and writes its files. Throws UsageError for an unknown kind, a non-loopback base
 * address or a count out of range; nothing is left running when it throws.
 */
export async function startSimLab(opts: SimLabOptions): Promise<SimLab> {
  const spec = registry.get(opts.kind) ?? registry.get(`juniper_${opts.kind}`);
  if (spec === undefined) {
    throw new UsageError(`kind ${opts.kind} cannot be simulated`, { hint: `simulated kinds: ${simulatedKinds().join(', ')}` });
  }
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_SIM_NODES) {
    throw new UsageError(`--count must be between 1 and ${MAX_SIM_NODES}, got ${opts.count}`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(opts.lab)) throw new UsageError(`lab name ${JSON.stringify(opts.lab)} must be letters, digits, '.', '_' or '-'`);
  const baseIp = opts.baseIp ?? '127.20.20.1';
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(baseIp) || baseIp.split('.').some((o) => Number(o) > 255)) {
    throw new UsageError(`--base-ip must be an IPv4 loopback address (127.x.y.z), got ${baseIp}`);
  }
  const first = ipToInt(baseIp);
  // Simulators log in with default passwords: they listen only where nothing outside this host (or
  // network namespace) reaches them: 127/8, or addresses put on the loopback interface (a lab
  // host's management addresses in a test's namespace, e.g. 172.20.20.2 on `lo`).
  const onLoopback = new Set((networkInterfaces()['lo'] ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address));
  const outside = Array.from({ length: opts.count }, (_, i) => intToIp(first + i)).find((ip) => !ip.startsWith('127.') && !onLoopback.has(ip));
  if (outside !== undefined) {
    throw new UsageError(`--base-ip: ${outside} is not a loopback address (127.x.y.z, or an address on the lo interface)`, {
      hint: 'use a 127.x.y.z address, or add the address to lo first (ip addr add ADDR/32 dev lo)',
    });
  }
  const prefix = opts.prefix ?? 'node';
  const username = opts.username ?? spec.defaultCredentials.username;
  const password = opts.password ?? spec.defaultCredentials.password;
  const dir = resolve(opts.dir);
  const labDir = join(dir, `clab-${opts.lab}`);
  const topologyFile = join(dir, `${opts.lab}.clab.yml`);

  const hosts = Array.from({ length: opts.count }, (_, i) => intToIp(first + i));
  let tls: { certPem: string; keyPem: string } | undefined;
  if (spec.tls === true) {
    const certs = makeLabCertificates(opts.lab, [...hosts, 'localhost']);
    mkdirSync(join(labDir, '.tls', 'ca'), { recursive: true });
    writeFileSync(join(labDir, '.tls', 'ca', 'ca.pem'), certs.caPem);
    tls = { certPem: certs.certPem, keyPem: certs.keyPem };
  }

  const nodes: SimLabNode[] = [];
  const notes: string[] = [];
  let standardDenied: string | undefined;
  try {
    for (let i = 1; i <= opts.count; i++) {
      const name = `${prefix}${i}`;
      const host = intToIp(first + i - 1);
      const base = { name, index: i, count: opts.count, host, username, password, latencyMs: opts.latencyMs ?? 0, ...(tls === undefined ? {} : { tls }) };
      if (opts.port !== undefined) {
        const sim = await spec.start({ ...base, port: opts.port });
        nodes.push({ name, host, port: sim.port, portFallback: false, sim });
        continue;
      }
      let sim: SimHandle | undefined;
      let port = spec.standardPort;
      if (standardDenied === undefined) {
        try {
          sim = await spec.start({ ...base, port });
        } catch (err) {
          if (!isListenDenied(err)) throw err;
          standardDenied = (err as NodeJS.ErrnoException).code ?? 'denied';
        }
      }
      if (sim === undefined) {
        sim = await spec.start({ ...base, port: 0 });
        port = sim.port;
      }
      nodes.push({ name, host, port, portFallback: port !== spec.standardPort, sim });
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.sim.close()));
    throw err;
  }
  if (standardDenied !== undefined) {
    notes.push(
      `port ${spec.standardPort} could not be bound (${standardDenied === 'EADDRINUSE' ? 'EADDRINUSE: another program, perhaps another simulated lab, holds it on these addresses' : `${standardDenied}; ports below 1024 need root`}): nodes listen on ephemeral ports, recorded in each node's label clab-bot.port`,
    );
  }

  writeLabFiles({ lab: opts.lab, spec, nodes, dir, labDir, topologyFile, username, password });
  return {
    lab: opts.lab,
    kind: spec.kind,
    nodes,
    dir,
    topologyFile,
    labDir,
    notes,
    close: async () => {
      await Promise.all(nodes.map((n) => n.sim.close()));
    },
  };
}

interface LabFiles {
  readonly lab: string;
  readonly spec: SimKind;
  readonly nodes: readonly SimLabNode[];
  readonly dir: string;
  readonly labDir: string;
  readonly topologyFile: string;
  readonly username: string;
  readonly password: string;
}

function owner(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? '';
  }
}

/** Writes the topology file, topology-data.json (containerlab's current auto.tmpl shape) and the nornir inventory. */
function writeLabFiles(f: LabFiles): void {
  mkdirSync(f.labDir, { recursive: true });
  const bridge = `br-${f.lab.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}0sim`;
  const [prevIf, nextIf] = f.spec.chainInterfaces;
  const first = f.nodes[0];
  const subnet = first === undefined ? '127.20.20.0/24' : `${first.host.split('.').slice(0, 3).join('.')}.0/24`;
  const labelsOf = (n: SimLabNode): Record<string, string> => ({
    'clab-mgmt-net-bridge': bridge,
    'clab-node-group': '',
    'clab-node-kind': f.spec.kind,
    'clab-node-lab-dir': join(f.labDir, n.name),
    'clab-node-longname': `clab-${f.lab}-${n.name}`,
    'clab-node-name': n.name,
    'clab-node-type': '',
    'clab-owner': owner(),
    'clab-topo-file': f.topologyFile,
    containerlab: f.lab,
    ...(n.portFallback ? { 'clab-bot.port': String(n.port) } : {}),
  });

  const topology = {
    name: f.lab,
    mgmt: { network: 'clab', 'ipv4-subnet': subnet },
    topology: {
      kinds: { [f.spec.kind]: { image: f.spec.image } },
      nodes: Object.fromEntries(
        f.nodes.map((n) => [
          n.name,
          { kind: f.spec.kind, 'mgmt-ipv4': n.host, ...(n.portFallback ? { labels: { 'clab-bot.port': String(n.port) } } : {}) },
        ]),
      ),
      links: chainLinks(f.nodes.length).map((l) => ({
        endpoints: [`${f.nodes[l.left - 1]?.name}:${nextIf}`, `${f.nodes[l.left]?.name}:${prevIf}`],
      })),
    },
  };
  writeFileSync(
    f.topologyFile,
    `# simulated by clab-bot: ${f.nodes.length} ${f.spec.kind} node(s) on loopback\n${YAML.stringify(topology)}`,
  );

  const data = {
    name: f.lab,
    type: 'clab',
    clab: {
      config: {
        prefix: 'clab',
        mgmt: { network: 'clab', bridge, 'ipv4-subnet': subnet, mtu: 1500, 'external-access': true },
      },
    },
    'ssh-pub-keys': [] as string[],
    nodes: Object.fromEntries(
      f.nodes.map((n, i) => [
        n.name,
        {
          index: String(i),
          shortname: n.name,
          longname: `clab-${f.lab}-${n.name}`,
          fqdn: `${n.name}.${f.lab}.io`,
          group: '',
          labdir: join(f.labDir, n.name),
          kind: f.spec.kind,
          image: f.spec.image,
          'mgmt-net': '',
          'mgmt-intf': '',
          'mgmt-ipv4-address': n.host,
          'mgmt-ipv4-prefix-length': 24,
          'mgmt-ipv6-address': '',
          'mgmt-ipv6-prefix-length': 0,
          'mac-address': '',
          labels: labelsOf(n),
          'port-bindings': [] as unknown[],
        },
      ]),
    ),
    links: chainLinks(f.nodes.length).map((l) => {
      const a = f.nodes[l.left - 1] as SimLabNode;
      const z = f.nodes[l.left] as SimLabNode;
      return {
        endpoints: {
          a: { node: a.name, interface: nextIf, mac: macFor(l.left, 1), peer: 'z' },
          z: { node: z.name, interface: prevIf, mac: macFor(l.left, 2), peer: 'a' },
        },
      };
    }),
  };
  writeFileSync(join(f.labDir, 'topology-data.json'), `${JSON.stringify(data, null, 2)}\n`);

  const nornir = Object.fromEntries(
    f.nodes.map((n) => [n.name, { username: f.username, password: f.password, platform: f.spec.kind, hostname: n.host }]),
  );
  writeFileSync(join(f.labDir, 'nornir-simple-inventory.yml'), `---\n${YAML.stringify(nornir, { indent: 4 })}`);
}

function macFor(link: number, side: number): string {
  return `aa:c1:ab:${((link >> 8) & 255).toString(16).padStart(2, '0')}:${(link & 255).toString(16).padStart(2, '0')}:0${side}`;
}
