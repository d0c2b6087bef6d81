import type { App as BoltApp } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { changeProposal, DRIFT_BUTTONS, noticeMessage, parseDriftButtonValue, renderSlackResult, type DriftButton } from '../../render/slack/index.js';
import type { RequestResult } from '../../ops/results.js';
import type { Asker, SlackDeps } from './deps.js';
import { answering } from './request-flow.js';
import { resolveSubject, subjectOfUser } from './subjects.js';
import { UserGroupsError } from './user-groups.js';

const BUTTON_OF = new Map<string, DriftButton>(Object.entries(DRIFT_BUTTONS).map(([k, v]) => [v, k as DriftButton]));

/**
 * Adopt / Restore under a drifted node: acked at once, then run as the presser, authorized again
 * (Adopt as `drift` is, Restore as proposing a change is). Results go to the drift report's thread.
 */
export function registerDriftButtons(bolt: BoltApp, deps: SlackDeps): void {
  bolt.action(new RegExp(`^(${Object.values(DRIFT_BUTTONS).join('|')})$`), async ({ ack, body, action, respond }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const button = BUTTON_OF.get(action.action_id);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    if (button === undefined || channelId === undefined) return;
    const asker: Asker = { userId: body.user.id, userName: body.user.name, channelId, respond };
    const threadTs: string | undefined = body.message?.thread_ts ?? body.container?.message_ts;
    const requestId = randomUUID();
    deps.track(requestId, () => answering(deps, asker, requestId, () => press(deps, button, action.value, asker, threadTs, requestId)));
  });
}

async function press(
  deps: SlackDeps,
  button: DriftButton,
  value: string | undefined,
  asker: Asker,
  threadTs: string | undefined,
  requestId: string,
): Promise<void> {
  const ctx = { requestId };
  const target = parseDriftButtonValue(value);
  if (target === undefined) {
    await deps.poster.reply(asker, noticeMessage(':warning:', 'This button does not name a node; run `/clab drift` again.'), ctx);
    return;
  }
  const { node, sha256 } = target;
  let subject;
  try {
    subject = await resolveSubject(deps, asker, { request: { verb: 'drift', selector: { names: [`${node.lab}/${node.name}`] } }, requestId });
  } catch (err) {
    if (!(err instanceof UserGroupsError)) throw err;
    await deps.poster.reply(asker, noticeMessage(':no_entry:', `Denied: ${err.message}.`), ctx);
    return;
  }
  const run = {
    requestId,
    subject,
    ...(asker.userName ? { actorName: asker.userName } : {}),
    channel: asker.channelId,
    source: 'slack' as const,
    signal: deps.signal,
    subjectOf: subjectOfUser(deps),
  };
  const result: RequestResult = button === 'adopt' ? await deps.app.runner.adoptDrift(node, sha256, run) : await deps.app.runner.restoreDrift(node, run);
  if (result.kind === 'change' && threadTs !== undefined) {
    // The restore is a change like any other: its proposal and Approve/Reject go in the report's thread.
    const { post, decision } = changeProposal(result.change);
    await deps.poster.thread(asker.channelId, threadTs, post, ctx);
    await deps.threads.showDecision(result.change, { channel: asker.channelId, threadTs }, decision, requestId);
    return;
  }
  const rendering = renderSlackResult(result);
  if (rendering.kind !== 'reply') return;
  // An adoption is news for everyone reading the report; a refusal is for the presser alone.
  if (result.kind === 'drift-adopted' && threadTs !== undefined) await deps.poster.thread(asker.channelId, threadTs, { message: rendering.message }, ctx);
  else await deps.poster.reply(asker, rendering.message, ctx);
}
