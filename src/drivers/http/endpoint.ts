/**
 * How an HTTP driver reaches one node: http or https and which certificates to trust, from the
 * kind's management service (KindSpec.mgmt) and the node's labels (per node, or inherited from the
 * kind or the lab's defaults in the topology file). Shared by every JSON-RPC-over-HTTP driver.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UnsupportedError, type DriverErrorContext } from '../errors.js';
import { TLS_LABEL } from '../../inventory/node-resolve.js';
import type { LabNode } from '../../inventory/types.js';

/** `clab-bot.tls-verify: "false"`: accept the node's certificate unverified (self-signed, no lab CA). */
export const TLS_VERIFY_LABEL = 'clab-bot.tls-verify';

function boolLabel(node: LabNode, label: string, ctx: DriverErrorContext, words: { yes: string[]; no: string[] }): boolean | undefined {
  const value = node.labels[label]?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (words.no.includes(value)) return false;
  if (words.yes.includes(value)) return true;
  throw new UnsupportedError(ctx, `the label ${label}: "${node.labels[label]}" (use "${words.yes[0]}" or "${words.no[0]}")`);
}

/** The node's `clab-bot.tls` label: `false`/`http` for plain HTTP, `true`/`https` for HTTPS. */
export function tlsFromLabel(node: LabNode, ctx: DriverErrorContext): boolean | undefined {
  return boolLabel(node, TLS_LABEL, ctx, { yes: ['true', 'https'], no: ['false', 'http'] });
}

/** The node's `clab-bot.tls-verify` label. */
export function tlsVerifyFromLabel(node: LabNode, ctx: DriverErrorContext): boolean | undefined {
  return boolLabel(node, TLS_VERIFY_LABEL, ctx, { yes: ['true'], no: ['false'] });
}

/** Where containerlab keeps the lab CA that signs the nodes' certificates. */
export function labCaPath(node: LabNode): string {
  return join(node.labDir, `clab-${node.lab}`, '.tls', 'ca', 'ca.pem');
}

/** The lab CA file when the lab has one. */
export function labCaFile(node: LabNode): string | undefined {
  const path = labCaPath(node);
  return existsSync(path) ? path : undefined;
}
