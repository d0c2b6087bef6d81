/**
 * `graph`: the selected nodes of each lab and the links between them (topology-links.ts), with the
 * live state laid over them: per node reachable / unreachable / unknown, from the last facts read
 * or exec (stored), or read now with --check; per link, with --check ospf|bgp, the adjacency as each
 * end reports it. Drawing is the front ends' part (graph/dot.ts, render.ts).
 */
import type { CachedFacts } from '../db/node-facts.js';
import type { ExecutionRecord } from '../db/executions.js';
import type { ExecResult, Facts } from '../drivers/contract.js';
import { adjacencyOf, readerFor, type AdjacencyCheck, type EndReading } from '../graph/adjacency/index.js';
import { AdjacencyParseError, type AdjacencyReader } from '../graph/adjacency/types.js';
import type { CollapsedHosts, GraphCheck, GraphLink, GraphNode, LabGraph, NodeState } from '../graph/model.js';
import { readLabLinks } from '../graph/topology-links.js';
import type { Lab, LabNode } from '../inventory/types.js';
import { nodeKey } from '../model/node-ref.js';
import type { RequestSelector } from '../grammar/request.js';
import type { NodeOutcome, OutcomeError } from './outcome.js';

/**
 * `graph dc1`: one word that names a lab and no node means the lab (other verbs read it as node
 * names); anything else is the selector as written.
 */
export function graphSelector(selector: RequestSelector, labs: readonly Lab[]): RequestSelector {
  const { names, ...rest } = selector;
  const word = names?.length === 1 && Object.values(rest).every((v) => v === undefined) ? names[0] : undefined;
  if (word === undefined) return selector;
  const lab = labs.find((l) => l.name === word);
  if (lab === undefined || labs.some((l) => l.nodes.some((n) => n.name === word))) return selector;
  return { labs: [lab.name] };
}

/** Error codes that mean the bot could not get through to the node (anything else: the node answered). */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'connection_lost', 'auth_failed']);

export function stateOfError(error: Pick<OutcomeError, 'code'>): NodeState {
  if (UNREACHABLE_CODES.has(error.code)) return 'unreachable';
  // Cancelled, or a kind the bot has no driver for: it was never asked.
  return error.code === 'cancelled' || error.code === 'unsupported' ? 'unknown' : 'reachable';
}

export interface NodeReading {
  readonly state: NodeState;
  readonly why: string;
}

/** The state the stored records give: the newer of the last facts read (or failed read) and the last exec. */
export function storedState(facts: CachedFacts | undefined, exec: ExecutionRecord | undefined, now: Date): NodeReading {
  const ago = (at: Date) => {
    const min = Math.max(0, Math.round((now.getTime() - at.getTime()) / 60_000));
    return min < 1 ? 'just now' : min < 120 ? `${min} min ago` : `${Math.round(min / 60)} h ago`;
  };
  const events: { at: Date; reading: NodeReading }[] = [];
  if (facts?.readAt !== undefined) events.push({ at: facts.readAt, reading: { state: 'reachable', why: `facts read ${ago(facts.readAt)}` } });
  if (facts?.error !== undefined) {
    events.push({ at: facts.error.at, reading: { state: stateOfError(facts.error), why: `facts read failed ${ago(facts.error.at)}: ${facts.error.code}` } });
  }
  if (exec !== undefined) {
    const state = exec.ok ? 'reachable' : stateOfError({ code: exec.errorCode ?? 'failed' });
    events.push({ at: exec.startedAt, reading: { state, why: `last exec ${ago(exec.startedAt)}${exec.ok ? '' : `: ${exec.errorCode ?? 'failed'}`}` } });
  }
  const newest = events.sort((x, y) => y.at.getTime() - x.at.getTime())[0];
  return newest?.reading ?? { state: 'unknown', why: 'never read' };
}

/** What graph-ops needs from the runner: stored state, and the reads of --check. */
export interface GraphReads {
  readonly now: Date;
  readonly cachedFacts: (nodes: readonly LabNode[]) => Promise<Map<string, CachedFacts>>;
  readonly lastExecs: (nodes: readonly LabNode[]) => Promise<Map<string, ExecutionRecord>>;
  /** --check (reach), and nodes never read: facts read now (stored as nodes --facts stores them). */
  readonly probe: (nodes: readonly LabNode[]) => Promise<NodeOutcome<Facts>[]>;
  /** --check ospf|bgp: the reader's command on these nodes (recorded as execs). */
  readonly exec: (nodes: readonly LabNode[], reader: AdjacencyReader) => Promise<NodeOutcome<ExecResult>[]>;
}

/** The nodes --check ospf|bgp reads, by reader (one command per vendor); the others are reported unknown. */
export function adjacencyPlan(nodes: readonly LabNode[], check: AdjacencyCheck): Map<AdjacencyReader, LabNode[]> {
  const plan = new Map<AdjacencyReader, LabNode[]>();
  for (const n of nodes) {
    const reader = readerFor(n.driver, check);
    if (reader !== undefined) plan.set(reader, [...(plan.get(reader) ?? []), n]);
  }
  return plan;
}

/** Kind `linux` nodes without links are drawn as a count per group, so a lab of 200 hosts stays legible. */
function isHost(n: LabNode): boolean {
  return n.kind === 'linux';
}

