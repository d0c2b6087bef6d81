import { SECRETS_MASKED_NOTE, type BackupResult } from '../ops/backup-ops.js';
import { nodeKey } from '../model/node-ref.js';
import { driftStatusOf } from '../ops/drift-ops.js';
import { DRIFT_MASKED_NOTE } from './drift-lines.js';
import type { LabNode } from '../inventory/types.js';
import type { NodeOutcome } from '../ops/outcome.js';
import type { RequestResult } from '../ops/results.js';
import { cutNote } from '../ops/exec-output.js';
import { redactObject } from '../redact/index.js';

/** `clab-bot nodes --output json` rows (DESIGN.md §10). Credentials are never included. */
function nodeJson(n: LabNode) {
  return {
    lab: n.lab,
    name: n.name,
    kind: n.kind,
    vendor: n.vendor,
    mgmtIpv4: n.mgmtIpv4 ?? null,
    mgmtIpv6: n.mgmtIpv6 ?? null,
    host: n.host,
    port: n.port ?? null,
    labels: n.labels,
    group: n.group ?? null,
    image: n.image ?? null,
    source: n.source,
    ...(n.agent ? { agent: { host: n.agent.host, alive: n.agent.alive, heartbeatAgeMs: n.agent.heartbeatAgeMs } } : {}),
  };
}

function outcomeJson<T>(o: NodeOutcome<T>, value: (v: T) => Record<string, unknown>) {
  return {
    node: o.node.name,
    lab: o.node.lab,
    ok: o.status === 'ok',
    status: o.status,
    ...(o.value !== undefined ? value(o.value) : {}),
    error: o.error ? { code: o.error.code, message: o.error.message, deviceErrors: o.error.deviceErrors } : null,
    durationMs: Math.round(o.durationMs),
  };
}

/**
 * A device's `--format json` output goes into the result as JSON, so a script parses once
 * (`.results[0].output.<field>`); output that is not valid JSON stays the text it was.
 */
function outputJson(output: string, format: string): unknown {
  if (format !== 'json') return output;
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}

/** The machine-readable form of a result, redacted. */
export function resultJson(result: RequestResult): unknown {
  return redactObject(rawJson(result));
}

function rawJson(result: RequestResult): unknown {
  switch (result.kind) {
    case 'nodes':
      return result.nodes.map(nodeJson);
    case 'graph':
      return {
        labs: result.graph.labs,
        check: result.graph.check ?? null,
        nodes: result.graph.nodes,
        links: result.graph.links,
        collapsed: result.graph.collapsed,
        notes: result.graph.notes,
      };
    case 'node-facts':
      return {
        maxAgeMinutes: result.maxAgeMinutes,
        refreshed: result.refreshed,
        nodes: result.rows.map((r) => ({
          lab: r.node.lab,
          name: r.node.name,
          kind: r.node.kind,
          hostname: r.facts?.hostname ?? null,
          vendor: r.facts?.vendor ?? null,
          model: r.facts?.model ?? null,
          version: r.facts?.version ?? null,
          serial: r.facts?.serial ?? null,
          uptimeSeconds: r.facts?.uptimeSeconds ?? null,
          readAt: r.readAt?.toISOString() ?? null,
          ageSeconds: r.ageSeconds ?? null,
          stale: r.stale,
          from: r.from,
          error: r.error ? { code: r.error.code, message: r.error.message } : null,
        })),
      };
    case 'labs':
      return {
        labs: result.labs.map((l) => ({ name: l.name, dir: l.dir, source: l.source, nodes: l.nodes.length })),
        warnings: result.warnings,
        searched: { paths: result.search.paths, containerlabInspect: result.search.inspect },
      };
    case 'exec':
      return {
        command: result.command,
        results: result.outcomes.map((o) =>
          outcomeJson(o, (v) => ({
            output: outputJson(v.output, v.format),
            format: v.format,
            warnings: v.warnings,
            ...(v.cut ? { cut: { ...v.cut, note: cutNote(v.cut) } } : {}),
          })),
        ),
      };
    case 'plan':
      return {
        method: result.method,
        source: result.sourceLabel,
        results: result.outcomes.map((o) => outcomeJson(o, (v) => ({ diff: v.diff, diffHash: v.diffHash, check: v.check }))),
        ...(result.rendered === undefined ? {} : { rendered: result.rendered }),
      };
    case 'render':
      return {
        template: result.template,
        rendered: result.rendered.map((r) => ({ lab: r.node.lab, node: r.node.name, sha256: r.sha256, text: r.content })),
      };
    case 'change':
      return { event: result.event, change: result.change };
    case 'changes':
      return { filter: result.filter, changes: result.changes };
    case 'history':
      return { everyone: result.everyone, records: result.records };
    case 'backup':
      return backupJson(result.backup);
    case 'drift':
      return {
        note: DRIFT_MASKED_NOTE,
        // `status` stays the node's outcome (ok when read); `drift` says what was found.
        results: result.outcomes.map((o) => ({ ...outcomeJson(o, ({ status: _found, ...v }) => ({ ...v })), drift: driftStatusOf(o) })),
      };
    case 'drift-adopted':
      return { node: nodeKey(result.node), version: result.version, adoptedBy: result.by };
    case 'help':
    case 'whoami':
      return { text: result.text };
    case 'usage':
      return { error: { code: 'usage', message: result.error.message, usage: result.error.usage, suggestions: result.error.suggestions } };
    case 'denied':
      return { error: { code: 'denied', message: result.decision.reason, missing: result.decision.missing ?? null } };
    case 'error':
      return { error: { code: result.error.code, message: result.error.message, hint: result.error.hint ?? null } };
    case 'needs-config':
      return { error: { code: 'needs_config', message: 'no configuration given: use --file PATH or pipe it on stdin' } };
    default:
      return result satisfies never;
  }
}

function backupJson(b: BackupResult): unknown {
  const note = SECRETS_MASKED_NOTE;
  switch (b.action) {
    case 'save':
      return { action: 'save', note, results: b.outcomes.map((o) => outcomeJson(o, (v) => ({ ...v }))) };
    case 'list':
      return { action: 'list', node: nodeKey(b.node), versions: b.versions };
    case 'show':
      return { action: 'show', note, backup: b.backup };
    case 'diff':
      return { action: 'diff', node: nodeKey(b.node), from: b.from, to: b.to, diff: b.diff };
    case 'export':
      return { action: 'export', note, dir: b.dir, files: b.files, missing: b.missing.map(nodeKey) };
    default:
      return b satisfies never;
  }
}
