import type { App as BoltApp } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { Subject } from '../../permissions/subject.js';
import { CANCEL_ACTION, cancelRefusal, cancelTooLate, noticeMessage } from '../../render/slack/index.js';
import type { Asker, SlackDeps } from './deps.js';
import { closeOrphan } from './orphans.js';
import { answering } from './request-flow.js';
import type { RunningInfo } from './running-requests.js';
import { resolveSubject } from './subjects.js';
import { UserGroupsError } from './user-groups.js';

/**
 * Cancel on a running request's root: acked at once, then allowed for whoever ran the request or
 * a clab-bot admin. Either way the press is audited (event `cancel`) under the request's own id.
 * An allowed press needs no reply: the root's final update says who cancelled and what stopped.
 */
export function registerCancelButton(bolt: BoltApp, deps: SlackDeps): void {
  bolt.action(CANCEL_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    if (channelId === undefined) return;
    const asker: Asker = { userId: body.user.id, userName: body.user.name, channelId, respond };
    const pressId = randomUUID();
    deps.track(pressId, () => answering(deps, asker, pressId, () => press(deps, action.value ?? '', asker, pressId)));
  });
}

async function press(deps: SlackDeps, requestId: string, asker: Asker, pressId: string): Promise<void> {
  const ctx = { requestId: pressId };
  const running = await deps.running.get(requestId);
  if (running === undefined) {
    await deps.poster.reply(asker, cancelTooLate(), ctx);
    return;
  }
  if (await deps.running.orphaned(running)) {
    // Its replica died with it: nothing is left to stop, and its thread is closed here.
    await closeOrphan(deps, running, pressId);
    await deps.poster.reply(asker, noticeMessage(':warning:', 'Nothing to cancel: the clab-bot replica running this request went away before it finished. Run it again.'), ctx);
    return;
  }
  const isRequester = asker.userId === running.requesterId;
  if (!isRequester) {
    // Built as for any other press: the admin role may come from a user group.
    let subject: Subject;
    try {
      subject = await resolveSubject(deps, asker);
    } catch (err) {
      if (!(err instanceof UserGroupsError)) throw err;
      await audit(deps, running, asker, 'denied', { reason: err.message });
      await deps.poster.reply(asker, noticeMessage(':no_entry:', `Denied: ${err.message}.`), ctx);
      return;
    }
    if (!deps.app.runner.isAdmin(subject)) {
      await audit(deps, running, asker, 'denied', { reason: 'only the requester or an admin may cancel', requester: running.requesterId });
      await deps.poster.reply(asker, cancelRefusal(running.requesterId), ctx);
      return;
    }
  }
  const result = await deps.running.cancel(requestId, { userId: asker.userId, userName: asker.userName });
  switch (result.kind) {
    case 'cancelled':
      deps.logger.info({ requestId, by: asker.userId }, 'request cancelled from Slack');
      await audit(deps, running, asker, 'ok', { as: isRequester ? 'requester' : 'admin' });
      return;
    case 'already':
      await deps.poster.reply(asker, cancelTooLate(result.by.userId), ctx);
      return;
    case 'finished':
      await deps.poster.reply(asker, cancelTooLate(), ctx);
      return;
    default:
      return result satisfies never;
  }
}

async function audit(deps: SlackDeps, running: RunningInfo, asker: Asker, outcome: 'ok' | 'denied', detail: Record<string, unknown>): Promise<void> {
  await deps.app.audit.append({
    requestId: running.requestId,
    actor: asker.userId,
    actorName: asker.userName,
    channel: asker.channelId,
    event: 'cancel',
    verb: running.verb,
    command: running.command,
    targets: running.targets,
    outcome,
    detail,
  });
}
