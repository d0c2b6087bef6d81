/** Operational outputs the IOS and IOS-XR simulators derive from their configuration. */
import type { ConfigNode } from './config-tree.js';

export interface OspfNeighborSpec {
  /** Local interface, as configured (`GigabitEthernet0/0/0/0`, `Ethernet0/1`). */
  readonly interface: string;
  readonly address: string;
  readonly routerId: string;
}

export interface InterfaceRow {
  readonly name: string;
  readonly address: string;
  readonly shutdown: boolean;
}

/** Interfaces and their first IPv4 address, from `interface` sections. */
export function interfaceRows(tree: readonly ConfigNode[]): InterfaceRow[] {
  return tree
    .filter((n) => n.line.startsWith('interface '))
    .map((n) => {
      const addr = n.children.find((c) => /^(ip|ipv4) address \S+/.test(c.line));
      return {
        name: n.line.slice('interface '.length),
        address: addr === undefined ? 'unassigned' : (addr.line.split(' ')[2] as string),
        shutdown: n.children.some((c) => c.line === 'shutdown'),
      };
    });
}

export function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/** `1 hour, 5 minutes` as Cisco words an uptime. */
export function uptimeWords(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [[604_800, 'week'], [86_400, 'day'], [3_600, 'hour'], [60, 'minute']];
  let left = Math.max(0, Math.floor(seconds));
  for (const [size, name] of units) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length === 0 ? '0 minutes' : parts.join(', ');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon Dec  7 00:26:03.123 UTC`: the line IOS-XR prints before every show command's output. */
export function xrTimestamp(ms: number): string {
  const d = new Date(ms);
  const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms}.${String(d.getUTCMilliseconds()).padStart(3, '0')} UTC`;
}

/** `Dec--7-00-26-03.123`: the date part IOS puts in archive file names. */
export function iosArchiveStamp(ms: number): string {
  const d = new Date(ms);
  const t = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join('-');
  return `${MONTHS[d.getUTCMonth()]}-${String(d.getUTCDate()).padStart(2, '-')}-${t}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** `Mon Dec 7 2026 00:26:03`-style stamp for commit lists. */
export function longStamp(ms: number): string {
  const d = new Date(ms);
  const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} ${d.getUTCFullYear()}`;
}

/** The `% Invalid input detected at '^' marker.` answer with its caret under `column` of the echoed prompt+line. */
export function invalidInput(promptLength: number, column: number): string {
  return `${' '.repeat(promptLength + column)}^\n% Invalid input detected at '^' marker.\n`;
}
