import { styleText } from 'node:util';
import { graphText } from './graph-text.js';
import { commandLine, describeUsageError, type Source } from '../grammar/help.js';
import type { NodeOutcome, NodeStatus } from '../ops/outcome.js';
import type { ChangeEvent, RequestResult } from '../ops/results.js';
import type { ChangeView } from '../ops/changes/types.js';
import { describeSource } from '../model/config-source.js';
import { commitHistoryHint, commitSafety } from '../ops/changes/view.js';
import { DEVICE_SAYS } from '../ops/changes/sweeper.js';
import type { ExecResult } from '../drivers/contract.js';
import { cutNote, formatBytes } from '../ops/exec-output.js';
import { describeSearch, POINT_AT_LABS, type LabSearch } from '../inventory/no-labs.js';
import { redactText } from '../redact/index.js';
import { SECRETS_MASKED_NOTE, type BackupResult } from '../ops/backup-ops.js';
import { nodeKey } from '../model/node-ref.js';
import { duration } from '../util/duration.js';
import type { DriftValue } from '../ops/drift-ops.js';
import { driftHeadline, driftSummary, lastCommitLine } from './drift-lines.js';
import { FACTS_HEADERS, factsCells, factsErrorLines, factsSummary } from './node-facts.js';

export type TerminalFormat = 'text' | 'table';

export interface TerminalStyle {
  readonly color: boolean;
  /** How commands in next-step hints are written: `clab-bot change 4 approve` (default) or bare in the console. */
  readonly source?: Source;
  /** The plan's diffs were printed just above (config then yes): a commit does not repeat them. */
  readonly diffsShown?: boolean;
}

type Style = Parameters<typeof styleText>[0];

/**
 * Colours when the style says so (colorWanted decided it for this output). Node's own check of
 * process.stdout is turned off: the text may go elsewhere, and one place decides.
 */
function paint(style: TerminalStyle, format: Style, text: string): string {
  return style.color ? styleText(format, text, { validateStream: false }) : text;
}

const STATUS_STYLE: Record<NodeStatus, Style> = {
  ok: 'green',
  failed: 'red',
  stale: 'yellow',
  skipped: 'gray',
  unknown: 'magenta',
  cancelled: 'yellow',
};

export function statusWord(status: NodeStatus): string {
  return status === 'ok' ? 'ok' : status.toUpperCase();
}


