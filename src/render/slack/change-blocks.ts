import type { ChangeNodeView, ChangeView, Person } from '../../ops/changes/types.js';
import type { SourceView } from '../../model/config-source.js';
import type { ChangeState } from '../../ops/changes/state-machine.js';
import { commitSafety } from '../../ops/changes/view.js';
import type { ChangeEvent } from '../../ops/results.js';
import { redactText } from '../../redact/index.js';
import type { ActionsBlock, ButtonElement, MessageBlock, SlackFile, SlackMessage, ThreadPost } from './block-types.js';
import { context, plain, section } from './blocks.js';
import { INLINE_MAX_NODES, MESSAGE_BUDGET, SLACK_LIMITS, TABLE_MAX_ROWS } from './limits.js';
import { MessageBudget } from './message-budget.js';
import { diffBlock } from './diff-block.js';
import { clip, clipEscaped, escapeMrkdwn, inlineCode, plural } from './mrkdwn.js';
import { diffStat } from './plan-blocks.js';
import { textReply } from './reply-blocks.js';
import { mention } from './root-message.js';
import { addTable } from './table.js';

/** action_ids of the change buttons; each button's value is `ID:VERSION` (changeButtonValue). */
export const CHANGE_BUTTONS = {
  approve: 'clab_change_approve',
  reject: 'clab_change_reject',
  replan: 'clab_change_replan',
  rollback: 'clab_change_rollback',
} as const;
export type ChangeButton = keyof typeof CHANGE_BUTTONS;

/** The id and the version shown: an approval binds to the plan its approver saw. */
function changeButtonValue(change: Pick<ChangeView, 'id' | 'version'>): string {
  return `${change.id}:${change.version}`;
}

export function parseChangeButtonValue(value: string | undefined): { readonly id: number; readonly version: number } | undefined {
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(value ?? '');
  return m ? { id: Number(m[1]), version: Number(m[2]) } : undefined;
}

const STATE_EMOJI: Readonly<Record<ChangeState, string>> = {
  planned: ':hourglass_flowing_sand:',
  approved: ':gear:',
  applying: ':gear:',
  committed: ':white_check_mark:',
  partial: ':warning:',
  failed: ':x:',
  stale: ':warning:',
  rejected: ':no_entry_sign:',
  cancelled: ':no_entry_sign:',
  expired: ':alarm_clock:',
  unknown: ':grey_question:',
};

function who(p: Person): string {
  return mention(p.id);
}

/** `<!date^…>`: Slack shows the time in the reader's own time zone. */
export function slackTime(iso: string): string {
  const sec = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(sec) ? `<!date^${sec}^{date_short_pretty} {time}|${escapeMrkdwn(iso)}>` : escapeMrkdwn(iso);
}

function sourceText(source: SourceView): string {
  switch (source.type) {
    case 'text':
      return `${plural(source.lines, 'line')} of ${source.format === 'set' ? 'set commands' : 'configuration'} (sha256 ${source.sha256.slice(0, 12)})`;
    case 'template':
      return `template ${source.path} (sha256 ${source.sha256.slice(0, 12)}) rendered for each node`;
    case 'device-file':
      return `device file ${source.path}`;
    case 'rollback':
      return `the device's rollback ${source.index}`;
    default:
      return source satisfies never;
  }
}

function approvalsText(change: ChangeView): string {
  return `${change.approvals.length} of ${change.requiredApprovals} approval${change.requiredApprovals === 1 ? '' : 's'}`;
}

/** The one-line state of a change, mrkdwn, for the root message and replies. */
export function changeStateLine(change: ChangeView): string {
  const ref = `change ${change.ref}`;
  const reason = change.reason ? `: ${clipEscaped(redactText(change.reason), 500)}` : '';
  const nodes = plural(change.targets.length, 'node');
  const head = `${STATE_EMOJI[change.state]} ${ref}`;
  switch (change.state) {
    case 'planned':
      if (change.failing.length > 0)
        return `:x: ${ref} cannot be approved: ${clipEscaped(change.failing.map((f) => `${f.node}: ${f.reason}`).join('; '), 500)}`;
      return `${head} planned on ${nodes}: waiting for approval (${approvalsText(change)}) · approve or reject in the thread`;
    case 'approved':
    case 'applying':
      return `${head} approved by ${change.approvals.map((a) => who(a.approver)).join(', ')}: applying on ${nodes}…`;
    case 'cancelled':
      if (change.nothingToChange) return `:white_check_mark: nothing to change on ${nodes}: the configuration is already in place`;
      return `${head} ${change.state}${reason}`;
    case 'committed':
    case 'partial':
    case 'failed':
    case 'stale':
    case 'unknown':
    case 'rejected':
    case 'expired':
      return `${head} ${change.state}${reason}`;
    default:
      return change.state satisfies never;
  }
}

