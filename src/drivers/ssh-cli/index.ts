/**
 * The SSH CLI driver (`ssh-cli` in the kinds table): one interactive shell per node, a platform
 * chosen from the kind's scrapli platform name. IOS-XR and IOS/IOS-XE are built; other CLI
 * platforms are refused with the kinds that work.
 */
import type { Driver, DriverTraits } from '../contract.js';
import { UnsupportedError } from '../errors.js';
import { resolveKind } from '../../inventory/kinds.js';
import type { LabNode } from '../../inventory/types.js';
import type { SshCliDriverOptions } from './cli-driver.js';
import { createIosDriver, IOS_TRAITS } from './ios-driver.js';
import { createIosXrDriver, IOSXR_TRAITS } from './iosxr-driver.js';
import { platformFor } from './platform.js';

export { CliChannel, cleanTerminalText } from './channel.js';
export { CiscoCliDriver, type SshCliDriverOptions } from './cli-driver.js';
export { IOS_CAPABILITIES, IOS_TRAITS, IosDriver } from './ios-driver.js';
export { IOSXR_CAPABILITIES, IOSXR_TRAITS, IosXrDriver } from './iosxr-driver.js';
export { IOS, IOSXR, platformFor, type CliPlatform } from './platform.js';

/** The traits of the CLI platform a kind uses; undefined for a kind this driver does not speak. */
export function sshCliTraits(kind: string): DriverTraits | undefined {
  const platform = platformFor(resolveKind(kind)?.cliPlatform);
  if (platform === undefined) return undefined;
  return platform.name === 'cisco_iosxr' ? IOSXR_TRAITS : IOS_TRAITS;
}

/** Whether the driver speaks this kind's CLI. */
export function sshCliSupports(kind: string): boolean {
  return platformFor(resolveKind(kind)?.cliPlatform) !== undefined;
}

export function createSshCliDriver(node: LabNode, options: SshCliDriverOptions = {}): Driver {
  const platform = platformFor(resolveKind(node.kind)?.cliPlatform);
  if (platform === undefined) {
    throw new UnsupportedError({ node: node.name, operation: 'connect' }, `kind ${node.kind} (the SSH CLI driver speaks Cisco IOS-XR and IOS/IOS-XE only)`);
  }
  return platform.name === 'cisco_iosxr' ? createIosXrDriver(node, options) : createIosDriver(node, options);
}
