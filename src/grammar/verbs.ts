/**
 * The verbs of DESIGN.md §3, in the order help lists them. A module of its own with no imports:
 * the CLI entry reads it to route argv before it loads the grammar (and zod) at all.
 */
export const VERBS = ['help', 'labs', 'nodes', 'graph', 'exec', 'config', 'render', 'rollback', 'changes', 'change', 'backup', 'drift', 'history', 'whoami'] as const;
export type Verb = (typeof VERBS)[number];