/** What the plan found on one node, as a heading. */
function planHeading(t: ChangeNodeView, label: string): string {
  const p = t.plan;
  if (p.status === 'failed' || p.error) return `:x: *${escapeMrkdwn(label)}* · *plan FAILED*`;
  if (p.status === 'pending') return `:hourglass_flowing_sand: *${escapeMrkdwn(label)}* · not planned yet`;
  const diff = p.diff ?? '';
  const check = p.check === undefined ? '' : p.check.ok ? ' · commit check ok' : ' · *commit check FAILED*';
  const emoji = p.check && !p.check.ok ? ':x:' : diff.trim() === '' ? ':white_circle:' : ':pencil2:';
  return `${emoji} *${escapeMrkdwn(label)}* · ${diffStat(diff)}${check}`;
}

function labeller(change: ChangeView): (t: ChangeNodeView) => string {
  const multiLab = new Set(change.targets.map((t) => t.lab)).size > 1;
  return (t) => (multiLab ? t.key : t.node);
}

function checkNotes(t: ChangeNodeView): string[] {
  const c = t.plan.check;
  const notes = [...(c?.errors ?? []).map((e) => `:x: ${e}`), ...(c?.warnings ?? []).map((w) => `:warning: ${w}`)];
  if (t.plan.error)
    notes.unshift(
      `:x: ${t.plan.error.message}${t.plan.error.deviceErrors
        .filter((d) => !t.plan.error!.message.includes(d))
        .map((d) => `; ${d}`)
        .join('')}`,
    );
  return notes;
}

/**
 * The proposal: what would change on each node (diffs inline while few and short, else a table and
 * a file), then a separate decision message with the buttons, so that the buttons can later be
 * replaced by the decision without touching the message that carries the file.
 */
export function changeProposal(change: ChangeView): { readonly post: ThreadPost; readonly decision: SlackMessage } {
  const label = labeller(change);
  const budget = new MessageBudget();
  budget.tryAdd([
    section(`*Change ${change.ref}* requested by ${who(change.requester)} · ${escapeMrkdwn(change.method)} of ${escapeMrkdwn(sourceText(change.source))}`),
  ]);
  const truncated: string[] = [];
  if (change.targets.length <= INLINE_MAX_NODES) {
    const share = Math.min(MESSAGE_BUDGET.sectionChars - 300, Math.floor((MESSAGE_BUDGET.chars - 1500) / Math.max(1, change.targets.length)) - 600);
    for (const t of change.targets) {
      const blocks: MessageBlock[] = [];
      const diff = t.plan.diff ?? '';
      if (diff.trim() !== '' && t.plan.status === 'ok') {
        const code = diffBlock(redactText(diff), share);
        if (code.truncated) truncated.push(`${label(t)} shows ${code.shownLines} of ${code.totalLines} diff lines`);
        blocks.push(section(`${planHeading(t, label(t))}\n${code.text}`));
      } else blocks.push(section(planHeading(t, label(t))));
      const notes = checkNotes(t);
      if (notes.length > 0) {
        const shown = notes.slice(0, 8).map((n) => clipEscaped(redactText(n), 300));
        if (notes.length > 8 || notes.some((n) => escapeMrkdwn(redactText(n)).length > 300))
          truncated.push(`${label(t)} lists ${Math.min(8, notes.length)} of ${notes.length} messages`);
        blocks.push(section(shown.join('\n')));
      }
      if (!budget.tryAdd(blocks, { blocks: 2, chars: 800 })) truncated.push(`${label(t)} is not shown`);
    }
  } else {
    const table = addTable(
      budget,
      ['NODE', 'PLAN', 'CHANGES', 'CHECK'],
      change.targets.map((t) => [
        label(t),
        t.plan.status,
        t.plan.status === 'ok' ? diffStat(t.plan.diff ?? '') : '-',
        t.plan.check === undefined ? '-' : t.plan.check.ok ? 'ok' : `FAILED: ${t.plan.check.errors[0] ?? ''}`,
      ]),
      { maxRows: TABLE_MAX_ROWS, reserve: { blocks: 2, chars: 800 } },
    );
    truncated.push(table.shownRows < change.targets.length ? `the table shows ${table.shownRows} of ${change.targets.length} nodes` : 'diffs are in the file');
  }
  const file = truncated.length > 0 ? proposalFile(change, label) : undefined;
  if (file) budget.tryAdd([context(`:page_facing_up: ${escapeMrkdwn(clip(truncated.join('; '), 500))}; every node's full diff is attached`)]);
  return {
    post: {
      message: {
        text: escapeMrkdwn(clip(redactText(`change ${change.ref}: ${change.method} on ${plural(change.targets.length, 'node')}`), 300)),
        blocks: budget.blocks,
      },
      ...(file ? { file } : {}),
    },
    decision: decisionMessage(change),
  };
}

