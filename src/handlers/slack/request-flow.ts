import { setMaxListeners } from 'node:events';
import { ClabBotError } from '../../errors.js';
import { formatRequest } from '../../grammar/index.js';
import type { Request } from '../../grammar/request.js';
import type { LabNode } from '../../inventory/types.js';
import type { Subject } from '../../permissions/subject.js';
import { cancelNote, noticeMessage, renderSlackResult, rootMessage, type CancelNote, type RootInfo } from '../../render/slack/index.js';
import type { Asker, SlackDeps } from './deps.js';
import { LiveStatus, startingState } from './live-status.js';
import { resolveSubject, subjectOfUser } from './subjects.js';
import { UserGroupsError } from './user-groups.js';
import { nodeKey } from '../../model/node-ref.js';

/**
 * Runs one piece of work for `asker` after the ack. Anything unexpected it throws is logged with
 * the request id and turned into a short private reply, so the asker is never left without an answer.
 */
export async function answering(deps: SlackDeps, asker: Asker, requestId: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    deps.logger.error({ requestId, err }, 'slack request failed');
    await deps.poster.reply(asker, noticeMessage(':x:', `Something went wrong inside clab-bot (request ${requestId}); the bot's log has the details.`), {
      requestId,
    });
  }
}

export interface RunOptions {
  readonly requestId: string;
  /** Config text from the modal, for `config` without a source. */
  readonly inlineConfig?: string;
}

/**
 * One request from Slack, after the ack: resolve the subject, run it through the core, and show it.
 * Work on nodes gets a root message in the channel (posted before any device is touched), a live
 * status on it, and the results in its thread; everything else is a reply only the asker sees.
 */
export async function runRequest(deps: SlackDeps, request: Request, asker: Asker, opts: RunOptions): Promise<void> {
  const ctx = { requestId: opts.requestId };
  let subject: Subject;
  try {
    subject = await resolveSubject(deps, asker, { showGroups: request.verb === 'whoami', request, requestId: opts.requestId });
  } catch (err) {
    if (!(err instanceof UserGroupsError)) throw err;
    deps.logger.warn({ requestId: opts.requestId, user: asker.userId, err: err.message }, 'request refused: user groups unavailable');
    await deps.poster.reply(asker, noticeMessage(':no_entry:', `Denied: ${err.message}.`), ctx);
    return;
  }

  // One signal per request, cancelled by its Cancel button or when the front end stops; a fan-out adds a listener per node.
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const onStop = () => abort.abort(deps.signal.reason);
  deps.signal.addEventListener('abort', onStop, { once: true });
  try {
    await run(deps, request, asker, opts, subject, abort);
  } finally {
    deps.signal.removeEventListener('abort', onStop);
    await deps.running.remove(opts.requestId);
  }
}

async function run(deps: SlackDeps, request: Request, asker: Asker, opts: RunOptions, subject: Subject, abort: AbortController): Promise<void> {
  const ctx = { requestId: opts.requestId };
  const started = Date.now();
  let status: LiveStatus | undefined;
  const openThread = async (req: Request, targets: readonly LabNode[], cancellable: boolean): Promise<LiveStatus> => {
    const info: RootInfo = { userId: asker.userId, what: formatRequest(req), targets: targets.map((t) => ({ name: t.name, lab: t.lab })) };
    const extras = cancellable ? { cancelRequestId: opts.requestId } : {};
    const ts = await deps.poster.post(asker.channelId, rootMessage(info, startingState(targets.length), extras), ctx);
    if (ts === undefined) {
      throw new ClabBotError('slack_post_failed', 'could not post in this channel, so nothing was run', {
        hint: 'invite the bot to the channel (/invite @clab-bot) and try again',
      });
    }
    // Another replica closing this request, should this one die, updates this root.
    if (cancellable) await deps.running.rootPosted(opts.requestId, ts);
    // Linked from the asker's App Home; a failure to record costs the link, never the request.
    await deps.app.home
      .recordThread({ requestId: opts.requestId, userId: asker.userId, channel: asker.channelId, ts, what: info.what, at: new Date() })
      .catch((err: unknown) => deps.logger.warn({ requestId: opts.requestId, err: (err as Error).message }, 'could not record the thread of a request'));
    return new LiveStatus(deps.poster, { channel: asker.channelId, ts }, info, { intervalMs: deps.statusIntervalMs, requestId: opts.requestId, cancellable });
  };

  const result = await deps.app.runner.run(request, {
    requestId: opts.requestId,
    subject,
    ...(asker.userName !== undefined ? { actorName: asker.userName } : {}),
    channel: asker.channelId,
    source: 'slack',
    signal: abort.signal,
    subjectOf: subjectOfUser(deps),
    ...(opts.inlineConfig !== undefined ? { inlineConfig: opts.inlineConfig } : {}),
    onStart: async ({ request: resolved, targets }) => {
      // Every request that reaches onStart is about to touch devices (exec, a dry run, the plan of a
      // proposal): cancellable until the core returns. Apply comes from the Approve button, not from here.
      await deps.running.add({
        requestId: opts.requestId,
        requesterId: asker.userId,
        channelId: asker.channelId,
        request: resolved,
        targets: targets.map((t) => nodeKey(t)),
        controller: abort,
      });
      status = await openThread(resolved, targets, true);
    },
    onOutcome: (outcome, done, total) => status?.progress(outcome, done, total),
  });
  // From here a press finds nothing to cancel; the root's final update takes the button away.
  const canceller = await deps.running.remove(opts.requestId);
  const cancelled: CancelNote | undefined = canceller === undefined ? undefined : cancelNote(result, canceller.userId);

  const rendering = renderSlackResult(result);
  if (rendering.kind === 'reply') {
    if (status === undefined) {
      await deps.poster.reply(asker, rendering.message, ctx);
      return;
    }
    // The request failed after its root was posted: the reason goes where the asker is looking.
    await deps.poster.post(asker.channelId, rendering.message, { ...ctx, threadTs: status.ts });
    await status.finish({ phase: 'failed', message: rendering.failure ?? 'the request did not complete' }, cancelled);
    return;
  }
  // Node results always follow onStart; the fallback keeps them visible if a core change skipped it.
  const thread = status ?? (await openThread(request, [], false));
  for (const post of rendering.posts) await deps.poster.thread(asker.channelId, thread.ts, post, ctx);
  await thread.finish(rendering.final(Date.now() - started), cancelled);
  // The buttons come last: from then on the change's own transitions update the root.
  if (rendering.change !== undefined) {
    const place = { channel: asker.channelId, threadTs: thread.ts, rootTs: thread.ts };
    await deps.threads.showDecision(rendering.change.view, place, rendering.change.decision, opts.requestId);
  }
}
