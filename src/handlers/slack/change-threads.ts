import type { App } from '../../app.js';
import type { Logger } from '../../log.js';
import type { ChangeState } from '../../ops/changes/state-machine.js';
import type { ChangeView, TransitionInfo } from '../../ops/changes/types.js';
import { commitSafety } from '../../ops/changes/view.js';
import {
  changeNotice,
  changeOutcome,
  changeProposal,
  changeStateLine,
  decisionMessage,
  mention,
  rootMessage,
  type RootInfo,
  type SlackMessage,
  type ThreadPost,
} from '../../render/slack/index.js';
import type { SlackPoster } from './slack-poster.js';

export interface ChangeThreadsDeps {
  readonly app: App;
  readonly poster: SlackPoster;
  readonly logger: Logger;
  /** Background work the front end waits for on stop. */
  readonly track: (requestId: string, work: () => Promise<void>) => void;
  /** A proposal's decision message (its buttons) is in its thread. */
  readonly onShown?: (change: ChangeView) => void;
}

/** Where a proposal was shown. */
export interface ProposalPlace {
  readonly channel: string;
  /** The thread (its root message's ts). */
  readonly threadTs: string;
  /** The request's root message, when the change has one of its own (updated with the change's state). */
  readonly rootTs?: string;
}

/**
 * Keeps each change's thread in step with the change: approvals, the apply's outcome, rejection,
 * expiry and crash recovery are posted in the thread as the ChangeService announces them, the
 * decision message loses its buttons once decided, and the root message shows the state. The
 * thread is found from the change record, so transitions caused elsewhere (a typed `change 12
 * approve`, the expiry sweep) reach it too. Per change, updates go out in order.
 *
 * Nothing about a thread is kept in this process: the decision message's ts is stored on the change
 * and the root's request text on the request's thread row, so with several replicas whichever one
 * sees a change move (an Approve pressed on it, its expiry sweep) updates the right messages.
 */
export class ChangeThreads {
  readonly #deps: ChangeThreadsDeps;
  readonly #queues = new Map<number, Promise<void>>();

  constructor(deps: ChangeThreadsDeps) {
    this.#deps = deps;
  }

  /**
   * Records where a proposal is (on the change, so later transitions find it), then posts its
   * decision message (the buttons) in the thread. The record comes first: a click that follows the
   * buttons at once must already find the thread.
   */
  async showDecision(change: ChangeView, place: ProposalPlace, decision: SlackMessage, requestId: string): Promise<void> {
    try {
      await this.#deps.app.changes.setThread(change.id, place.channel, place.threadTs, place.rootTs);
    } catch (err) {
      this.#deps.logger.error({ requestId, change: change.id, err }, 'could not record the thread of a change');
    }
    if (change.state !== 'planned') return;
    const decisionTs = await this.#deps.poster.post(place.channel, decision, { requestId, threadTs: place.threadTs });
    await this.#recordDecision(change.id, decisionTs, requestId);
    this.#deps.onShown?.(change);
  }

  /** The ChangeService listener (subscribe with app.changes.onTransition). */
  readonly listener = (from: ChangeState | undefined, to: ChangeState, change: ChangeView, info: TransitionInfo): void => {
    if (change.thread === undefined) return;
    // One failed update must not stop the later ones (its error is logged by track).
    const previous = (this.#queues.get(change.id) ?? Promise.resolve()).catch(() => undefined);
    const next = previous.then(() => this.#show(from, to, change, info));
    this.#queues.set(change.id, next);
    this.#deps.track(change.requestId, async () => {
      await next;
      if (this.#queues.get(change.id) === next) this.#queues.delete(change.id);
    });
  };

  async #show(from: ChangeState | undefined, to: ChangeState, change: ChangeView, info: TransitionInfo): Promise<void> {
    const thread = change.thread!;
    const ctx = { requestId: change.requestId };
    const post = this.#eventPost(from, to, change, info);
    if (post !== undefined) await this.#deps.poster.thread(thread.channel, thread.threadTs, post, ctx);
    if (info.action === 'replan') {
      // A re-plan shows new diffs: the new decision (fresh version on its buttons) follows them.
      const decisionTs = await this.#deps.poster.post(thread.channel, decisionMessage(change), { ...ctx, threadTs: thread.threadTs });
      await this.#recordDecision(change.id, decisionTs, change.requestId);
    } else if (thread.decisionTs !== undefined && to !== 'applying') {
      await this.#deps.poster.update(thread.channel, thread.decisionTs, decisionMessage(change), ctx);
    }
    if (thread.rootTs !== undefined && to !== 'applying') {
      const info = (await this.#rootInfo(change)) ?? fallbackRootInfo(change);
      await this.#deps.poster.update(thread.channel, thread.rootTs, rootMessage(info, { phase: 'note', line: changeStateLine(change) }), ctx);
    }
  }

  async #recordDecision(changeId: number, decisionTs: string | undefined, requestId: string): Promise<void> {
    if (decisionTs === undefined) return;
    try {
      await this.#deps.app.changes.setDecision(changeId, decisionTs);
    } catch (err) {
      this.#deps.logger.error({ requestId, change: changeId, err }, 'could not record the decision message of a change');
    }
  }

  /** The root as its request showed it: the request's text (stored with its thread), its asker and the change's targets. */
  async #rootInfo(change: ChangeView): Promise<RootInfo | undefined> {
    const thread = await this.#deps.app.home.threadOf(change.requestId).catch(() => undefined);
    if (thread === undefined || thread.ts !== change.thread?.rootTs) return undefined;
    return { userId: thread.userId, what: thread.what, targets: change.targets.map((t) => ({ name: t.node, lab: t.lab })) };
  }

  #eventPost(from: ChangeState | undefined, to: ChangeState, change: ChangeView, info: TransitionInfo): ThreadPost | undefined {
    const actor = mention(info.actor.id);
    switch (to) {
      case 'planned':
        if (info.action === 'approve') {
          return {
            message: changeNotice(
              `:ballot_box_with_check: ${actor} approved change ${change.ref} (${change.approvals.length} of ${change.requiredApprovals} approvals)`,
            ),
          };
        }
        return from === 'planned' ? changeProposal(change).post : undefined;
      case 'approved':
        return {
          message: changeNotice(
            `:white_check_mark: ${actor} approved change ${change.ref}: committing on ${change.targets.length === 1 ? '1 node' : `${change.targets.length} nodes`} (${commitSafety(change)})…`,
          ),
        };
      case 'applying':
        return undefined;
      case 'committed':
      case 'partial':
      case 'failed':
      case 'stale':
      case 'unknown':
        // An admin recorded what the devices hold: say who, and what they said.
        if (info.action === 'resolve') return { message: changeNotice(`:memo: ${actor} resolved the outcome · ${changeStateLine(change)}`) };
        return changeOutcome(change);
      case 'rejected':
      case 'cancelled':
      case 'expired':
        return { message: changeNotice(changeStateLine(change)) };
      default:
        return to satisfies never;
    }
  }
}

/** After a restart the original request text is gone; the change record still says what it is. */
function fallbackRootInfo(change: ChangeView): RootInfo {
  return {
    userId: change.requester.id,
    what: change.rollbackOf !== undefined ? `rollback of change #${change.rollbackOf}` : `config (change ${change.ref}, ${change.method})`,
    targets: change.targets.map((t) => ({ name: t.node, lab: t.lab })),
  };
}