/**
 * The decision message: Approve (with a confirm dialog) and Reject while the change waits for
 * approval; afterwards the same message says how it was decided, without buttons.
 */
export function decisionMessage(change: ChangeView): SlackMessage {
  const blocks: MessageBlock[] = [section(changeStateLine(change))];
  const details = [
    commitSafety(change),
    ...(change.check ? [`then check ${inlineCode(redactText(change.check), 200)}`] : []),
    ...(change.comment ? [`comment “${escapeMrkdwn(clip(redactText(change.comment), 200))}”`] : []),
    ...(change.state === 'planned' ? [`expires ${slackTime(change.expiresAt)}`] : []),
  ];
  blocks.push(context(details.join(' · ')));
  if (change.state === 'planned') {
    blocks.push({ type: 'actions', block_id: `change_${change.id}_v${change.version}`, elements: decisionButtons(change) } satisfies ActionsBlock);
  } else if (change.approvals.length > 0) {
    blocks.push(context(`approved by ${change.approvals.map((a) => `${who(a.approver)} ${slackTime(a.at)}`).join(', ')}`));
  }
  return { text: changeStateLine(change).replace(/:[a-z_]+: /g, ''), blocks };
}

/**
 * Approve (with a confirm dialog), Re-plan when a node's plan failed, and Reject, for a planned
 * change: in its thread and on an approver's App Home alike, so a press means the same everywhere.
 */
export function decisionButtons(change: ChangeView): ButtonElement[] {
  const value = changeButtonValue(change);
  const buttons: ButtonElement[] = [];
  if (change.approvable) {
    buttons.push({
      type: 'button',
      action_id: CHANGE_BUTTONS.approve,
      text: plain('Approve', SLACK_LIMITS.buttonText),
      style: 'primary',
      value,
      confirm: {
        title: plain(`Approve change ${change.ref}?`, SLACK_LIMITS.confirmTitle),
        text: plain(
          `This commits the diff shown on ${plural(change.targets.length, 'node')} (${commitSafety(change)}). A node whose configuration changed since the plan is left alone.`,
          SLACK_LIMITS.confirmText,
        ),
        confirm: plain('Approve and commit', SLACK_LIMITS.confirmButton),
        deny: plain('Not yet', SLACK_LIMITS.confirmButton),
        style: 'primary',
      },
    });
  }
  // A node whose plan failed blocks approval: once it is fixed, planning again is the way forward.
  if (change.failing.length > 0) buttons.push({ type: 'button', action_id: CHANGE_BUTTONS.replan, text: plain('Re-plan', SLACK_LIMITS.buttonText), value });
  buttons.push({ type: 'button', action_id: CHANGE_BUTTONS.reject, text: plain('Reject', SLACK_LIMITS.buttonText), style: 'danger', value });
  return buttons;
}

