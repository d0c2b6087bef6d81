import type { RequestResult } from '../../ops/results.js';
import type { SlackMessage } from './block-types.js';
import { textReply } from './reply-blocks.js';
import { mention, type CancelNote } from './root-message.js';
import { nodeLabeller } from './status.js';

/**
 * Where a cancelled request's nodes stood, from its result: per-node outcomes for exec and plan,
 * the stored plans of a proposed change. Other results (a failure before any node ran) say only who.
 */
export function cancelNote(result: RequestResult, by: string): CancelNote {
  switch (result.kind) {
    case 'exec':
    case 'plan': {
      const label = nodeLabeller(result.outcomes);
      const finished = result.outcomes.filter((o) => o.status !== 'cancelled').map(label);
      const cancelled = result.outcomes.filter((o) => o.status === 'cancelled').map(label);
      return { by, finished, cancelled };
    }
    case 'change': {
      const nodes = result.change.targets;
      const multiLab = new Set(nodes.map((n) => n.lab)).size > 1;
      const name = (n: (typeof nodes)[number]) => (multiLab ? n.key : n.node);
      const stopped = (n: (typeof nodes)[number]) => n.plan.error?.code === 'cancelled';
      return { by, finished: nodes.filter((n) => !stopped(n)).map(name), cancelled: nodes.filter(stopped).map(name) };
    }
    default:
      return { by };
  }
}

/** The private answer to a Cancel press by someone who may not cancel: names who may. */
export function cancelRefusal(requesterId: string): SlackMessage {
  return textReply({ lead: `:no_entry: Only ${mention(requesterId)} (who ran it) or a clab-bot admin can cancel this request; it goes on running.` });
}

/** The private answer to a press on a request that ended (or a second press while it is being cancelled). */
export function cancelTooLate(cancelledBy?: string): SlackMessage {
  return textReply({
    lead: cancelledBy === undefined
      ? ':information_source: That request already finished: there is nothing left to cancel.'
      : `:information_source: That request is already being cancelled (by ${mention(cancelledBy)}).`,
  });
}
