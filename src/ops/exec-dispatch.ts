import type { ExecResult, OutputFormat } from '../drivers/contract.js';
import type { LabNode } from '../inventory/types.js';
import { execOnNodes, type DeviceAccess, type StreamOptions } from './device-ops.js';
import type { OutputLimits } from './exec-output.js';
import type { NodeOutcome } from './outcome.js';

export type ExecOptions = StreamOptions<ExecResult> & { readonly limits?: OutputLimits; readonly totalNodes?: number };

/**
 * Where `exec` runs: here, through this process's scheduler and session pool (the one-process
 * mode), or on the agents that own the nodes (src/agents/dispatcher.ts). Chosen once, in createApp;
 * the request runner sees only this.
 */
export interface ExecDispatcher {
  exec(nodes: readonly LabNode[], command: string, format: OutputFormat, opts: ExecOptions): Promise<NodeOutcome<ExecResult>[]>;
  close(): Promise<void>;
}

/** The one-process mode: this process's own drivers and limits. */
export function localExecDispatcher(access: DeviceAccess): ExecDispatcher {
  return {
    exec: (nodes, command, format, opts) => execOnNodes(access, nodes, command, format, opts),
    close: async () => undefined,
  };
}
