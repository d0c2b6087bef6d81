/**
 * A LabGraph as a mermaid `flowchart` for docs and READMEs. Node ids are generated (`n0`, `n1`…)
 * because lab names hold `.` and `-`, which mermaid ids do not take; every label is double-quoted
 * with `"`, `<`, `>`, `#`, `|` and `` ` `` written as mermaid entity codes, so no name can end a label early.
 */
import { clusterKey } from './dot.js';
import { graphNodeId, type GraphNode, type LabGraph } from './model.js';
import { LINK_COLOURS, STATE_COLOURS, vendorStyle } from './style.js';

const ENTITIES: Readonly<Record<string, string>> = { '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;', '|': '#124;', '`': '#96;', '&': '#amp;' };

/** A mermaid label: quoted, with the characters that could close or re-open markup as entity codes. */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/["<>#|`&]/g, (c) => ENTITIES[c] ?? c).replace(/\r?\n/g, '<br/>')}"`;
}

/** Mermaid shapes closest to the vendor's Graphviz shape. */
function shaped(id: string, label: string, vendor: string, external: boolean): string {
  if (external) return `${id}>${label}]`;
  switch (vendorStyle(vendor).shape) {
    case 'hexagon':
      return `${id}{{${label}}}`;
    case 'ellipse':
      return `${id}([${label}])`;
    case 'octagon':
      return `${id}[/${label}\\]`;
    case 'diamond':
      return `${id}{${label}}`;
    case 'component':
      return `${id}[[${label}]]`;
    default:
      return `${id}(${label})`;
  }
}

export function toMermaid(graph: LabGraph): string {
  const ids = new Map<string, string>();
  const idOf = (lab: string, name: string) => {
    const key = graphNodeId(lab, name);
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size}`;
      ids.set(key, id);
    }
    return id;
  };
  const lines = ['flowchart LR'];
  const byCluster = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const key = clusterKey(n.lab, n.external === true ? undefined : n.group);
    byCluster.set(key, [...(byCluster.get(key) ?? []), n]);
  }
  for (const c of graph.collapsed) if (!byCluster.has(clusterKey(c.lab, c.group))) byCluster.set(clusterKey(c.lab, c.group), []);
  let sub = 0;
  for (const [key, nodes] of byCluster) {
    const [lab, group] = key.split('\u0000') as [string, string];
    const title = graph.labs.length > 1 ? (group === '' ? `lab ${lab}` : `${lab}: ${group}`) : group;
    const indent = title === '' ? '  ' : '    ';
    if (title !== '') lines.push(`  subgraph s${sub++}[${mermaidLabel(title)}]`);
    for (const n of nodes) {
      const label = mermaidLabel(n.external === true ? n.name : `${n.name}\n${n.kind}`);
      lines.push(`${indent}${shaped(idOf(n.lab, n.name), label, n.vendor, n.external === true)}`);
    }
    const hosts = graph.collapsed.find((c) => clusterKey(c.lab, c.group) === key);
    if (hosts !== undefined) lines.push(`${indent}${idOf(lab, `hosts:${group}`)}[${mermaidLabel(`${hosts.count} hosts\nlinux, no links`)}]`);
    if (title !== '') lines.push('  end');
  }
  const redLinks: number[] = [];
  const greenLinks: number[] = [];
  graph.links.forEach((l, i) => {
    const text = l.adjacency === undefined ? `${l.a.iface} - ${l.z.iface}` : `${l.a.iface} - ${l.z.iface}\n${l.adjacency.a} / ${l.adjacency.z}`;
    lines.push(`  ${idOf(l.lab, l.a.node)} ---|${mermaidLabel(text)}| ${idOf(l.lab, l.z.node)}`);
    if (l.adjacency?.verdict === 'down') redLinks.push(i);
    if (l.adjacency?.verdict === 'up') greenLinks.push(i);
  });
  for (const state of ['reachable', 'unreachable', 'unknown'] as const) {
    const members = graph.nodes.filter((n) => n.external !== true && n.state === state).map((n) => idOf(n.lab, n.name));
    if (members.length === 0) continue;
    const dash = state === 'reachable' ? '' : ',stroke-dasharray:4 3';
    lines.push(`  classDef ${state} stroke:${STATE_COLOURS[state]},stroke-width:2px${dash}`, `  class ${members.join(',')} ${state}`);
  }
  if (redLinks.length > 0) lines.push(`  linkStyle ${redLinks.join(',')} stroke:${LINK_COLOURS.down},stroke-width:3px`);
  if (greenLinks.length > 0) lines.push(`  linkStyle ${greenLinks.join(',')} stroke:${LINK_COLOURS.up}`);
  return `${lines.join('\n')}\n`;
}
