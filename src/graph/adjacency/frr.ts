/**
 * FRR adjacencies from vtysh's JSON: `show ip ospf neighbor json` ({"neighbors": {RID: [{...}]}}; the
 * state is `nbrState` since FRR 8, `state` before) and `show bgp neighbors json` ({PEER: {bgpState,
 * remoteRouterId, localRouterId}}, keyed by the interface for unnumbered peers).
 */
import { AdjacencyParseError, type AdjacencyReader, type AdjacencyReport, type NeighborReport } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function json(output: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(output);
  } catch (err) {
    throw new AdjacencyParseError(`not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new AdjacencyParseError('not a JSON object');
  return doc;
}

export function parseFrrOspf(output: string): AdjacencyReport {
  const doc = json(output);
  const byId = doc['neighbors'];
  if (byId !== undefined && !isObject(byId)) throw new AdjacencyParseError('"neighbors" is not an object');
  const neighbors: NeighborReport[] = [];
  for (const [rid, list] of Object.entries(byId ?? {})) {
    for (const n of Array.isArray(list) ? list : [list]) {
      if (!isObject(n)) continue;
      // `Full/DR`, `Full/-`, `2-Way/DROther`, `ExStart/-`.
      const raw = (str(n['nbrState']) || str(n['state'])).split('/')[0] ?? '';
      // `eth1:10.0.0.1` (interface and local address).
      const iface = (str(n['ifaceName']) || str(n['interfaceName'])).split(':')[0] ?? '';
      neighbors.push({ iface, state: raw === 'Full' ? 'full' : 'down', peerId: rid, raw });
    }
  }
  return { localId: undefined, neighbors };
}

export function parseFrrBgp(output: string): AdjacencyReport {
  const doc = json(output);
  let localId: string | undefined;
  const neighbors: NeighborReport[] = [];
  for (const [peer, n] of Object.entries(doc)) {
    if (!isObject(n) || typeof n['bgpState'] !== 'string') continue;
    localId ??= str(n['localRouterId']) || undefined;
    const raw = str(n['bgpState']);
    // Unnumbered peers are keyed by the interface (`eth1`); numbered ones by the address.
    const iface = /^[0-9a-f.:]+$/i.test(peer) ? str(n['nbrInterface']) : peer;
    neighbors.push({ iface, state: raw === 'Established' ? 'full' : 'down', peerId: str(n['remoteRouterId']) || undefined, raw });
  }
  return { localId, neighbors };
}

export const FRR_READERS = {
  ospf: { command: 'show ip ospf neighbor', format: 'json', parse: parseFrrOspf },
  bgp: { command: 'show bgp neighbors', format: 'json', parse: parseFrrBgp },
} as const satisfies Record<'ospf' | 'bgp', AdjacencyReader>;
