/** containerlab's naming rules (docs/containerlab-inventory.md §1.1, §2.1). */
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';

export const DEFAULT_PREFIX = 'clab';

/**
 * Container (long) name of a node: prefix absent → `clab-<lab>-<node>`; `__lab-name` → `<lab>-<node>`;
 * `""` → `<node>`; anything else `X` → `X-<lab>-<node>`.
 */
export function containerName(prefix: string | undefined, lab: string, node: string): string {
  const p = prefix ?? DEFAULT_PREFIX;
  if (p === '') return node;
  if (p === '__lab-name') return `${lab}-${node}`;
  return `${p}-${lab}-${node}`;
}

/**
 * Short node name from a container name when the source does not give it (`containerlab inspect`
 * summary): strips `<prefix>-<lab>-` or `<lab>-`; a name that shows neither is kept whole (prefix "").
 */
export function shortNameFromContainer(longName: string, lab: string): string {
  const marker = `${lab}-`;
  const at = longName.startsWith(marker) ? 0 : longName.indexOf(`-${marker}`);
  if (at < 0) return longName;
  const start = at === 0 ? marker.length : at + 1 + marker.length;
  return start < longName.length ? longName.slice(start) : longName;
}

/** `clab-<lab>`: the lab directory name, whatever the prefix. */
export function labDataDirName(lab: string): string {
  return `clab-${lab}`;
}

/** The lab directory of a topology: next to its file, or under `$CLAB_LABDIR_BASE` when set. */
export function labDataDir(topologyDir: string, lab: string, env: Readonly<Record<string, string | undefined>>): string {
  const base = env['CLAB_LABDIR_BASE'];
  const parent = base === undefined || base === '' ? topologyDir : resolve(base);
  return join(parent, labDataDirName(lab));
}

/**
 * A management address as containerlab writes it: `172.20.20.2`, `172.20.20.2/24` (inspect),
 * `""` or `N/A` (none). Returns the bare address, undefined for none, or null when it is not an IP.
 */
export function parseMgmtAddress(value: string | undefined, family: 4 | 6): string | undefined | null {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.toUpperCase() === 'N/A') return undefined;
  const bare = trimmed.replace(/\/\d{1,3}$/, '');
  return isIP(bare) === family ? bare : null;
}

/** An absolute path, or undefined (docs samples hold placeholders such as `<full path …>`). */
export function absolutePath(value: string | undefined): string | undefined {
  return value !== undefined && isAbsolute(value) ? value : undefined;
}
