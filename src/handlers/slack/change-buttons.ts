import type { App as BoltApp } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { CHANGE_BUTTONS, changeProposal, noticeMessage, parseChangeButtonValue, renderSlackResult, type ChangeButton } from '../../render/slack/index.js';
import type { Request } from '../../grammar/request.js';
import type { RequestResult } from '../../ops/results.js';
import type { Asker, SlackDeps } from './deps.js';
import { answering } from './request-flow.js';
import { resolveSubject, subjectOfUser } from './subjects.js';
import { UserGroupsError } from './user-groups.js';

const BUTTON_OF = new Map<string, ChangeButton>(Object.entries(CHANGE_BUTTONS).map(([k, v]) => [v, k as ChangeButton]));

/** Approve / Re-plan / Reject / Roll back on a change: acked at once, then run as the presser (authorized again). */
export function registerChangeButtons(bolt: BoltApp, deps: SlackDeps): void {
  bolt.action(new RegExp(`^(${Object.values(CHANGE_BUTTONS).join('|')})$`), async ({ ack, body, action, respond }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const button = BUTTON_OF.get(action.action_id);
    // A press on the App Home comes from a view, in no channel; it is decided like one in a thread.
    const fromHome = body.view?.type === 'home';
    const channelId = fromHome ? body.user.id : (body.channel?.id ?? body.container?.channel_id);
    if (button === undefined || channelId === undefined) return;
    const asker: Asker = { userId: body.user.id, userName: body.user.name, channelId, respond, fromHome };
    // The thread the button sits in: the clicked message's parent, or the message itself (none on the App Home).
    const threadTs: string | undefined = fromHome ? undefined : (body.message?.thread_ts ?? body.container?.message_ts);
    const requestId = randomUUID();
    deps.track(requestId, () => answering(deps, asker, requestId, () => press(deps, button, action.value, asker, threadTs, requestId)));
  });
}

async function press(
  deps: SlackDeps,
  button: ChangeButton,
  value: string | undefined,
  asker: Asker,
  threadTs: string | undefined,
  requestId: string,
): Promise<void> {
  const ctx = { requestId };
  const target = parseChangeButtonValue(value);
  if (target === undefined) {
    await deps.poster.reply(asker, noticeMessage(':warning:', 'This button does not name a change; run `/clab changes` to find it.'), ctx);
    return;
  }
  // The request this press stands for (the Rollback button's own request is built by the core).
  const request: Request = button === 'rollback' ? { verb: 'change', id: target.id } : { verb: 'change', id: target.id, action: button };
  let subject;
  try {
    subject = await resolveSubject(deps, asker, { request, requestId });
  } catch (err) {
    if (!(err instanceof UserGroupsError)) throw err;
    await deps.poster.reply(asker, noticeMessage(':no_entry:', `Denied: ${err.message}.`), ctx);
    return;
  }
  const run = {
    requestId,
    subject,
    ...(asker.userName ? { actorName: asker.userName } : {}),
    ...(asker.fromHome ? {} : { channel: asker.channelId }),
    source: 'slack' as const,
    signal: deps.signal,
    subjectOf: subjectOfUser(deps),
  };
  let result: RequestResult;
  switch (button) {
    case 'approve':
      result = await deps.app.runner.run(request, { ...run, changeVersion: target.version });
      break;
    case 'reject':
    case 'replan':
      result = await deps.app.runner.run(request, run);
      break;
    case 'rollback':
      result = await deps.app.runner.rollbackChange(target.id, run);
      break;
    default:
      return button satisfies never;
  }
  if (result.kind === 'change') {
    // Approvals and rejections reach the thread through the change's own transitions; a rollback is a
    // new proposal, shown in the same thread with its own buttons.
    if (result.event === 'rollback-proposed' && threadTs !== undefined) {
      const { post, decision } = changeProposal(result.change);
      await deps.poster.thread(asker.channelId, threadTs, post, ctx);
      await deps.threads.showDecision(result.change, { channel: asker.channelId, threadTs }, decision, requestId);
    }
    return;
  }
  const rendering = renderSlackResult(result);
  if (rendering.kind === 'reply') await deps.poster.reply(asker, rendering.message, ctx);
}