/** A table with columns padded to the widest cell. */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Colours a Junos `[edit …]` or unified diff: + green, - red, headers cyan. */
function colourDiff(diff: string, style: TerminalStyle): string {
  if (!style.color) return diff;
  return diff
    .split('\n')
    .map((l) =>
      /^\s*\+/.test(l) ? paint(style, 'green', l) : /^\s*-/.test(l) ? paint(style, 'red', l) : /^\[edit/.test(l) || /^@@/.test(l) ? paint(style, 'cyan', l) : l,
    )
    .join('\n');
}

function header<T>(o: NodeOutcome<T>, style: TerminalStyle): string {
  const where = `${o.node.name} (${o.node.lab}, ${o.node.kind})`;
  return `${paint(style, 'bold', `== ${where}`)}  ${paint(style, STATUS_STYLE[o.status], statusWord(o.status))}  ${duration(o.durationMs)}`;
}

function errorLines<T>(o: NodeOutcome<T>): string[] {
  if (!o.error) return [];
  const extra = o.error.deviceErrors.filter((d) => !o.error!.message.includes(d));
  return [`error: ${o.error.message}`, ...extra.map((d) => `  device: ${d}`)];
}

function execBlock(o: NodeOutcome<ExecResult>, style: TerminalStyle): string {
  return [
    header(o, style),
    ...(o.value ? [o.value.output.trimEnd()] : []),
    ...(o.value?.cut ? [paint(style, 'yellow', `note: ${cutNote(o.value.cut)}`)] : []),
    ...(o.value?.warnings ?? []).map((w) => `warning: ${w}`),
    ...errorLines(o),
  ].join('\n');
}

/**
 * An exec result as text in pieces (one per node, then the summary), unredacted, for a caller
 * that redacts and writes them piece by piece (the Slack file upload): a request with many large
 * outputs is never joined into one string on the event loop.
 */
export function execTextChunks(result: Extract<RequestResult, { kind: 'exec' }>): string[] {
  const style = { color: false };
  if (result.outcomes.length === 1) return [`${execBlock(result.outcomes[0]!, style)}\n`];
  return [...result.outcomes.map((o) => `${execBlock(o, style)}\n`), `\n${execSummary(result)}\n`];
}

function execSummary(result: Extract<RequestResult, { kind: 'exec' }>): string {
  return table(
    ['NODE', 'STATUS', 'TIME', 'OUTPUT'],
    result.outcomes.map((o) => [o.node.name, statusWord(o.status), duration(o.durationMs), o.error ? o.error.message : outputSize(o.value?.output ?? '')]),
  );
}

/** The first line with text, found without splitting a large output into lines. */
export function firstNonBlankLine(text: string): string {
  for (let from = 0; from < text.length; ) {
    const end = text.indexOf('\n', from);
    const line = text.slice(from, end === -1 ? text.length : end);
    if (line.trim() !== '') return line;
    if (end === -1) break;
    from = end + 1;
  }
  return '';
}

/** Human text for a terminal. Everything passes through redaction. */
export function renderTerminal(result: RequestResult, format: TerminalFormat, style: TerminalStyle): string {
  return redactText(render(result, format, style));
}

function render(result: RequestResult, format: TerminalFormat, style: TerminalStyle): string {
  switch (result.kind) {
    case 'help':
    case 'whoami':
      return result.text;
    case 'usage':
      return describeUsageError(result.error);
    case 'denied':
      return `denied: ${result.decision.reason}`;
    case 'error':
      return [`error: ${result.error.message}`, ...(result.error.hint ? [`hint: ${result.error.hint}`] : [])].join('\n');
    case 'needs-config':
      return 'no configuration given: use --file PATH, --device-file PATH, --rollback N, or pipe the configuration on stdin';
    case 'labs':
      return [
        result.labs.length === 0
          ? noLabs(result.search, style)
          : table(['LAB', 'NODES', 'SOURCE'], result.labs.map((l) => [l.name, String(l.nodes.length), l.source])),
        ...result.warnings.map((w) => paint(style, 'yellow', warningLine(w))),
      ].join('\n');
    case 'nodes': {
      // Nodes served by agents (PostgreSQL + Redis mode) say which host and whether its agent is alive.
      const agents = result.nodes.some((n) => n.agent !== undefined);
      return table(
        ['LAB', 'NODE', 'KIND', 'VENDOR', 'MGMT', ...(agents ? ['AGENT'] : []), 'LABELS'],
        result.nodes.map((n) => [
          n.lab,
          n.name,
          n.kind,
          n.vendor,
          n.mgmtIpv4 ?? n.mgmtIpv6 ?? n.host,
          ...(agents ? [n.agent ? `${n.agent.host} (${n.agent.alive ? 'alive' : 'LOST'})` : ''] : []),
          Object.entries(n.labels)
            .filter(([k]) => k === 'clab-bot.port' || !(k.startsWith('clab-') || k === 'containerlab'))
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ]),
      );
    }
    case 'graph':
      return graphText(result.graph, result.request.out === undefined && result.request.output === undefined ? 'to draw it: --out FILE.png (or .svg, .dot, .mmd)' : undefined);
    case 'node-facts':
      return [
        table(FACTS_HEADERS, result.rows.map(factsCells)),
        ...factsErrorLines(result.rows).map((l) => paint(style, 'red', l)),
        paint(style, result.rows.some((r) => r.stale) ? 'yellow' : 'dim', factsSummary(result.rows, result.maxAgeMinutes)),
      ].join('\n');
    case 'exec': {
      if (format === 'table' || result.outcomes.length > 1) {
        const summary = execSummary(result);
        if (format === 'table') return summary;
        const blocks = result.outcomes.map((o) => execBlock(o, style));
        return [...blocks, '', summary].join('\n');
      }
      return execBlock(result.outcomes[0]!, style);
    }
    case 'plan': {
      const blocks = result.outcomes.map((o) => {
        const lines = [header(o, style)];
        const own = result.rendered?.[nodeKey(o.node)];
        if (own !== undefined) lines.push(...renderedLines(own, style), paint(style, 'bold', 'diff:'));
        if (o.value) {
          lines.push(o.value.diff.trim() === '' ? '(no changes)' : colourDiff(o.value.diff.trimEnd(), style));
          const c = o.value.check;
          lines.push(c.ok ? paint(style, 'green', 'commit check: ok') : paint(style, 'red', 'commit check: FAILED'));
          for (const e of c.errors) lines.push(paint(style, 'red', `  error: ${e}`));
          for (const w of c.warnings) lines.push(paint(style, 'yellow', `  warning: ${w}`));
        }
        lines.push(...errorLines(o));
        return lines.join('\n');
      });
      const changed = result.outcomes.filter((o) => o.value && o.value.diff.trim() !== '').length;
      const failing = result.outcomes.filter((o) => o.status !== 'ok' || (o.value && !o.value.check.ok)).length;
      return [
        ...blocks,
        '',
        `dry run (${result.method}, ${result.sourceLabel}): ${changed} of ${result.outcomes.length} nodes would change, ${failing} failing; nothing was committed`,
      ].join('\n');
    }
    case 'change':
      return renderChange(result.change, result.event, style);
    case 'changes':
      return result.changes.length === 0
        ? `no ${result.filter === 'all' ? '' : `${result.filter} `}changes`
        : table(
            ['ID', 'STATE', 'REQUESTER', 'NODES', 'APPROVALS', 'CREATED'],
            result.changes.map((c) => [
              c.ref,
              c.state,
              c.requester.name ?? c.requester.id,
              c.targets.map((t) => t.node).join(','),
              `${c.approvals.length}/${c.requiredApprovals}`,
              c.createdAt.replace('T', ' ').slice(0, 16),
            ]),
          );
    case 'history':
      return result.records.length === 0
        ? 'no history yet'
        : table(
            ['WHEN', 'WHO', 'EVENT', 'OUTCOME', 'COMMAND'],
            result.records.map((r) => [r.at.replace('T', ' ').slice(0, 19), r.actorName ?? r.actor, r.event, r.outcome, r.command ?? '']),
          );
    case 'backup':
      return renderBackup(result.backup, style);
    case 'render':
      return [
        ...result.rendered.map((r) => [paint(style, 'bold', `== ${r.node.name} (${r.node.lab})`), ...renderedLines(r, style)].join('\n')),
        '',
        `rendered ${result.template.path} (sha256 ${result.template.sha256.slice(0, 12)}) for ${result.rendered.length} node${result.rendered.length === 1 ? '' : 's'}; no device was touched`,
      ].join('\n');
    case 'drift':
      return renderDrift(result.outcomes, style);
    case 'drift-adopted':
      return `${nodeKey(result.node)}: the running configuration is the new baseline (backup version ${result.version}, adopted by ${result.by})`;
    default:
      return result satisfies never;
  }
}

/** A node's rendering of a template: its hash, then the text as it would be loaded. */
function renderedLines(r: { readonly content: string; readonly sha256: string }, style: TerminalStyle): string[] {
  return [paint(style, 'bold', `rendered (sha256 ${r.sha256.slice(0, 12)}):`), r.content.trimEnd()];
}

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;

/** Per node: in sync, drifted (with the device's last commit and the diff), no baseline, unreachable; then the counts. */
function renderDrift(outcomes: readonly NodeOutcome<DriftValue>[], style: TerminalStyle): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const head = driftHeadline(o);
    const v = o.value;
    if (v === undefined) lines.push(paint(style, 'red', head));
    else if (v.status === 'drifted') lines.push(paint(style, 'yellow', head), lastCommitLine(v), colourDiff(v.diff.trimEnd(), style));
    else lines.push(v.status === 'in-sync' ? head : paint(style, 'yellow', head));
  }
  return [...lines, '', driftSummary(outcomes)].join('\n');
}

