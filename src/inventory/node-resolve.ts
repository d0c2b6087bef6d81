/**
 * Draft → LabNode, the one place where kinds, credentials and host/port are decided for every source.
 *
 * Credentials, later wins per field: kind default (containerlab's registry) < settings overrides
 * < credentials the topology declares < clab-<lab>/nornir-simple-inventory.yml (what containerlab
 * resolved at deploy). Host: settings override, else mgmt IPv4, else IPv6, else the long name
 * (containerlab puts it in /etc/hosts). Port: settings override, else the `clab-bot.port` label,
 * else undefined (the driver's standard port for the kind).
 */
import type { DeclaredCredentials, LabDraft, NodeDraft } from './draft.js';
import { resolveKind } from './kinds.js';
import { overrideFor, type ResolvedOverrides } from './overrides.js';
import type { NornirHost } from './readers/nornir.js';
import type { Credentials, LabNode } from './types.js';
import { fileWarning, type ReaderWarning } from './warnings.js';

/**
 * Container label carrying the port clab-bot should connect to (simulators on high loopback ports,
 * port-forwarded labs). Set it in the topology's `labels:`; `clab-bot sim` writes it in topology-data.json.
 */
export const PORT_LABEL = 'clab-bot.port';
/**
 * `clab-bot.tls: "false"` on a node (or, inherited, on its kind or the lab's defaults in the
 * topology file): its HTTP API (eAPI, SR Linux JSON-RPC) serves plain HTTP, e.g. EOS with `protocol http`.
 * `clab-bot.tls-verify: "false"` accepts an unverified certificate (drivers/http/endpoint.ts).
 */
export const TLS_LABEL = 'clab-bot.tls';

export interface ResolveContext {
  readonly overrides: ResolvedOverrides;
  readonly nornir: ReadonlyMap<string, NornirHost> | undefined;
}

function layer(base: Credentials, over: DeclaredCredentials | undefined): Credentials {
  if (over === undefined) return base;
  return { username: over.username ?? base.username, password: over.password ?? base.password };
}

export function resolveNode(draft: NodeDraft, lab: LabDraft, ctx: ResolveContext): { node: LabNode; warnings: ReaderWarning[] } {
  const warnings: ReaderWarning[] = [];
  const spec = resolveKind(draft.kind);
  const kind = spec?.kind ?? draft.kind;
  const override = overrideFor({ lab: lab.name, name: draft.name, longName: draft.longName, kind }, ctx.overrides);
  let credentials: Credentials = spec?.credentials ?? { username: '', password: '' };
  credentials = layer(credentials, override);
  credentials = layer(credentials, draft.declaredCredentials);
  credentials = layer(credentials, ctx.nornir?.get(draft.name)?.credentials);

  let labelPort: number | undefined;
  const rawPort = draft.labels[PORT_LABEL];
  if (rawPort !== undefined) {
    const port = /^\d+$/.test(rawPort.trim()) ? Number(rawPort.trim()) : Number.NaN;
    if (Number.isInteger(port) && port >= 1 && port <= 65535) labelPort = port;
    else warnings.push(fileWarning(lab.source, 'malformed', `"${rawPort}" is not a TCP port; ignored`, `${draft.name}: label ${PORT_LABEL}`));
  }

  const node: LabNode = {
    lab: lab.name,
    name: draft.name,
    longName: draft.longName,
    kind,
    vendor: spec?.vendor ?? 'unknown',
    driver: spec?.driver ?? 'none',
    mgmtIpv4: draft.mgmtIpv4,
    mgmtIpv6: draft.mgmtIpv6,
    host: override.host ?? draft.mgmtIpv4 ?? draft.mgmtIpv6 ?? draft.longName,
    port: override.port ?? labelPort,
    labels: draft.labels,
    group: draft.group,
    image: draft.image,
    labDir: lab.dir,
    source: lab.source,
    credentials,
  };
  return { node, warnings };
}
