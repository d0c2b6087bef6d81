import { resolve } from 'node:path';
import type { Driver, DriverFactory } from './contract.js';
import { UnsupportedError } from './errors.js';
import { createEosDriver, EOS_TRAITS, type EosDriverOptions } from './eos/eos-driver.js';
import { createJunosDriver, JUNOS_TRAITS, type JunosDriverOptions } from './junos/junos-driver.js';
import { createLinuxDriver, LINUX_TRAITS, type LinuxDriverOptions } from './linux/index.js';
import { createSrlinuxDriver, SRLINUX_TRAITS, type SrlinuxDriverOptions } from './srlinux/srlinux-driver.js';
import { createSshCliDriver, sshCliSupports, sshCliTraits, type SshCliDriverOptions } from './ssh-cli/index.js';
import type { DriverTraits } from './traits.js';
import { kindSpecs } from '../inventory/kinds.js';
import type { DriverName, LabNode } from '../inventory/types.js';

export interface DriverOptions {
  readonly junos?: JunosDriverOptions;
  readonly eos?: EosDriverOptions;
  readonly srlinux?: SrlinuxDriverOptions;
  /** Default: auto transport, host keys recorded in ./clab-bot-known-hosts (the app passes the settings). */
  readonly linux?: LinuxDriverOptions;
  /** Cisco IOS-XR and IOS over the SSH CLI. */
  readonly sshCli?: SshCliDriverOptions;
}

type Constructor = (node: LabNode, options: DriverOptions) => Driver;

/**
 * Driver name (from the kinds table) → constructor. `undefined` marks a driver not built yet;
 * the Record type makes a new DriverName a compile error until it is listed here.
 */
const DRIVERS: Readonly<Record<DriverName, Constructor | undefined>> = {
  junos: (node, options) => createJunosDriver(node, options.junos),
  srlinux: (node, options) => createSrlinuxDriver(node, options.srlinux),
  eos: (node, options) => createEosDriver(node, options.eos),
  linux: (node, options) => createLinuxDriver(node, options.linux ?? { settings: { knownHostsFile: resolve('clab-bot-known-hosts') } }),
  'ssh-cli': (node, options) => createSshCliDriver(node, options.sshCli),
  none: undefined,
};

/** Each built driver's limits and wording, readable without a node or a session. */
const TRAITS: Readonly<Record<DriverName, DriverTraits | undefined>> = {
  junos: JUNOS_TRAITS,
  srlinux: SRLINUX_TRAITS,
  eos: EOS_TRAITS,
  linux: LINUX_TRAITS,
  'ssh-cli': undefined,
  none: undefined,
};

/**
 * The traits of driver `name`, undefined for a driver not built. The SSH CLI driver's depend on the
 * platform, so it needs the node's `kind` (without it: undefined).
 */
export function driverTraits(name: DriverName, kind?: string): DriverTraits | undefined {
  if (name === 'ssh-cli') return kind === undefined ? undefined : sshCliTraits(kind);
  return Object.hasOwn(TRAITS, name) ? TRAITS[name] : undefined;
}

/** What each built driver takes as configuration input (for forms and help). */
export function configHints(): string[] {
  const cli = [...new Set(kindSpecs().filter((s) => s.driver === 'ssh-cli').flatMap((s) => sshCliTraits(s.kind)?.configHint ?? []))];
  return [...supportedDrivers().flatMap((name) => driverTraits(name)?.configHint ?? []), ...cli];
}

/** Drivers that exist today, for messages. */
export function supportedDrivers(): DriverName[] {
  return (Object.keys(DRIVERS) as DriverName[]).filter((name) => DRIVERS[name] !== undefined);
}

/** Creates the driver for `node` (not yet open). Throws UnsupportedError naming the kinds supported today. */
export function createDriver(node: LabNode, options: DriverOptions = {}): Driver {
  const construct = Object.hasOwn(DRIVERS, node.driver) ? DRIVERS[node.driver] : undefined;
  if (construct === undefined || (node.driver === 'ssh-cli' && !sshCliSupports(node.kind))) {
    throw new UnsupportedError({ node: node.name, operation: 'connect' }, `kind ${node.kind} (${unsupportedReason(node.driver)})`);
  }
  return construct(node, options);
}

/** A DriverFactory (for the session pool) that builds every driver with the same options. */
export function driverFactoryFor(options: DriverOptions = {}): DriverFactory {
  return (node) => createDriver(node, options);
}

function unsupportedReason(driver: DriverName): string {
  const drivers = new Set<string>(supportedDrivers());
  const kinds = kindSpecs()
    .filter((spec) => drivers.has(spec.driver) && (spec.driver !== 'ssh-cli' || sshCliSupports(spec.kind)))
    .map((spec) => spec.kind);
  const what = driver === 'none' ? 'it has no management driver'
    : driver === 'ssh-cli' ? 'the SSH CLI driver speaks Cisco IOS-XR and IOS/IOS-XE only so far' : `its ${driver} driver is not built yet`;
  return `${what}; supported today: ${kinds.join(', ')}`;
}
