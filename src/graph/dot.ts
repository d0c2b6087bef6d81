/**
 * A LabGraph as Graphviz DOT: nodes shaped and filled by vendor with the kind as their second line,
 * outlined by reachability, links labelled with the interface at each end and coloured by their
 * adjacency; a cluster per containerlab group (and per lab when there are several), so a large lab
 * reads as its parts.
 */
import { legendParts } from './legend.js';
import { graphNodeId, type GraphLink, type GraphNode, type LabGraph } from './model.js';
import { DOWN_FILL, LINK_COLOURS, STATE_COLOURS, vendorStyle } from './style.js';

/** A DOT double-quoted string: backslash and quote escaped, line breaks as DOT's `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Node groups: lab, then containerlab group (undefined: no group). */
export function clusterKey(lab: string, group: string | undefined): string {
  return `${lab}\u0000${group ?? ''}`;
}

function nodeLine(n: GraphNode): string {
  const id = dotString(graphNodeId(n.lab, n.name));
  if (n.external === true) return `${id} [label=${dotString(n.name)}, shape=plaintext, fontcolor="#555555"];`;
  const s = vendorStyle(n.vendor);
  const attrs = [
    `label=${dotString(`${n.name}\n${n.kind}`)}`,
    `shape=${s.shape}`,
    `style="filled${n.state === 'reachable' ? '' : ',dashed'}${s.shape === 'box' ? ',rounded' : ''}"`,
    `fillcolor=${dotString(n.state === 'unreachable' ? DOWN_FILL : s.fill)}`,
    `color=${dotString(STATE_COLOURS[n.state])}`,
    `penwidth=${n.state === 'unknown' ? 1 : 2.5}`,
    `tooltip=${dotString(`${n.lab}/${n.name}: ${n.state} (${n.why})`)}`,
  ];
  return `${id} [${attrs.join(', ')}];`;
}

function linkLine(l: GraphLink): string {
  const a = dotString(graphNodeId(l.lab, l.a.node));
  const z = dotString(graphNodeId(l.lab, l.z.node));
  const verdict = l.adjacency?.verdict ?? 'none';
  const attrs = [`taillabel=${dotString(l.a.iface)}`, `headlabel=${dotString(l.z.iface)}`, `color=${dotString(LINK_COLOURS[verdict])}`];
  if (l.adjacency !== undefined) {
    attrs.push(`label=${dotString(`${l.adjacency.a} / ${l.adjacency.z}`)}`, `fontcolor=${dotString(LINK_COLOURS[verdict])}`);
    if (verdict === 'down') attrs.push('penwidth=3', 'style=bold');
    if (verdict === 'unknown') attrs.push('style=dashed');
  }
  return `${a} -- ${z} [${attrs.join(', ')}];`;
}

/** The legend under the picture, one part per left-justified line (DOT's `\l` ends such a line). */
function caption(graph: LabGraph): string {
  return `"${legendParts(graph).map((p) => dotString(p).slice(1, -1)).join('\\l')}\\l"`;
}

export function toDot(graph: LabGraph): string {
  const lines: string[] = [
    'graph lab {',
    '  graph [rankdir=LR, newrank=true, nodesep=0.5, ranksep=1.1, fontname="DejaVu Sans", fontsize=12, labelloc=b, labeljust=l, pad=0.3];',
    `  graph [label=${caption(graph)}];`,
    '  node [fontname="DejaVu Sans", fontsize=11, margin="0.15,0.06"];',
    '  edge [fontname="DejaVu Sans", fontsize=9, labeldistance=2.2, labelangle=25, labelfontcolor="#333333"];',
  ];
  const manyLabs = graph.labs.length > 1;
  // Clusters: lab (when several) → group; nodes without a group sit directly in their lab.
  const byCluster = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const key = clusterKey(n.lab, n.external === true ? undefined : n.group);
    byCluster.set(key, [...(byCluster.get(key) ?? []), n]);
  }
  for (const c of graph.collapsed) if (!byCluster.has(clusterKey(c.lab, c.group))) byCluster.set(clusterKey(c.lab, c.group), []);
  let clusterIndex = 0;
  for (const lab of graph.labs) {
    const indent = manyLabs ? '    ' : '  ';
    if (manyLabs) lines.push(`  subgraph ${dotString(`cluster_${clusterIndex++}`)} {`, `    label=${dotString(`lab ${lab}`)}; style=rounded; color="#888888"; labelloc=t;`);
    for (const [key, nodes] of byCluster) {
      const [clusterLab, group] = key.split('\u0000') as [string, string];
      if (clusterLab !== lab) continue;
      const hosts = graph.collapsed.find((c) => clusterKey(c.lab, c.group) === key);
      const inner = group === '' ? indent : `${indent}  `;
      if (group !== '') {
        lines.push(`${indent}subgraph ${dotString(`cluster_${clusterIndex++}`)} {`, `${inner}label=${dotString(group)}; style="rounded,dashed"; color="#aaaaaa"; labelloc=t;`);
      }
      for (const n of nodes) lines.push(`${inner}${nodeLine(n)}`);
      if (hosts !== undefined) {
        const id = dotString(`${lab}/hosts:${group}`);
        lines.push(`${inner}${id} [label=${dotString(`${hosts.count} host${hosts.count === 1 ? '' : 's'}\nlinux, no links`)}, shape=folder, style=filled, fillcolor="#eeeeee", color="#9e9e9e"];`);
      }
      if (group !== '') lines.push(`${indent}}`);
    }
    if (manyLabs) lines.push('  }');
  }
  for (const l of graph.links) lines.push(`  ${linkLine(l)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
