/**
 * Junos adjacencies from the structured replies: `show ospf neighbor` (<ospf-neighbor-information>)
 * and `show bgp neighbor` (<bgp-information>), read as XML.
 */
import { XMLParser } from 'fast-xml-parser';
import { AdjacencyParseError, type AdjacencyReader, type AdjacencyReport, type NeighborReport } from './types.js';

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => name === 'ospf-neighbor' || name === 'bgp-peer', parseTagValue: false });

function find(doc: unknown, key: string): unknown {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const rec = doc as Record<string, unknown>;
  if (key in rec) return rec[key];
  for (const v of Object.values(rec)) {
    const hit = find(v, key);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
/** `ge-0/0/0.0` → `ge-0/0/0`: links name the physical port. */
const physical = (name: string): string => name.replace(/\.\d+$/, '');

function parse(output: string, top: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parser.parse(output);
  } catch (err) {
    throw new AdjacencyParseError(`not XML: ${(err as Error).message}`);
  }
  const info = find(doc, top);
  if (info === undefined) throw new AdjacencyParseError(`no <${top}> in the reply`);
  // An empty element (no neighbours at all) parses as ''.
  return typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : {};
}

export function parseJunosOspf(output: string): AdjacencyReport {
  const info = parse(output, 'ospf-neighbor-information');
  const rows = (info['ospf-neighbor'] as Record<string, unknown>[] | undefined) ?? [];
  const neighbors = rows.map((r): NeighborReport => {
    const raw = text(r['ospf-neighbor-state']);
    return { iface: physical(text(r['interface-name'])), state: raw === 'Full' ? 'full' : 'down', peerId: text(r['neighbor-id']) || undefined, raw };
  });
  return { localId: undefined, neighbors };
}

export function parseJunosBgp(output: string): AdjacencyReport {
  const info = parse(output, 'bgp-information');
  const rows = (info['bgp-peer'] as Record<string, unknown>[] | undefined) ?? [];
  let localId: string | undefined;
  const neighbors = rows.map((r): NeighborReport => {
    const raw = text(r['peer-state']);
    localId ??= text(r['local-id']) || undefined;
    return { iface: physical(text(r['local-interface-name'])), state: raw === 'Established' ? 'full' : 'down', peerId: text(r['peer-id']) || undefined, raw };
  });
  return { localId, neighbors };
}

export const JUNOS_READERS = {
  ospf: { command: 'show ospf neighbor', format: 'xml', parse: parseJunosOspf },
  bgp: { command: 'show bgp neighbor', format: 'xml', parse: parseJunosBgp },
} as const satisfies Record<'ospf' | 'bgp', AdjacencyReader>;
