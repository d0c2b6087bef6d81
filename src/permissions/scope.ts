import { globMatches } from './glob.js';
import { kindMatches } from '../inventory/kinds.js';
import type { Scope } from './policy-schema.js';
import { nodeKey } from '../model/node-ref.js';

/** What permissions need to know about a node: a structural subset of inventory's LabNode. */
export interface TargetNode {
  readonly lab: string;
  readonly name: string;
  /** Canonical containerlab kind (`juniper_vjunosrouter`). */
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Inventory vendor, used when the kind alone does not say which CLI the node speaks. */
  readonly vendor?: string | undefined;
}

/** Every field given must match (intersection); within a list any entry may match. */
export function scopeCovers(scope: Scope | undefined, node: TargetNode): boolean {
  if (scope === undefined) return true;
  if (scope.labs !== undefined && !scope.labs.some((glob) => globMatches(glob, node.lab))) return false;
  if (scope.kinds !== undefined && !scope.kinds.some((pattern) => kindMatches(pattern, node.kind))) return false;
  if (
    scope.nodes !== undefined &&
    !scope.nodes.some((glob) => (glob.includes('/') ? globMatches(glob, nodeKey(node)) : globMatches(glob, node.name)))
  ) {
    return false;
  }
  if (scope.labels !== undefined) {
    for (const [key, value] of Object.entries(scope.labels)) {
      const actual = Object.hasOwn(node.labels, key) ? node.labels[key] : undefined;
      if (actual === undefined || !globMatches(value, actual)) return false;
    }
  }
  return true;
}

/** `labs dc1; kinds juniper_*` — empty string for no scope. */
export function describeScope(scope: Scope | undefined): string {
  if (scope === undefined) return '';
  const parts: string[] = [];
  if (scope.labs !== undefined) parts.push(`${scope.labs.length === 1 ? 'lab' : 'labs'} ${scope.labs.join(', ')}`);
  if (scope.kinds !== undefined) parts.push(`${scope.kinds.length === 1 ? 'kind' : 'kinds'} ${scope.kinds.join(', ')}`);
  if (scope.nodes !== undefined) parts.push(`${scope.nodes.length === 1 ? 'node' : 'nodes'} ${scope.nodes.join(', ')}`);
  if (scope.labels !== undefined) {
    const labels = Object.entries(scope.labels).map(([k, v]) => `${k}=${v}`);
    parts.push(`${labels.length === 1 ? 'label' : 'labels'} ${labels.join(', ')}`);
  }
  return parts.join('; ');
}

/** `lab dc1 (nodes r1, r2) and lab dc2 (node r3)`, labs in first-seen order. */
export function describeTargets(nodes: readonly TargetNode[]): string {
  const byLab = new Map<string, string[]>();
  for (const node of nodes) {
    const names = byLab.get(node.lab) ?? [];
    if (!names.includes(node.name)) names.push(node.name);
    byLab.set(node.lab, names);
  }
  const parts = [...byLab].map(([lab, names]) => `lab ${lab} (${names.length === 1 ? 'node' : 'nodes'} ${names.join(', ')})`);
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}
