/**
 * Which vendors' adjacencies `graph --check ospf|bgp` can read (one parser module per vendor), and
 * how the two ends' reports become a link's state.
 */
import type { DriverName } from '../../inventory/types.js';
import { linkVerdict, type Adjacency, type EndState, type GraphEndpoint } from '../model.js';
import { FRR_READERS } from './frr.js';
import { JUNOS_READERS } from './junos.js';
import type { AdjacencyReader, AdjacencyReport } from './types.js';

export type AdjacencyCheck = 'ospf' | 'bgp';

/**
 * The reader for a node's driver, or undefined when its adjacencies are not parsed (SR Linux, EOS
 * and the CLI vendors: their links are shown as unknown rather than guessed from text).
 */
export function readerFor(driver: DriverName, check: AdjacencyCheck): AdjacencyReader | undefined {
  switch (driver) {
    case 'junos':
      return JUNOS_READERS[check];
    case 'linux':
      return FRR_READERS[check];
    default:
      return undefined;
  }
}

/**
 * The names a link end may carry for the interface the device reports: the same name, and for
 * Junos the containerlab data-port name (`eth1` is ge-0/0/0 on vrnetlab vJunos nodes).
 */
export function sameInterface(driver: DriverName, linkIface: string, deviceIface: string): boolean {
  if (linkIface === deviceIface) return true;
  if (driver !== 'junos') return false;
  const eth = /^eth(\d+)$/.exec(linkIface);
  return eth !== null && deviceIface === `ge-0/0/${Number(eth[1]) - 1}`;
}

/** What one node reports about one end of a link. */
export type EndReading =
  | { readonly kind: 'report'; readonly report: AdjacencyReport; readonly driver: DriverName }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'unknown' };

function endState(end: GraphEndpoint, reading: EndReading, far: EndReading, check: AdjacencyCheck): EndState {
  if (reading.kind !== 'report') return reading.kind;
  const { report, driver } = reading;
  let hits = report.neighbors.filter((n) => n.iface !== '' && sameInterface(driver, end.iface, n.iface));
  // Numbered BGP sessions name no interface: pair them by the far end's router ID.
  if (hits.length === 0 && check === 'bgp' && far.kind === 'report' && far.report.localId !== undefined) {
    hits = report.neighbors.filter((n) => n.iface === '' && n.peerId === far.report.localId);
  }
  if (hits.length === 0) return 'missing';
  return hits.some((n) => n.state === 'full') ? 'full' : 'down';
}

/** A link's adjacency from both ends' readings. */
export function adjacencyOf(a: GraphEndpoint, z: GraphEndpoint, readA: EndReading, readZ: EndReading, check: AdjacencyCheck): Adjacency {
  const sa = endState(a, readA, readZ, check);
  const sz = endState(z, readZ, readA, check);
  return { a: sa, z: sz, verdict: linkVerdict(sa, sz) };
}