/** A backup result: saved versions, a list, one version, a diff of two, files written. */
function renderBackup(b: BackupResult, style: TerminalStyle): string {
  switch (b.action) {
    case 'save': {
      const lines = b.outcomes.map((o) => {
        const where = `${nodeKey(o.node)}`;
        if (o.status !== 'ok' || o.value === undefined) return `${where}  ${paint(style, 'red', o.status.toUpperCase())}: ${o.error?.message ?? 'no configuration read'}`;
        const v = o.value;
        const hash = `sha256 ${v.sha256.slice(0, 12)}, ${formatBytes(v.bytes)}`;
        return v.status === 'saved'
          ? `${where}  ${paint(style, 'green', `saved version ${v.version}`)} (${hash})${v.pruned > 0 ? `; ${v.pruned} old version${v.pruned === 1 ? '' : 's'} dropped (backup.keep_versions)` : ''}`
          : `${where}  unchanged since version ${v.version} (${hash})`;
      });
      const saved = b.outcomes.filter((o) => o.value?.status === 'saved').length;
      const unchanged = b.outcomes.filter((o) => o.value?.status === 'unchanged').length;
      const failed = b.outcomes.length - saved - unchanged;
      return [...lines, '', `backup: ${saved} saved, ${unchanged} unchanged, ${failed} failed; ${SECRETS_MASKED_NOTE}`].join('\n');
    }
    case 'list':
      if (b.versions.length === 0) return `${nodeKey(b.node)} has no backups yet`;
      return [
        `backups of ${nodeKey(b.node)}, newest first:`,
        table(
          ['VERSION', 'TAKEN', 'BY', 'REASON', 'SHA256', 'SIZE'],
          b.versions.map((v) => [String(v.version), when(v.takenAt), v.takenBy, v.reason, v.sha256.slice(0, 12), formatBytes(v.bytes)]),
        ),
      ].join('\n');
    case 'show': {
      const v = b.backup;
      return [
        paint(style, 'bold', `== ${nodeKey(v)} version ${v.version}, taken ${when(v.takenAt)} by ${v.takenBy} (${v.reason}), sha256 ${v.sha256.slice(0, 12)}`),
        `note: ${SECRETS_MASKED_NOTE}`,
        v.content.trimEnd(),
      ].join('\n');
    }
    case 'diff': {
      const head = `== ${nodeKey(b.node)}: version ${b.from.version} (${when(b.from.takenAt)}) -> version ${b.to.version} (${when(b.to.takenAt)})`;
      return [paint(style, 'bold', head), b.diff === '' ? '(no differences)' : colourDiff(b.diff.trimEnd(), style)].join('\n');
    }
    case 'export':
      return [
        ...b.files.map((f) => `wrote ${f.path} (version ${f.version}, ${formatBytes(f.bytes)})`),
        ...b.missing.map((m) => paint(style, 'yellow', `${nodeKey(m)}: no backup yet, nothing written (save one with \`backup ${m.name}\`)`)),
        `exported ${b.files.length} of ${b.files.length + b.missing.length} nodes to ${b.dir}; ${SECRETS_MASKED_NOTE}`,
      ].join('\n');
    default:
      return b satisfies never;
  }
}