export async function buildLabGraph(labs: readonly Lab[], targets: readonly LabNode[], check: GraphCheck | undefined, reads: GraphReads): Promise<LabGraph> {
  const notes: string[] = [];
  const selected = new Set(targets.map(nodeKey));
  const labNames = [...new Set(targets.map((t) => t.lab))];
  const links: GraphLink[] = [];
  const external = new Map<string, GraphNode>();
  for (const name of labNames) {
    const lab = labs.find((l) => l.name === name);
    if (lab === undefined) continue;
    const read = readLabLinks(lab);
    if (!read.ok) {
      notes.push(`lab ${name}: links unknown (${read.why})`);
      continue;
    }
    const inLab = new Set(lab.nodes.map((n) => n.name));
    for (const l of read.links) {
      const ends = [l.a, l.z];
      // A link to a node of the lab that is not selected is left out; a special end (host, macvlan) is drawn as text.
      if (ends.some((e) => inLab.has(e.node) && !selected.has(`${name}/${e.node}`))) continue;
      if (ends.every((e) => !inLab.has(e.node))) continue;
      for (const e of ends) {
        if (!inLab.has(e.node) && !external.has(`${name}/${e.node}`)) {
          external.set(`${name}/${e.node}`, { lab: name, name: e.node, kind: 'external', vendor: 'external', group: undefined, state: 'unknown', why: 'not a lab node', external: true });
        }
      }
      links.push({ lab: name, a: l.a, z: l.z });
    }
  }
  const linked = new Set(links.flatMap((l) => [`${l.lab}/${l.a.node}`, `${l.lab}/${l.z.node}`]));
  const drawn = targets.filter((n) => !isHost(n) || linked.has(nodeKey(n)));
  const collapsed: CollapsedHosts[] = [];
  for (const n of targets) {
    if (!isHost(n) || linked.has(nodeKey(n))) continue;
    const c = collapsed.find((x) => x.lab === n.lab && x.group === n.group);
    if (c === undefined) collapsed.push({ lab: n.lab, group: n.group, count: 1 });
    else collapsed[collapsed.indexOf(c)] = { ...c, count: c.count + 1 };
  }

  const readings = new Map<string, NodeReading>();
  const ends = new Map<string, EndReading>();
  if (check === 'reach') {
    for (const o of await reads.probe(drawn)) {
      readings.set(nodeKey(o.node), o.error === undefined ? { state: 'reachable', why: 'read now' } : { state: stateOfError(o.error), why: `read now: ${o.error.message}` });
    }
  } else if (check === 'ospf' || check === 'bgp') {
    for (const [reader, nodes] of adjacencyPlan(drawn, check)) {
      for (const o of await reads.exec(nodes, reader)) {
        const key = nodeKey(o.node);
        if (o.value !== undefined) {
          readings.set(key, { state: 'reachable', why: `read now (${reader.command})` });
          try {
            ends.set(key, { kind: 'report', report: reader.parse(o.value.output), driver: o.node.driver });
          } catch (err) {
            if (!(err instanceof AdjacencyParseError)) throw err;
            notes.push(`${key}: the reply to "${reader.command}" could not be read (${err.message}); its links are unknown`);
          }
          continue;
        }
        const error = o.error ?? { code: 'failed', message: 'no answer', deviceErrors: [] };
        const state = stateOfError(error);
        readings.set(key, { state, why: `read now: ${error.message}` });
        // A node that answered but refused (a host with no FRR, no OSPF running) says nothing about the link.
        if (state === 'unreachable') ends.set(key, { kind: 'unreachable' });
      }
    }
    const unparsed = [...new Set(drawn.filter((n) => readerFor(n.driver, check) === undefined && !isHost(n)).map((n) => n.kind))];
    if (unparsed.length > 0) notes.push(`${check.toUpperCase()} adjacencies are not read on ${unparsed.join(', ')}: their ends are shown unknown`);
  }
  const unread = drawn.filter((n) => !readings.has(nodeKey(n)));
  const neverRead: LabNode[] = [];
  if (unread.length > 0) {
    const [facts, execs] = await Promise.all([reads.cachedFacts(unread), reads.lastExecs(unread)]);
    for (const n of unread) {
      const [fact, exec] = [facts.get(nodeKey(n)), execs.get(nodeKey(n))];
      if (fact === undefined && exec === undefined) neverRead.push(n);
      else readings.set(nodeKey(n), storedState(fact, exec, reads.now));
    }
  }
  // As `nodes --facts` does: a node the bot never read is read now (with --check ospf|bgp, only
  // the nodes whose adjacencies are not read remain here).
  if (neverRead.length > 0) {
    for (const o of await reads.probe(neverRead)) {
      readings.set(nodeKey(o.node), o.error === undefined ? { state: 'reachable', why: 'first read now' } : { state: stateOfError(o.error), why: `first read now: ${o.error.message}` });
    }
  }

  const nodes: GraphNode[] = drawn.map((n) => {
    const r = readings.get(nodeKey(n)) ?? { state: 'unknown' as const, why: 'not read' };
    return { lab: n.lab, name: n.name, kind: n.kind, vendor: n.vendor, group: n.group ?? n.labels['role'], state: r.state, why: r.why };
  });
  const withAdjacency =
    check === 'ospf' || check === 'bgp'
      ? links.map((l) => {
          const end = (node: string): EndReading => ends.get(`${l.lab}/${node}`) ?? { kind: 'unknown' };
          return { ...l, adjacency: adjacencyOf(l.a, l.z, end(l.a.node), end(l.z.node), check) };
        })
      : links;
  return { labs: labNames, nodes: [...nodes, ...external.values()], links: withAdjacency, collapsed, check, notes };
}
