import { resolveKind } from '../inventory/kinds.js';

/**
 * The command-line family a node speaks, which decides how an exec command is normalised (keyword
 * abbreviations, case) and which pipes are safe. `linux` commands run through a shell, so its rules
 * are the strictest; `unknown` gets the same treatment.
 */
export type CliDialect = 'junos' | 'eos' | 'ios' | 'srlinux' | 'sros' | 'linux' | 'unknown';

export const CLI_DIALECTS: readonly CliDialect[] = ['junos', 'eos', 'ios', 'srlinux', 'sros', 'linux', 'unknown'];

/** Human name for messages ("safe pipes on Junos: ..."). */
export const DIALECT_LABEL: Readonly<Record<CliDialect, string>> = {
  junos: 'Junos',
  eos: 'EOS',
  ios: 'Cisco IOS/IOS-XR/NX-OS',
  srlinux: 'SR Linux',
  sros: 'SR OS',
  linux: 'Linux',
  unknown: 'an unknown kind',
};

/** scrapli platform names from the kinds table → the CLI they speak. */
const PLATFORM_DIALECT: Readonly<Record<string, CliDialect>> = {
  juniper_junos: 'junos',
  arista_eos: 'eos',
  cisco_iosxr: 'ios',
  cisco_iosxe: 'ios',
  cisco_ios: 'ios',
  cisco_nxos: 'ios',
  nokia_srlinux: 'srlinux',
  nokia_sros: 'sros',
  linux: 'linux',
};

const VENDOR_DIALECT: Readonly<Record<string, CliDialect>> = {
  juniper: 'junos',
  arista: 'eos',
  cisco: 'ios',
  linux: 'linux',
};

/**
 * Dialect of a node from the kinds table (its CLI platform, or vendor `linux` for containers), and
 * for a kind the table does not know, from the kind's vendor prefix or the inventory's vendor.
 * Anything else is `unknown`, which gets the strictest rules.
 */
export function dialectOf(node: { readonly kind: string; readonly vendor?: string | undefined }): CliDialect {
  const spec = resolveKind(node.kind);
  if (spec !== undefined) {
    const platform = spec.cliPlatform ?? '';
    if (Object.hasOwn(PLATFORM_DIALECT, platform)) return PLATFORM_DIALECT[platform] ?? 'unknown';
    return spec.vendor === 'linux' ? 'linux' : 'unknown';
  }
  const prefix = node.kind.includes('_') ? node.kind.slice(0, node.kind.indexOf('_')) : '';
  for (const vendor of [prefix, node.vendor ?? '']) {
    if (Object.hasOwn(VENDOR_DIALECT, vendor)) return VENDOR_DIALECT[vendor] ?? 'unknown';
  }
  return 'unknown';
}
