import type { LabGraph } from './model.js';
import { vendorsIn } from './style.js';

/** What the picture's shapes and colours mean, and the counts, in one line (Slack message, terminal). */
export function legendLine(graph: LabGraph): string {
  return legendParts(graph).join('; ');
}

/** The legend's parts: the picture's caption puts each on a line of its own. */
export function legendParts(graph: LabGraph): string[] {
  const shapes = vendorsIn(graph.nodes.filter((n) => n.external !== true).map((n) => n.vendor))
    .map((s) => `${s.shapeWord} ${s.title}`)
    .join(', ');
  const count = (state: string) => graph.nodes.filter((n) => n.external !== true && n.state === state).length;
  const nodes = graph.nodes.filter((n) => n.external !== true).length;
  const states = `${count('reachable')} reachable (green), ${count('unreachable')} unreachable (red), ${count('unknown')} unknown (grey)`;
  const hosts = graph.collapsed.reduce((n, c) => n + c.count, 0);
  const parts = [`${nodes} nodes${hosts > 0 ? ` + ${hosts} hosts without links (counted)` : ''}: ${states}`, `shape = vendor (${shapes || 'none'})`];
  if (graph.check === 'ospf' || graph.check === 'bgp') {
    const word = graph.check === 'ospf' ? 'OSPF Full' : 'BGP Established';
    const by = (v: string) => graph.links.filter((l) => l.adjacency?.verdict === v).length;
    parts.push(`${graph.links.length} links: ${by('up')} up (green, ${word} at both ends), ${by('down')} down (red), ${by('unknown')} unknown (grey)`);
  } else {
    parts.push(`${graph.links.length} links, labelled with the interface at each end`);
  }
  return parts;
}
