/** What one node says about its neighbours, whatever its vendor: the input of the link verdicts. */

/** `full`: OSPF Full / BGP Established; `down`: any other state the neighbour is in. */
export interface NeighborReport {
  /** The local interface the neighbour is on, as the device names it (unit and address stripped); '' when the device does not say (numbered BGP). */
  readonly iface: string;
  readonly state: 'full' | 'down';
  /** The neighbour's router ID, when the device says. */
  readonly peerId: string | undefined;
  /** The state word as the device wrote it (`Full`, `ExStart`, `Active`), for text output. */
  readonly raw: string;
}

export interface AdjacencyReport {
  /** This node's own router ID, when the reply gives it (BGP): the far end's peerId matches it. */
  readonly localId: string | undefined;
  readonly neighbors: readonly NeighborReport[];
}

/** The command one vendor answers a check with, in the structured format it gives, and its parser. */
export interface AdjacencyReader {
  /** Sent to the device as written (and authorized as written). */
  readonly command: string;
  readonly format: 'json' | 'xml';
  /** Throws AdjacencyParseError on a reply it cannot read. */
  parse(output: string): AdjacencyReport;
}

export class AdjacencyParseError extends Error {}
