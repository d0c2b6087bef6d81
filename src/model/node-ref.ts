/** A node by lab and name, as changes, locks and messages name it; every LabNode is one. */
export interface NodeRef {
  readonly lab: string;
  readonly name: string;
}

/** `lab/node`: a node's key in locks, messages and maps. */
export function lockKey(ref: NodeRef): string {
  return `${ref.lab}/${ref.name}`;
}
