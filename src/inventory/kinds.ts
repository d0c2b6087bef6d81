/**
 * The one kinds table: every node kind containerlab v0.79 registers (96 names: canonical plus
 * aliases), with vendor, the clab-bot driver, containerlab's default credentials and the management
 * service the driver talks to. Facts: docs/containerlab-inventory.md §4, docs/driver-protocols.md §5.
 */
import type { Credentials, DriverName } from './types.js';

export type CanonicalKind =
  | 'nokia_srlinux' | 'nokia_srsim' | 'nokia_sros'
  | 'arista_ceos' | 'arista_veos'
  | 'juniper_crpd' | 'juniper_csrx' | 'juniper_vmx' | 'juniper_vqfx' | 'juniper_vsrx'
  | 'juniper_vjunosrouter' | 'juniper_vjunosswitch' | 'juniper_vjunosevolved' | 'juniper_cjunosevolved'
  | 'cisco_xrd' | 'cisco_xrd_vrouter' | 'cisco_xrv' | 'cisco_xrv9k' | 'cisco_csr1000v' | 'cisco_n9kv'
  | 'cisco_c8000' | 'cisco_c8000v' | 'cisco_cat9kv' | 'cisco_iol' | 'cisco_vios' | 'cisco_sdwan'
  | 'cisco_asav' | 'cisco_ftdv'
  | 'aruba_aoscx' | 'dell_ftosv' | 'mikrotik_ros' | 'paloalto_panos' | 'ciena_saos'
  | 'nvidia_cumulusvx' | 'cumulus_cvx' | 'ipinfusion_ocnos' | 'arrcus_arcos' | 'generic_vm'
  | 'f5_bigip-ve' | 'fdio_vpp'
  | 'dell_sonic' | 'sonic-vm' | 'plvision_sonic' | 'huawei_vrp' | 'fortinet_fortigate'
  | 'checkpoint_cloudguard' | '6wind_vsr' | 'vyosnetworks_vyos' | 'freebsd' | 'openbsd'
  | 'sonic-vs' | 'keysight_ixia-c-one' | 'spirent_stc' | 'veesix_osvbng' | 'rare' | 'openwrt'
  | 'linux' | 'bridge' | 'ovs-bridge' | 'host' | 'ext-container' | 'k8s-kind';

export type MgmtProtocol = 'netconf' | 'json-rpc' | 'eapi' | 'ssh';

/** A management service a node of this kind offers after containerlab's default config. */
export interface MgmtService {
  readonly protocol: MgmtProtocol;
  readonly port: number;
  /** HTTP APIs only: https (true) or plain http (false). */
  readonly tls?: boolean;
}

export interface KindSpec {
  readonly kind: CanonicalKind;
  /** Other names containerlab accepts for this kind (`srl`, `vr-vmx`, …), lower case. */
  readonly aliases: readonly string[];
  readonly vendor: string;
  /** Human name for listings. */
  readonly title: string;
  readonly driver: DriverName;
  /** containerlab's registry default; undefined where containerlab has none. */
  readonly credentials: Credentials | undefined;
  /** The service the driver uses by default; undefined for driver `none`. */
  readonly mgmt: MgmtService | undefined;
  /** Every default service, preferred first (`mgmt` is the first). */
  readonly services: readonly MgmtService[];
  /** scrapli platform name for CLI drivers (containerlab's own `save` uses the same names). */
  readonly cliPlatform: string | undefined;
}

const SSH: MgmtService = { protocol: 'ssh', port: 22 };
const NETCONF: MgmtService = { protocol: 'netconf', port: 830 };
const JSON_RPC_HTTPS: MgmtService = { protocol: 'json-rpc', port: 443, tls: true };
const JSON_RPC_HTTP: MgmtService = { protocol: 'json-rpc', port: 80, tls: false };
const EAPI_HTTPS: MgmtService = { protocol: 'eapi', port: 443, tls: true };

type Row = Omit<KindSpec, 'kind' | 'mgmt' | 'credentials'> & { readonly credentials?: readonly [string, string] };

const creds = (username: string, password: string): readonly [string, string] => [username, password];
const JUNOS_VM = creds('admin', 'admin@123');
const ADMIN = creds('admin', 'admin');
const CLAB = creds('clab', 'clab@123');

