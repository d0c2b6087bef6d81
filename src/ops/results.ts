import type { LabSearch } from '../inventory/no-labs.js';
import type { ClabBotError, UsageError } from '../errors.js';
import type { ConfigMethod, ExecResult, OutputFormat, Plan } from '../drivers/contract.js';
import type { Lab, InventoryWarning, LabNode } from '../inventory/types.js';
import type { Decision } from '../permissions/authorize.js';
import type { AuditRecord } from '../db/audit-log.js';
import type { Request } from '../grammar/request.js';
import type { NodeOutcome } from './outcome.js';
import type { NodeRef } from '../model/node-ref.js';
import type { ChangeView } from './changes/types.js';
import type { BackupResult } from './backup-ops.js';
import type { DriftValue } from './drift-ops.js';
import type { NodeFactsRow } from './node-facts.js';
import type { LabGraph } from '../graph/model.js';

/** One node's rendering of a template. */
export interface RenderedNode {
  readonly node: NodeRef;
  readonly content: string;
  readonly sha256: string;
}

/** What just happened to the change a `change` result shows. */
export type ChangeEvent = 'proposed' | 'shown' | 'approved' | 'rejected' | 'cancelled' | 'replanned' | 'rollback-proposed' | 'resolved';

/** What a request produced, for a renderer (Block Kit, terminal text or JSON). Never holds a secret. */
export type RequestResult =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'usage'; readonly error: UsageError }
  | { readonly kind: 'denied'; readonly decision: Decision }
  /** A failure before any device work: nothing matched, a bad config path, the database... */
  | { readonly kind: 'error'; readonly error: ClabBotError }
  | { readonly kind: 'labs'; readonly labs: readonly Lab[]; readonly warnings: readonly InventoryWarning[]; readonly search: LabSearch }
  | { readonly kind: 'nodes'; readonly nodes: readonly LabNode[] }
  /** `graph`: the picture as data; each front end draws it in its own format (graph/render.ts). */
  | { readonly kind: 'graph'; readonly graph: LabGraph; readonly request: Extract<Request, { verb: 'graph' }> }
  /** `nodes --facts`: per node, its facts (read now or stored), their age, and whether they are stale. */
  | { readonly kind: 'node-facts'; readonly rows: readonly NodeFactsRow[]; readonly maxAgeMinutes: number; readonly refreshed: boolean }
  | {
      readonly kind: 'exec';
      readonly command: string;
      readonly format: OutputFormat;
      readonly outcomes: readonly NodeOutcome<ExecResult>[];
    }
  | {
      readonly kind: 'plan';
      readonly method: ConfigMethod;
      /** `file ospf.conf`, `device file /var/tmp/x.conf`, `rollback 1`, `pasted config`. */
      readonly sourceLabel: string;
      readonly outcomes: readonly NodeOutcome<Plan>[];
      /** config --template: what each node was planned with, by `lab/node`. */
      readonly rendered?: Readonly<Record<string, { readonly content: string; readonly sha256: string }>>;
    }
  /** `render`: each node's text from the template; no device was touched. */
  | { readonly kind: 'render'; readonly template: { readonly path: string; readonly sha256: string }; readonly rendered: readonly RenderedNode[] }
  /** `config` with no source: the front end must ask for the content (Slack modal, terminal stdin). */
  | { readonly kind: 'needs-config'; readonly request: Extract<Request, { verb: 'config' }> }
  /** One change request: just proposed, shown, or after an approve/reject/cancel/rollback. */
  | { readonly kind: 'change'; readonly change: ChangeView; readonly event: ChangeEvent }
  | { readonly kind: 'changes'; readonly changes: readonly ChangeView[]; readonly filter: 'pending' | 'mine' | 'all' }
  | { readonly kind: 'history'; readonly records: readonly AuditRecord[]; readonly everyone: boolean }
  | { readonly kind: 'backup'; readonly backup: BackupResult }
  | { readonly kind: 'drift'; readonly outcomes: readonly NodeOutcome<DriftValue>[] }
  /** The Adopt button: the node's running configuration is its baseline, as this version. */
  | { readonly kind: 'drift-adopted'; readonly node: NodeRef; readonly version: number; readonly by: string }
  | { readonly kind: 'whoami'; readonly text: string };
