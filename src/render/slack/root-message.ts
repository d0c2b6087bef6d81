import type { NodeStatus } from '../../ops/outcome.js';
import { redactText } from '../../redact/index.js';
import type { ActionsBlock, SlackMessage } from './block-types.js';
import { context, plain, section } from './blocks.js';
import { MESSAGE_BUDGET, SLACK_LIMITS } from './limits.js';
import { clip, clipEscaped, escapeMrkdwn, inlineCode, plural } from './mrkdwn.js';
import { duration } from '../../util/duration.js';
import { nodeKey } from '../../model/node-ref.js';

/** What the root message of a request says about who asked for what on which nodes. */
export interface RootInfo {
  /** Slack user id of the asker (shown as a mention). */
  readonly userId: string;
  /** The request as text (formatRequest), without the `/clab` prefix. */
  readonly what: string;
  readonly targets: readonly { readonly name: string; readonly lab: string }[];
}

/** The live part of the root message. */
export type RootState =
  | { readonly phase: 'running'; readonly done: number; readonly total: number; readonly failed: readonly string[] }
  | {
      readonly phase: 'finished';
      readonly counts: Readonly<Record<NodeStatus, number>>;
      readonly total: number;
      readonly elapsedMs: number;
      /** A verdict of its own (a dry run's "2 of 3 would change"), shown instead of the counts. */
      readonly summary?: string;
    }
  /** The request failed as a whole after the root was posted (the reason is in the thread). */
  | { readonly phase: 'failed'; readonly message: string }
  /** A line of its own, already mrkdwn (a change request's state). */
  | { readonly phase: 'note'; readonly line: string };

/** action_id of the Cancel button on a running request's root message; its value is the request id. */
export const CANCEL_ACTION = 'clab_cancel';

/** Who cancelled a request, and where its nodes stood (names as shown: `r1`, or `lab/r1` across labs). */
export interface CancelNote {
  /** Slack user id of whoever pressed Cancel. */
  readonly by: string;
  /** Nodes that ended on their own (ok or failed); undefined when the result does not say per node. */
  readonly finished?: readonly string[];
  /** Nodes stopped by the cancel: queued ones never started, running ones had their RPC closed. */
  readonly cancelled?: readonly string[];
}

/** What the root shows besides its state. */
export interface RootExtras {
  /** While running: a Cancel button for this request id. Never given for an apply (a commit is not cut half way). */
  readonly cancelRequestId?: string;
  /** The request was cancelled: a line saying by whom and which nodes finished or were cancelled. */
  readonly cancelled?: CancelNote;
}

/** Slack user and bot ids; anything else is shown as text, never as markup. */
const USER_ID = /^[UWB][A-Z0-9_]{1,30}$/;

/** `<@U123>` for a Slack user id; anything else (`terminal:alice`) as plain text. */
export function mention(userId: string): string {
  return USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

const NAMES_SHOWN = 12;

function targetList(targets: RootInfo['targets']): string {
  const multiLab = new Set(targets.map((t) => t.lab)).size > 1;
  const names = targets.map((t) => (multiLab ? nodeKey(t) : t.name));
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  const more = names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '';
  return `on ${plural(targets.length, 'node')}: ${clipEscaped(shown, 1200)}${more}`;
}

function targetsShort(targets: RootInfo['targets']): string {
  return `on ${plural(targets.length, 'node')}`;
}

function stateLine(state: RootState): string {
  switch (state.phase) {
    case 'running': {
      const failed =
        state.failed.length > 0
          ? ` · ${state.failed.length} failed (${clipEscaped(state.failed.slice(0, 5).join(', '), 200)}${state.failed.length > 5 ? ', …' : ''})`
          : '';
      return `:hourglass_flowing_sand: running: ${state.done} of ${state.total} done${failed}`;
    }
    case 'finished': {
      const c = state.counts;
      const bad = state.total - c.ok;
      const emoji = bad === 0 ? ':white_check_mark:' : c.ok === 0 ? ':x:' : ':warning:';
      if (state.summary !== undefined) return `${emoji} ${clipEscaped(state.summary, 600)} · ${duration(state.elapsedMs)} · details in the thread`;
      const parts = [`${c.ok} of ${state.total} ok`];
      for (const s of ['failed', 'stale', 'unknown', 'cancelled', 'skipped'] as const) if (c[s] > 0) parts.push(`${c[s]} ${s}`);
      return `${emoji} done in ${duration(state.elapsedMs)}: ${parts.join(', ')} · results in the thread`;
    }
    case 'failed':
      return `:x: failed: ${clipEscaped(redactText(state.message), 600)} · details in the thread`;
    case 'note':
      return state.line;
    default:
      return state satisfies never;
  }
}

function nameList(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return `${clipEscaped(shown, 600)}${names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : ''}`;
}

/** `cancelled by @u · finished: r1 · cancelled: r2, r3`; says so when every node had finished already. */
function cancelLine(note: CancelNote): string {
  const parts = [`:no_entry_sign: cancelled by ${mention(note.by)}`];
  if (note.cancelled !== undefined && note.finished !== undefined && note.cancelled.length === 0) {
    parts.push('every node had already finished');
  } else {
    if (note.finished !== undefined) parts.push(note.finished.length > 0 ? `finished: ${nameList(note.finished)}` : 'no node finished');
    if (note.cancelled !== undefined && note.cancelled.length > 0) parts.push(`cancelled: ${nameList(note.cancelled)}`);
  }
  return parts.join(' · ');
}

/** The Cancel button, with a confirmation: pressing it by mistake would throw away the rest of the run. */
function cancelButton(requestId: string): ActionsBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: CANCEL_ACTION,
        text: plain('Cancel', SLACK_LIMITS.buttonText),
        value: clip(requestId, SLACK_LIMITS.buttonValue),
        style: 'danger',
        confirm: {
          title: plain('Cancel this request?', SLACK_LIMITS.confirmTitle),
          text: plain(
            'Queued nodes will not run and commands in progress are stopped; nodes that already finished keep their results.',
            SLACK_LIMITS.confirmText,
          ),
          confirm: plain('Cancel request', SLACK_LIMITS.confirmButton),
          deny: plain('Keep running', SLACK_LIMITS.confirmButton),
          style: 'danger',
        },
      },
    ],
  };
}

/**
 * The root message of a request's thread; the same shape is posted first and then updated. The
 * Cancel button shows only while the state is running, so the final update always removes it.
 */
export function rootMessage(info: RootInfo, state: RootState, extras: RootExtras = {}): SlackMessage {
  const what = redactText(info.what);
  const line = stateLine(state);
  const cancelled = extras.cancelled !== undefined ? cancelLine(extras.cancelled) : undefined;
  const plainLine = (l: string) => l.replace(/:[a-z_]+: /g, '');
  const fallback = `${mention(info.userId)} ran ${escapeMrkdwn(clip(what, 400))} ${targetsShort(info.targets)} - ${plainLine(line)}${cancelled !== undefined ? ` - ${plainLine(cancelled)}` : ''}`;
  return {
    text: clip(fallback, MESSAGE_BUDGET.fallbackChars),
    blocks: [
      section(`${mention(info.userId)} ran ${inlineCode(`/clab ${what}`, 400)}`),
      context(targetList(info.targets)),
      context(line),
      ...(cancelled !== undefined ? [context(cancelled)] : []),
      ...(state.phase === 'running' && extras.cancelRequestId !== undefined ? [cancelButton(extras.cancelRequestId)] : []),
    ],
  };
}
