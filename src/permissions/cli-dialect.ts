import { isVtyshCommand } from '../drivers/linux/vtysh.js';
import { resolveKind } from '../inventory/kinds.js';
import { DIALECTS, type CliDialect } from './dialects/index.js';

export type { CliDialect } from './dialects/index.js';

/**
 * The command-line family a node speaks decides how an exec command is tokenized (quoting),
 * normalised (keyword abbreviations, case) and which pipes are safe. The rules of each family are
 * data in src/permissions/dialects/. `linux` commands run through a shell, so its rules are the
 * strictest; `unknown` gets the same treatment. `vtysh` is FRR's CLI on linux nodes (dialectFor).
 */
export const CLI_DIALECTS: readonly CliDialect[] = Object.keys(DIALECTS) as CliDialect[];

/** Human name for messages ("safe pipes on Junos: ..."). */
export const DIALECT_LABEL: Readonly<Record<CliDialect, string>> = Object.fromEntries(
  CLI_DIALECTS.map((d) => [d, DIALECTS[d].label]),
) as Record<CliDialect, string>;

function indexBy(field: 'platforms' | 'vendors'): ReadonlyMap<string, CliDialect> {
  const map = new Map<string, CliDialect>();
  for (const dialect of CLI_DIALECTS) for (const name of DIALECTS[dialect][field]) map.set(name, dialect);
  return map;
}

/** scrapli platform names from the kinds table → the CLI they speak. */
const PLATFORM_DIALECT = indexBy('platforms');
const VENDOR_DIALECT = indexBy('vendors');

/**
 * Dialect of a node from the kinds table (its CLI platform, or vendor `linux` for containers), and
 * for a kind the table does not know, from the kind's vendor prefix or the inventory's vendor.
 * Anything else is `unknown`, which gets the strictest rules.
 */
export function dialectOf(node: { readonly kind: string; readonly vendor?: string | undefined }): CliDialect {
  const spec = resolveKind(node.kind);
  if (spec !== undefined) {
    const byPlatform = PLATFORM_DIALECT.get(spec.cliPlatform ?? '');
    if (byPlatform !== undefined) return byPlatform;
    return spec.vendor === 'linux' ? 'linux' : 'unknown';
  }
  const prefix = node.kind.includes('_') ? node.kind.slice(0, node.kind.indexOf('_')) : '';
  for (const vendor of [prefix, node.vendor ?? '']) {
    const byVendor = VENDOR_DIALECT.get(vendor);
    if (byVendor !== undefined) return byVendor;
  }
  return 'unknown';
}

/**
 * The one place that decides which CLI reads `command` on `node`: the kind's dialect, except on
 * linux nodes, where the driver hands the commands vtysh takes (`show`, `clear`, `debug`, `write`
 * and their abbreviations: isVtyshCommand, the driver's own test) to FRR's vtysh and runs anything
 * else as a program. Whether a node runs FRR is only certain once the driver has asked it, after
 * the check, so such a command is checked as vtysh reads it on every linux node; on a node without
 * FRR the driver runs it as a program, which has no such name.
 */
export function dialectFor(node: { readonly kind: string; readonly vendor?: string | undefined }, command: string): CliDialect {
  const dialect = dialectOf(node);
  return dialect === 'linux' && isVtyshCommand(command) ? 'vtysh' : dialect;
}
