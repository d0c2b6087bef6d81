import type { ChangeView } from '../../ops/changes/types.js';
import { countByStatus, NODE_STATUSES } from '../../ops/outcome.js';
import type { RequestResult } from '../../ops/results.js';
import { redactText } from '../../redact/index.js';
import { renderTerminal } from '../terminal.js';
import type { SlackMessage, ThreadPost } from './block-types.js';
import { changeProposal, changeReply, changesReply, changeStateLine } from './change-blocks.js';
import { execThread } from './exec-blocks.js';
import { clipEscaped } from './mrkdwn.js';
import { planSummary, planThread } from './plan-blocks.js';
import { textReply } from './reply-blocks.js';
import type { RootState } from './root-message.js';

/**
 * How a result appears in Slack:
 *  - `reply`: one message for the asker alone (help, usage errors, denials, lists); when the
 *    request already has a thread (a failure after the root was posted) it goes there instead;
 *  - `thread`: per-node results posted in the request's thread, and the root's final state.
 */
export type SlackRendering =
  | { readonly kind: 'reply'; readonly message: SlackMessage; readonly failure: string | undefined }
  | {
      readonly kind: 'thread';
      readonly posts: readonly ThreadPost[];
      readonly final: (elapsedMs: number) => RootState;
      /** A proposed change: its decision message (buttons) goes last, and the thread is recorded on the change. */
      readonly change?: { readonly view: ChangeView; readonly decision: SlackMessage };
    };

const PLAIN = { color: false, source: 'slack' } as const;

export function renderSlackResult(result: RequestResult): SlackRendering {
  switch (result.kind) {
    case 'help':
      return reply({ code: result.text });
    case 'whoami':
      return reply({ code: result.text });
    case 'usage': {
      const e = result.error;
      const message = textReply({
        lead: `:warning: ${clipEscaped(redactText(e.message), 2000)}`,
        ...(e.usage !== undefined ? { code: `usage: ${e.usage}` } : {}),
        ...(e.hint !== undefined ? { note: e.hint } : {}),
      });
      return { kind: 'reply', message, failure: e.message };
    }
    case 'denied':
      return {
        kind: 'reply',
        message: textReply({ lead: `:no_entry: Denied: ${clipEscaped(redactText(result.decision.reason), 2500)}` }),
        failure: `denied: ${result.decision.reason}`,
      };
    case 'error': {
      const e = result.error;
      const message = textReply({ lead: `:x: ${clipEscaped(redactText(e.message), 2500)}`, ...(e.hint !== undefined ? { note: e.hint } : {}) });
      return { kind: 'reply', message, failure: e.message };
    }
    case 'needs-config':
      return {
        kind: 'reply',
        message: textReply({ lead: ':memo: No configuration given: paste it in the form, or give `--file PATH`, `--device-file PATH` or `--rollback N`.' }),
        failure: 'no configuration given',
      };
    case 'labs':
    case 'nodes':
    case 'history':
      return reply({ code: renderTerminal(result, 'text', PLAIN) });
    case 'exec':
      return {
        kind: 'thread',
        posts: execThread(result),
        final: (elapsedMs) => ({ phase: 'finished', counts: countByStatus(result.outcomes, NODE_STATUSES), total: result.outcomes.length, elapsedMs }),
      };
    case 'plan':
      return {
        kind: 'thread',
        posts: planThread(result),
        final: (elapsedMs) => ({
          phase: 'finished',
          counts: countByStatus(result.outcomes, NODE_STATUSES),
          total: result.outcomes.length,
          elapsedMs,
          summary: planSummary(result),
        }),
      };
    case 'change': {
      if (result.event === 'proposed' || result.event === 'rollback-proposed') {
        const { post, decision } = changeProposal(result.change);
        const line = changeStateLine(result.change);
        return { kind: 'thread', posts: [post], final: () => ({ phase: 'note', line }), change: { view: result.change, decision } };
      }
      return reply0(changeReply(result.change, result.event));
    }
    case 'changes':
      return reply0(changesReply(result.changes, result.filter));
    default:
      return result satisfies never;
  }
}

function reply(r: Parameters<typeof textReply>[0]): SlackRendering {
  return reply0(textReply(r));
}

function reply0(message: SlackMessage): SlackRendering {
  return { kind: 'reply', message, failure: undefined };
}

/** A one-line ephemeral message (front-end failures such as unresolvable user groups). */
export function noticeMessage(emoji: string, text: string): SlackMessage {
  return textReply({ lead: `${emoji} ${clipEscaped(redactText(text), 2500)}` });
}