function junos(title: string, aliases: readonly string[], credentials: readonly [string, string]): Row {
  // vsrx/vqfx NETCONF is configured by vrnetlab but unverified (driver-protocols.md §5); cjunosevolved only
  // when its startup config enables it. The Junos driver is still the right one for all of them.
  return { aliases, vendor: 'juniper', title, driver: 'junos', credentials, services: [NETCONF, SSH], cliPlatform: 'juniper_junos' };
}

function cli(vendor: string, title: string, aliases: readonly string[], credentials: readonly [string, string] | undefined,
  cliPlatform?: string, extra: readonly MgmtService[] = []): Row {
  return {
    aliases, vendor, title, driver: 'ssh-cli', services: [SSH, ...extra], cliPlatform,
    ...(credentials === undefined ? {} : { credentials }),
  };
}

function inert(vendor: string, title: string): Row {
  return { aliases: [], vendor, title, driver: 'none', services: [], cliPlatform: undefined };
}

const ROWS: Record<CanonicalKind, Row> = {
  nokia_srlinux: {
    aliases: ['srl'], vendor: 'nokia', title: 'Nokia SR Linux', driver: 'srlinux', credentials: creds('admin', 'NokiaSrl1!'),
    // containerlab enables JSON-RPC on both https/443 and http/80 in the mgmt network-instance.
    services: [JSON_RPC_HTTPS, JSON_RPC_HTTP, SSH, NETCONF], cliPlatform: 'nokia_srlinux',
  },
  nokia_srsim: cli('nokia', 'Nokia SR-SIM', [], creds('admin', 'NokiaSros1!'), 'nokia_sros', [NETCONF]),
  nokia_sros: cli('nokia', 'Nokia SR OS (vrnetlab VM)', ['vr-sros', 'vr-nokia_sros'], ADMIN, 'nokia_sros', [NETCONF]),
  arista_ceos: {
    aliases: ['ceos'], vendor: 'arista', title: 'Arista cEOS', driver: 'eos', credentials: ADMIN,
    services: [EAPI_HTTPS, NETCONF, SSH], cliPlatform: 'arista_eos',
  },
  arista_veos: {
    aliases: ['vr-veos', 'vr-arista_veos'], vendor: 'arista', title: 'Arista vEOS (vrnetlab VM)', driver: 'eos', credentials: ADMIN,
    services: [EAPI_HTTPS, NETCONF, SSH], cliPlatform: 'arista_eos',
  },
  juniper_crpd: junos('Juniper cRPD', ['crpd'], creds('root', 'clab123')),
  juniper_csrx: junos('Juniper cSRX', [], creds('root', 'clab123')),
  juniper_vmx: junos('Juniper vMX (vrnetlab VM)', ['vr-vmx', 'vr-juniper_vmx'], JUNOS_VM),
  juniper_vqfx: junos('Juniper vQFX (vrnetlab VM)', ['vr-vqfx', 'vr-juniper_vqfx'], JUNOS_VM),
  juniper_vsrx: junos('Juniper vSRX (vrnetlab VM)', ['vr-vsrx', 'vr-juniper_vsrx'], JUNOS_VM),
  juniper_vjunosrouter: junos('Juniper vJunos-router', [], JUNOS_VM),
  juniper_vjunosswitch: junos('Juniper vJunos-switch', [], JUNOS_VM),
  juniper_vjunosevolved: junos('Juniper vJunosEvolved', [], JUNOS_VM),
  juniper_cjunosevolved: junos('Juniper cJunosEvolved', ['cjunosevolved'], JUNOS_VM),
  cisco_xrd: cli('cisco', 'Cisco XRd', ['xrd'], CLAB, 'cisco_iosxr', [NETCONF]),
  cisco_xrd_vrouter: cli('cisco', 'Cisco XRd vRouter', [], CLAB, 'cisco_iosxr', [NETCONF]),
  cisco_xrv: cli('cisco', 'Cisco XRv (vrnetlab VM)', ['vr-xrv', 'vr-cisco_xrv'], CLAB, 'cisco_iosxr', [NETCONF]),
  cisco_xrv9k: cli('cisco', 'Cisco XRv9k (vrnetlab VM)', ['vr-xrv9k', 'vr-cisco_xrv9k'], CLAB, 'cisco_iosxr', [NETCONF]),
  cisco_csr1000v: cli('cisco', 'Cisco CSR1000v (vrnetlab VM)', ['vr-csr', 'vr-cisco_csr1000v'], ADMIN, 'cisco_iosxe'),
  cisco_n9kv: cli('cisco', 'Cisco Nexus 9000v (vrnetlab VM)', ['vr-n9kv', 'vr-cisco_n9kv'], ADMIN, 'cisco_nxos'),
  // containerlab's Go code and docs say cisco/cisco123; its c8000.cfg creates user cisco123 (driver-protocols.md §5).
  cisco_c8000: cli('cisco', 'Cisco 8000', ['c8000'], creds('cisco', 'cisco123'), 'cisco_iosxr', [NETCONF]),
  cisco_c8000v: cli('cisco', 'Cisco Catalyst 8000v', [], ADMIN, 'cisco_iosxe'),
  cisco_cat9kv: cli('cisco', 'Cisco Catalyst 9000v', [], ADMIN, 'cisco_iosxe'),
  cisco_iol: cli('cisco', 'Cisco IOL', [], ADMIN, 'cisco_ios'),
  cisco_vios: cli('cisco', 'Cisco vIOS', [], ADMIN, 'cisco_ios'),
  cisco_sdwan: cli('cisco', 'Cisco SD-WAN', [], ADMIN, 'cisco_iosxe'),
  cisco_asav: cli('cisco', 'Cisco ASAv', [], creds('admin', 'CiscoAsa1!')),
  cisco_ftdv: cli('cisco', 'Cisco FTDv', [], creds('admin', 'Admin@123')),
  aruba_aoscx: cli('aruba', 'Aruba AOS-CX', ['vr-aoscx', 'vr-aruba_aoscx'], ADMIN),
  dell_ftosv: cli('dell', 'Dell FTOS10v', ['vr-ftosv', 'vr-dell_ftosv'], ADMIN),
  mikrotik_ros: cli('mikrotik', 'MikroTik RouterOS', ['vr-ros', 'vr-mikrotik_ros'], ADMIN),
  paloalto_panos: cli('paloalto', 'Palo Alto PAN-OS', ['vr-pan', 'vr-paloalto_panos'], creds('admin', 'Admin@123')),
  ciena_saos: cli('ciena', 'Ciena SAOS', ['vr-ciena_saos'], creds('diag', 'ciena123')),
  nvidia_cumulusvx: cli('nvidia', 'NVIDIA Cumulus VX', [], creds('cumulus', 'Clab123!')),
  cumulus_cvx: cli('nvidia', 'Cumulus VX (legacy container)', ['cvx'], undefined),
  ipinfusion_ocnos: cli('ipinfusion', 'IP Infusion OcNOS', [], creds('admin', 'admin@123')),
  arrcus_arcos: cli('arrcus', 'Arrcus ArcOS', [], CLAB),
  generic_vm: cli('generic', 'Generic VM', [], CLAB),
  'f5_bigip-ve': cli('f5', 'F5 BIG-IP VE', [], creds('admin', 'Labl@b!234')),
  fdio_vpp: cli('fdio', 'FD.io VPP', [], creds('root', 'vpp')),
  dell_sonic: cli('dell', 'Dell Enterprise SONiC', [], ADMIN),
  'sonic-vm': cli('sonic', 'SONiC (VM)', [], ADMIN),
  plvision_sonic: cli('plvision', 'PLVision SONiC', [], ADMIN),
  huawei_vrp: cli('huawei', 'Huawei VRP', [], ADMIN),
  fortinet_fortigate: cli('fortinet', 'Fortinet FortiGate', [], ADMIN),
  checkpoint_cloudguard: cli('checkpoint', 'Check Point CloudGuard', [], ADMIN),
  '6wind_vsr': cli('6wind', '6WIND VSR', [], ADMIN),
  vyosnetworks_vyos: cli('vyos', 'VyOS', [], ADMIN),
  freebsd: cli('freebsd', 'FreeBSD', [], ADMIN),
  openbsd: cli('openbsd', 'OpenBSD', [], ADMIN),
  'sonic-vs': cli('sonic', 'SONiC (container)', [], undefined),
  'keysight_ixia-c-one': inert('keysight', 'Keysight Ixia-c-one'),
  spirent_stc: inert('spirent', 'Spirent STC'),
  veesix_osvbng: cli('veesix', 'osvbng', [], undefined),
  rare: cli('rare', 'RARE/freeRtr', [], undefined),
  openwrt: cli('openwrt', 'OpenWrt', [], undefined),
  // linux (FRR and friends): no service by default; the linux driver uses Docker exec, or SSH when set up.
  linux: { ...cli('linux', 'Linux container', [], undefined, 'linux'), driver: 'linux' },
  bridge: inert('linux', 'Linux bridge'),
  'ovs-bridge': inert('linux', 'Open vSwitch bridge'),
  host: inert('linux', 'Container host'),
  'ext-container': inert('linux', 'External container'),
  'k8s-kind': inert('linux', 'Kubernetes in Docker cluster'),
};

