/**
 * The picture of a lab as data: nodes, links with the interface at each end, and the live state
 * laid over them. Built by ops/graph-ops.ts, drawn by dot.ts / mermaid.ts, rendered by render.ts.
 */

import type { GRAPH_CHECKS, GRAPH_OUTPUTS } from '../grammar/request.js';

/** What `graph --check` reads now: `reach` probes every node, `ospf` / `bgp` read adjacencies. */
export type GraphCheck = (typeof GRAPH_CHECKS)[number];
export type GraphOutput = (typeof GRAPH_OUTPUTS)[number];

/** Whether the bot could reach a node: read now (--check) or from the last facts read / exec. */
export type NodeState = 'reachable' | 'unreachable' | 'unknown';

/**
 * One end of an adjacency as that node reports it: `full` (OSPF Full, BGP Established), `down`
 * (a neighbour in any other state), `missing` (no neighbour on that interface), `unreachable`
 * (the node could not be read), `unknown` (not a router this check can read).
 */
export type EndState = 'full' | 'down' | 'missing' | 'unreachable' | 'unknown';

/** A link's verdict from both ends: `down` is drawn red. */
export type LinkVerdict = 'up' | 'down' | 'unknown';

export interface GraphEndpoint {
  readonly node: string;
  readonly iface: string;
}

export interface GraphNode {
  readonly lab: string;
  readonly name: string;
  readonly kind: string;
  readonly vendor: string;
  /** The containerlab group, else undefined. */
  readonly group: string | undefined;
  readonly state: NodeState;
  /** Why the state is what it is ("read now", "facts 3 min ago", the error), for text output. */
  readonly why: string;
  /** A link end outside the inventory (`host`, `macvlan`, a node of another selection). */
  readonly external?: boolean;
}

export interface Adjacency {
  readonly a: EndState;
  readonly z: EndState;
  readonly verdict: LinkVerdict;
}

export interface GraphLink {
  readonly lab: string;
  readonly a: GraphEndpoint;
  readonly z: GraphEndpoint;
  /** With --check ospf|bgp only. */
  readonly adjacency?: Adjacency;
}

/** Hosts (kind linux) without links, drawn as one box per group: "12 hosts". */
export interface CollapsedHosts {
  readonly lab: string;
  readonly group: string | undefined;
  readonly count: number;
}

export interface LabGraph {
  readonly labs: readonly string[];
  readonly nodes: readonly GraphNode[];
  readonly links: readonly GraphLink[];
  readonly collapsed: readonly CollapsedHosts[];
  readonly check: GraphCheck | undefined;
  /** Things the picture cannot show (a lab whose links are unknown, a vendor not parsed). */
  readonly notes: readonly string[];
}

/** A node's id in DOT and mermaid output: unique across labs. */
export function graphNodeId(lab: string, name: string): string {
  return `${lab}/${name}`;
}

/** The verdict of a link from its two ends. */
export function linkVerdict(a: EndState, z: EndState): LinkVerdict {
  if (a === 'full' && z === 'full') return 'up';
  // A node that cannot be read, or a neighbour seen but not up, fails the link outright; a missing
  // neighbour fails it only when the other end is a router this check reads (a host runs no OSPF).
  if (a === 'down' || z === 'down' || a === 'unreachable' || z === 'unreachable') return 'down';
  if ((a === 'missing' && z !== 'unknown') || (z === 'missing' && a !== 'unknown')) return 'down';
  return 'unknown';
}
