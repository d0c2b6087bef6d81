import type { Driver, DriverFactory } from './contract.js';
import { UnsupportedError } from './errors.js';
import { createEosDriver, type EosDriverOptions } from './eos/eos-driver.js';
import { createJunosDriver, type JunosDriverOptions } from './junos/junos-driver.js';
import { createSrlinuxDriver, type SrlinuxDriverOptions } from './srlinux/srlinux-driver.js';
import { kindSpecs } from '../inventory/kinds.js';
import type { DriverName, LabNode } from '../inventory/types.js';

export interface DriverOptions {
  readonly junos?: JunosDriverOptions;
  readonly eos?: EosDriverOptions;
  readonly srlinux?: SrlinuxDriverOptions;
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
  'ssh-cli': undefined,
  none: undefined,
};

/** Drivers that exist today, for messages. */
export function supportedDrivers(): DriverName[] {
  return (Object.keys(DRIVERS) as DriverName[]).filter((name) => DRIVERS[name] !== undefined);
}

/** Creates the driver for `node` (not yet open). Throws UnsupportedError naming the kinds supported today. */
export function createDriver(node: LabNode, options: DriverOptions = {}): Driver {
  const construct = Object.hasOwn(DRIVERS, node.driver) ? DRIVERS[node.driver] : undefined;
  if (construct === undefined) {
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
    .filter((spec) => drivers.has(spec.driver))
    .map((spec) => spec.kind);
  const what = driver === 'none' ? 'it has no management driver' : `its ${driver} driver is not built yet`;
  return `${what}; supported today: ${kinds.join(', ')}`;
}