function toSpec(kind: CanonicalKind, row: Row): KindSpec {
  const credentials = row.credentials === undefined
    ? undefined
    : { username: row.credentials[0], password: row.credentials[1] };
  return Object.freeze({ ...row, kind, credentials, mgmt: row.driver === 'none' ? undefined : row.services[0] });
}

const SPECS = Object.fromEntries(
  (Object.entries(ROWS) as [CanonicalKind, Row][]).map(([kind, row]) => [kind, toSpec(kind, row)]),
) as Record<CanonicalKind, KindSpec>;

/** The vendor-less form (`juniper_vjunosrouter` → `vjunosrouter`); undefined for names without a vendor part. */
function shortForm(kind: CanonicalKind): string | undefined {
  const cut = kind.indexOf('_');
  return cut > 0 ? kind.slice(cut + 1) : undefined;
}

/** Every accepted name (lower case) → its kind. Short forms that two kinds share (`sonic`) are left out. */
const BY_NAME: ReadonlyMap<string, KindSpec> = (() => {
  const byName = new Map<string, KindSpec>();
  for (const spec of Object.values(SPECS)) {
    byName.set(spec.kind, spec);
    for (const alias of spec.aliases) byName.set(alias, spec);
  }
  const shortOwners = new Map<string, Set<KindSpec>>();
  for (const spec of Object.values(SPECS)) {
    const short = shortForm(spec.kind);
    if (short === undefined) continue;
    const owners = shortOwners.get(short) ?? new Set<KindSpec>();
    owners.add(spec);
    shortOwners.set(short, owners);
  }
  for (const [short, owners] of shortOwners) {
    const [only] = owners;
    const taken = byName.get(short);
    if (owners.size === 1 && only !== undefined && (taken === undefined || taken === only)) byName.set(short, only);
  }
  return byName;
})();