/** "no labs found", where the bot looked and how to point it at labs (Slack users are told who can). */
function noLabs(search: LabSearch, style: TerminalStyle): string {
  if (style.source === 'slack') return 'no labs found: the operator of this bot points it at lab directories (labs: in clab-bot.yaml or CLAB_LABS)';
  return `no labs found: ${describeSearch(search)}\nhint: ${POINT_AT_LABS}`;
}

/** What crash recovery found for a change a stopped process left applying (its reason holds the devices' words). */
export function recoveryNote(c: ChangeView): string {
  return `note: change ${c.ref} was left applying by a process that stopped; it is now ${c.state}: ${c.reason ?? 'no reason recorded'}`;
}

/** `warning: FILE: what` (messages from the readers usually name their file already). */
export function warningLine(w: { readonly file: string; readonly message: string }): string {
  return `warning: ${w.message.startsWith(w.file) ? w.message : `${w.file}: ${w.message}`}`;
}

const EVENT_WORDS: Record<ChangeEvent, string> = {
  proposed: 'proposed',
  shown: '',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  replanned: 're-planned',
  'rollback-proposed': 'rollback proposed',
  resolved: 'resolved',
};

/** A change request: its state, each node's diff/check or commit result, and what to do next. */
function renderChange(c: ChangeView, event: ChangeEvent, style: TerminalStyle): string {
  const eventWord = EVENT_WORDS[event] && EVENT_WORDS[event] !== c.state ? ` (${EVENT_WORDS[event]})` : '';
  const head = `change ${c.ref} ${paint(style, 'bold', c.state)}${eventWord}: ${c.method}, ${describeSource(c.source)}, by ${c.requester.name ?? c.requester.id}`;
  const lines = [head];
  if (c.reason) lines.push(`reason: ${c.reason}`);
  const approvers = c.approvals.length ? ` (${c.approvals.map((a) => a.approver.name ?? a.approver.id).join(', ')})` : '';
  lines.push(
    `approvals: ${c.approvals.length}/${c.requiredApprovals}${approvers}; ${commitSafety(c)}${c.check ? `; check: ${c.check}` : ''}`,
  );
  const applied = c.targets.some((t) => t.apply.status !== 'pending');
  for (const t of c.targets) {
    // A template change: the rendering this node commits, by its hash (the text itself is never shown in a view).
    const rendering = c.source.type === 'template' ? c.source.rendered[t.key] : undefined;
    lines.push(
      paint(style, 'bold', `== ${t.key}`) +
        `  plan ${t.plan.status}${applied ? `, ${t.apply.status}${t.apply.commitId ? ` (commit ${t.apply.commitId})` : ''}` : ''}` +
        (rendering === undefined ? '' : `  rendering sha256 ${rendering.sha256.slice(0, 12)} (${rendering.lines} lines)`),
    );
    // A commit happens only when the node's diff still hashes to the approved plan's, so the plan's
    // diff is what a committed node took: shown again, so the approval says what changed.
    const committed = t.apply.status === 'committed' && style.diffsShown !== true;
    if ((!applied || committed) && t.plan.diff !== undefined) lines.push(t.plan.diff.trim() === '' ? '(no changes)' : colourDiff(t.plan.diff.trimEnd(), style));
    if (!applied && t.plan.check) {
      lines.push(t.plan.check.ok ? paint(style, 'green', 'commit check: ok') : paint(style, 'red', 'commit check: FAILED'));
      for (const e of t.plan.check.errors) lines.push(paint(style, 'red', `  error: ${e}`));
      for (const w of t.plan.check.warnings) lines.push(paint(style, 'yellow', `  warning: ${w}`));
    }
    for (const e of [t.plan.error, t.apply.error]) {
      // What the device said at crash recovery is its state, not an error.
      if (e) lines.push(e.code === DEVICE_SAYS ? `device: ${e.message}` : paint(style, 'red', `error: ${e.message}`));
    }
  }
  const cmd = (words: string) => commandLine(style.source ?? 'terminal', words);
  if (c.state === 'planned') {
    lines.push(
      c.approvable
        ? `to commit: ${cmd(`change ${c.id} approve`)}   (reject: ${cmd(`change ${c.id} reject`)}; expires ${c.expiresAt.replace('T', ' ').slice(0, 16)} UTC)`
        : `cannot be approved: ${c.failing.length} node(s) failing; fix the config and propose again, or ${cmd(`change ${c.id} cancel`)}`,
    );
  }
  if (c.state === 'unknown') {
    const unsure = c.targets.filter((t) => t.apply.status !== 'committed' && t.apply.status !== 'failed');
    lines.push(
      `the outcome is not known: ${commitHistoryHint(unsure.length > 0 ? unsure : c.targets)} before trying again; an admin records what you find with ${cmd(`change ${c.id} resolve --committed`)} or --not-committed`,
    );
  }
  return lines.join('\n');
}

/**
 * The summary's word on an ok node's output: its size, never a line of it (a first line such as
 * "Hostname: r1" read like a verdict in a column of results).
 */
function outputSize(text: string): string {
  // Counted without splitting: outputs may be megabytes.
  const trimmed = text.trimEnd();
  let lines = trimmed === '' ? 0 : 1;
  for (let at = trimmed.indexOf('\n'); at !== -1; at = trimmed.indexOf('\n', at + 1)) lines += 1;
  return lines === 0 ? 'no output' : lines === 1 ? '1 line' : `${lines} lines`;
}
