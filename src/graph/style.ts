/** How a node, a state and a link verdict look: one table shared by DOT, mermaid and the legend. */
import type { LinkVerdict, NodeState } from './model.js';

export interface VendorStyle {
  /** Graphviz shape. */
  readonly shape: string;
  /** How the legend names the shape. */
  readonly shapeWord: string;
  readonly fill: string;
  readonly title: string;
}

const VENDORS: Readonly<Record<string, VendorStyle>> = {
  juniper: { shape: 'box', shapeWord: 'box', fill: '#d6e6f5', title: 'Juniper' },
  nokia: { shape: 'hexagon', shapeWord: 'hexagon', fill: '#dcefd8', title: 'Nokia' },
  arista: { shape: 'octagon', shapeWord: 'octagon', fill: '#fde8cf', title: 'Arista' },
  cisco: { shape: 'ellipse', shapeWord: 'ellipse', fill: '#d5e8ea', title: 'Cisco' },
  linux: { shape: 'component', shapeWord: 'component', fill: '#eeeeee', title: 'Linux' },
};
const OTHER: VendorStyle = { shape: 'diamond', shapeWord: 'diamond', fill: '#f4f4f4', title: 'other' };

export function vendorStyle(vendor: string): VendorStyle {
  return VENDORS[vendor] ?? OTHER;
}

export const STATE_COLOURS: Readonly<Record<NodeState, string>> = {
  reachable: '#2e7d32',
  unreachable: '#c62828',
  unknown: '#9e9e9e',
};

/** An unreachable node is also filled pale red, so it reads as down even without colour vision (dashed border too). */
export const DOWN_FILL = '#f9d6d5';

export const LINK_COLOURS: Readonly<Record<LinkVerdict | 'none', string>> = {
  up: '#2e7d32',
  down: '#c62828',
  unknown: '#9e9e9e',
  none: '#555555',
};

/** The vendors present, in table order, for the legend. */
export function vendorsIn(vendors: Iterable<string>): VendorStyle[] {
  const present = new Set(vendors);
  const out = Object.entries(VENDORS).filter(([v]) => present.has(v)).map(([, s]) => s);
  if ([...present].some((v) => VENDORS[v] === undefined)) out.push(OTHER);
  return out;
}
