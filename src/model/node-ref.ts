/** A node by lab and name, as changes, locks and messages name it; every LabNode is one. */
export interface NodeRef {
  readonly lab: string;
  readonly name: string;
}

/** `lab/name`: a node's key in locks, maps and messages (the one place it is built). */
export function nodeKey(ref: NodeRef): string {
  return `${ref.lab}/${ref.name}`;
}