/** All kinds, in table order. */
export function kindSpecs(): readonly KindSpec[] {
  return Object.values(SPECS);
}

/** The spec of a canonical kind. */
export function kindSpec(kind: CanonicalKind): KindSpec {
  return SPECS[kind];
}

/** Canonical name, containerlab alias or vendor-less short form, any case → its spec; undefined if unknown. */
export function resolveKind(name: string): KindSpec | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** Every name `resolveKind` accepts (canonical, aliases, short forms), sorted: for completion and suggestions. */
export function kindNames(): readonly string[] {
  return [...BY_NAME.keys()].sort();
}

/** Per kind, every name it answers to: canonical first, then aliases and short form. */
const NAMES_OF: ReadonlyMap<KindSpec, readonly string[]> = (() => {
  const names = new Map<KindSpec, string[]>();
  for (const spec of Object.values(SPECS)) names.set(spec, [spec.kind]);
  for (const [name, spec] of BY_NAME) if (name !== spec.kind) names.get(spec)?.push(name);
  return names;
})();

/** The names one kind answers to: canonical first, then aliases and short form; an unknown kind only itself. */
export function namesOfKind(kind: string): readonly string[] {
  const spec = resolveKind(kind);
  return spec === undefined ? [kind.trim().toLowerCase()] : NAMES_OF.get(spec) ?? [spec.kind];
}

const GLOB_CHARS = /[*?[]/;

export function isKindGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end > i + 1) {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      } else source += '\\[';
    } else source += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Does `pattern` select nodes of `kind`? The pattern is a kind name in any accepted form, or a glob
 * (`juniper_*`, `vjunos*`, `vr-?mx`) tried against the kind's canonical name, aliases and short form.
 * `kind` is a node's kind: canonical, or as written when the table does not know it.
 */
export function kindMatches(pattern: string, kind: string): boolean {
  const wanted = pattern.trim().toLowerCase();
  const names = namesOfKind(kind);
  if (isKindGlob(wanted)) {
    const re = globToRegExp(wanted);
    return names.some((name) => re.test(name));
  }
  const spec = resolveKind(wanted);
  return spec === undefined ? names.includes(wanted) : names[0] === spec.kind;
}
