import type { NodeStatus } from '../../ops/outcome.js';
import { redactText } from '../redact.js';
import type { SlackMessage } from './block-types.js';
import { context, section } from './blocks.js';
import { MESSAGE_BUDGET } from './limits.js';
import { clip, clipEscaped, duration, escapeMrkdwn, inlineCode, plural } from './mrkdwn.js';

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

/** Slack user and bot ids; anything else is shown as text, never as markup. */
const USER_ID = /^[UWB][A-Z0-9_]{1,30}$/;

/** `<@U123>` for a Slack user id; anything else (`terminal:alice`) as plain text. */
export function mention(userId: string): string {
  return USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

const NAMES_SHOWN = 12;

function targetList(targets: RootInfo['targets']): string {
  const multiLab = new Set(targets.map((t) => t.lab)).size > 1;
  const names = targets.map((t) => (multiLab ? `${t.lab}/${t.name}` : t.name));
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
      const failed = state.failed.length > 0 ? ` · ${state.failed.length} failed (${clipEscaped(state.failed.slice(0, 5).join(', '), 200)}${state.failed.length > 5 ? ', …' : ''})` : '';
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

/** The root message of a request's thread; the same shape is posted first and then updated. */
export function rootMessage(info: RootInfo, state: RootState): SlackMessage {
  const what = redactText(info.what);
  const line = stateLine(state);
  return {
    text: clip(`${mention(info.userId)} ran ${escapeMrkdwn(clip(what, 400))} ${targetsShort(info.targets)} - ${line.replace(/:[a-z_]+: /g, '')}`, MESSAGE_BUDGET.fallbackChars),
    blocks: [section(`${mention(info.userId)} ran ${inlineCode(`/clab ${what}`, 400)}`), context(targetList(info.targets)), context(line)],
  };
}