/** After the apply: each node's outcome, and a Rollback button when something was committed. */
export function changeOutcome(change: ChangeView): ThreadPost {
  const label = labeller(change);
  const budget = new MessageBudget();
  budget.tryAdd([section(changeStateLine(change))]);
  const lines = change.targets.map((t) => {
    const a = t.apply;
    const commit = a.commitId ? ` (commit ${escapeMrkdwn(a.commitId)})` : '';
    const error = a.error ? `: ${clipEscaped(redactText(a.error.message), 300)}` : '';
    return `• *${escapeMrkdwn(label(t))}*: ${a.status}${commit}${error}`;
  });
  let text = '';
  let shown = 0;
  for (const l of lines) {
    if (`${text}\n${l}`.length > MESSAGE_BUDGET.sectionChars - 100) break;
    text = text === '' ? l : `${text}\n${l}`;
    shown += 1;
  }
  if (shown < lines.length) text += `\n…and ${lines.length - shown} more (run \`/clab change ${change.id}\` for every node)`;
  if (text !== '') budget.tryAdd([section(text)]);
  const committed = change.targets.some((t) => t.apply.status === 'committed');
  if (committed && (change.state === 'committed' || change.state === 'partial')) {
    budget.tryAdd([
      {
        type: 'actions',
        block_id: `change_${change.id}_rollback`,
        elements: [
          {
            type: 'button',
            action_id: CHANGE_BUTTONS.rollback,
            text: plain('Roll back', SLACK_LIMITS.buttonText),
            value: changeButtonValue(change),
            confirm: {
              title: plain(`Roll back change ${change.ref}?`, SLACK_LIMITS.confirmTitle),
              text: plain(
                'This proposes a new change restoring the previous configuration on the committed nodes; it needs approval like any other.',
                SLACK_LIMITS.confirmText,
              ),
              confirm: plain('Propose rollback', SLACK_LIMITS.confirmButton),
              deny: plain('Keep it', SLACK_LIMITS.confirmButton),
              style: 'danger',
            },
          },
        ],
      },
    ]);
  }
  return { message: { text: changeStateLine(change).replace(/:[a-z_]+: /g, ''), blocks: budget.blocks } };
}

/** A one-line notice in a change's thread (a partial approval). */
export function changeNotice(line: string): SlackMessage {
  return { text: line.replace(/:[a-z_]+: /g, ''), blocks: [section(line)] };
}

/** Private answer to a typed `change …` command, `changes`, or a refused button. */
export function changeReply(change: ChangeView, event: ChangeEvent): SlackMessage {
  const lead: Record<ChangeEvent, string> = {
    proposed: 'proposed',
    'rollback-proposed': 'rollback proposed',
    shown: '',
    approved: 'approval recorded',
    rejected: 'rejected',
    cancelled: 'cancelled',
    replanned: 're-planned',
    resolved: 'resolved',
  };
  const nodes = change.targets.map(
    (t) =>
      `${t.key}: plan ${t.plan.status}${t.plan.diff ? ` (${diffStat(t.plan.diff)})` : ''}, apply ${t.apply.status}${t.apply.error ? ` (${t.apply.error.message})` : ''}`,
  );
  return textReply({
    lead: `${lead[event] ? `*${escapeMrkdwn(lead[event])}* · ` : ''}${changeStateLine(change)}`,
    code: nodes.join('\n'),
    note: `requested by ${change.requester.name ?? change.requester.id} ${change.createdAt}; ${approvalsText(change)}`,
  });
}

export function changesReply(changes: readonly ChangeView[], filter: string): SlackMessage {
  if (changes.length === 0) return textReply({ lead: `No ${filter === 'all' ? '' : `${filter} `}change requests.` });
  const rows = changes.map((c) => [c.ref, c.state, c.requester.name ?? c.requester.id, `${c.targets.length}`, c.createdAt.replace('T', ' ').slice(0, 16)]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(['ID', 'STATE', 'REQUESTER', 'NODES', 'CREATED'][i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return textReply({
    lead: `*Change requests* (${escapeMrkdwn(filter)})`,
    code: [line(['ID', 'STATE', 'REQUESTER', 'NODES', 'CREATED']), ...rows.map(line)].join('\n'),
  });
}

function proposalFile(change: ChangeView, label: (t: ChangeNodeView) => string): SlackFile {
  const parts = change.targets.map((t) => {
    const lines = [`== ${label(t)}  plan ${t.plan.status}`];
    if (t.plan.error) lines.push(`error: ${t.plan.error.message}`, ...t.plan.error.deviceErrors.map((d) => `  device: ${d}`));
    if (t.plan.diff !== undefined) lines.push(t.plan.diff.trim() === '' ? '(no changes)' : t.plan.diff.trimEnd());
    if (t.plan.check) {
      lines.push(`commit check: ${t.plan.check.ok ? 'ok' : 'FAILED'}`);
      lines.push(...t.plan.check.errors.map((e) => `  error: ${e}`), ...t.plan.check.warnings.map((w) => `  warning: ${w}`));
    }
    return lines.join('\n');
  });
  return {
    filename: `change-${change.id}.diff`,
    snippetType: 'diff',
    title: `change ${change.ref}: ${change.method} on ${plural(change.targets.length, 'node')}`,
    content: `${redactText([`change ${change.ref}: ${change.method} of ${sourceText(change.source)}`, '', ...parts].join('\n\n'))}\n`,
  };
}
