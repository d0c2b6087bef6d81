/**
 * What a reader extracts from one source before kinds, credentials and overrides are applied
 * (node-resolve.ts turns drafts into LabNodes, in one place for every source).
 */
import type { ReaderWarning } from './warnings.js';

/** Where a lab was read from, most trusted first (DESIGN.md §4: a deployed lab wins). */
export type SourceOrigin = 'topology-data' | 'inspect' | 'clab-yml';

export const ORIGIN_PREFERENCE: readonly SourceOrigin[] = ['topology-data', 'inspect', 'clab-yml'];

export interface DeclaredCredentials {
  readonly username?: string;
  readonly password?: string;
}

export interface NodeDraft {
  readonly name: string;
  readonly longName: string;
  /** Kind as the source writes it (lower-cased by containerlab; may be an alias such as `srl`). */
  readonly kind: string;
  readonly mgmtIpv4: string | undefined;
  readonly mgmtIpv6: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly group: string | undefined;
  readonly image: string | undefined;
  /** Credentials the topology itself declares (clab.yml `credentials:`), before kind defaults. */
  readonly declaredCredentials: DeclaredCredentials | undefined;
}

export interface LabDraft {
  readonly name: string;
  readonly origin: SourceOrigin;
  /** The file (or named text) the lab was read from. */
  readonly source: string;
  /** Directory holding the topology file: config paths are relative to it. */
  readonly dir: string;
  /** The lab's `clab-<lab>/` directory when the source says where it is. */
  readonly dataDir: string | undefined;
  readonly nodes: readonly NodeDraft[];
}

export interface ReaderResult {
  readonly labs: readonly LabDraft[];
  readonly warnings: readonly ReaderWarning[];
}
