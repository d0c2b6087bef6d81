import { legendLine } from '../graph/legend.js';
import type { LabGraph } from '../graph/model.js';

/** `graph` in words, for a terminal without --out and for --output text: the nodes' and links' state, then the legend. */
export function graphText(graph: LabGraph, hint: string | undefined): string {
  const own = graph.nodes.filter((n) => n.external !== true);
  const width = Math.max(4, ...own.map((n) => `${n.lab}/${n.name}`.length));
  const lines = own.map((n) => `${`${n.lab}/${n.name}`.padEnd(width)}  ${n.state.padEnd(11)}  ${n.kind}  (${n.why})`);
  for (const c of graph.collapsed) lines.push(`${`${c.lab}/${c.group ?? '-'}`.padEnd(width)}  ${String(c.count)} hosts without links`);
  if (graph.links.length > 0) lines.push('');
  for (const l of graph.links) {
    const adj = l.adjacency === undefined ? '' : `  ${l.adjacency.verdict.toUpperCase()} (${l.adjacency.a} / ${l.adjacency.z})`;
    lines.push(`${l.a.node}:${l.a.iface} -- ${l.z.node}:${l.z.iface}${adj}`);
  }
  lines.push('', legendLine(graph), ...graph.notes.map((n) => `note: ${n}`));
  if (hint !== undefined) lines.push(hint);
  return lines.join('\n');
}
