import type { App as BoltApp } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { Request } from '../../grammar/request.js';
import type { Subject } from '../../permissions/subject.js';
import { changeProposal, noticeMessage } from '../../render/slack/index.js';
import type { ChangeView } from '../../ops/changes/types.js';
import type { Asker, SlackDeps } from './deps.js';
import { answering } from './request-flow.js';
import { resolveSubject, subjectOfUser } from './subjects.js';
import { UserGroupsError } from './user-groups.js';

/** One press of one of the bot's buttons, read the same way wherever the button sits. */
export interface ButtonPress<B extends string> {
  readonly button: B;
  readonly value: string | undefined;
  readonly asker: Asker;
  /** The thread the button sits in: the clicked message's parent, or the message itself (none on the App Home). */
  readonly threadTs: string | undefined;
  readonly requestId: string;
}

/**
 * Registers a family of buttons (`ids`: button name → action_id): each press is acked at once,
 * then handled as its own tracked request so shutdown waits for it and errors reach the presser.
 */
export function onButtons<B extends string>(
  bolt: BoltApp,
  deps: SlackDeps,
  ids: Readonly<Record<B, string>>,
  handle: (press: ButtonPress<B>) => Promise<void>,
): void {
  const buttonOf = new Map<string, B>(Object.entries(ids).map(([name, id]) => [id as string, name as B]));
  bolt.action(new RegExp(`^(${[...buttonOf.keys()].join('|')})$`), async ({ ack, body, action, respond }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const button = buttonOf.get(action.action_id);
    // A press on the App Home comes from a view, in no channel; it is decided like one in a thread.
    const fromHome = body.view?.type === 'home';
    const channelId = fromHome ? body.user.id : (body.channel?.id ?? body.container?.channel_id);
    if (button === undefined || channelId === undefined) return;
    const asker: Asker = { userId: body.user.id, userName: body.user.name, channelId, respond, fromHome };
    const threadTs: string | undefined = fromHome ? undefined : (body.message?.thread_ts ?? body.container?.message_ts);
    const requestId = randomUUID();
    const press = { button, value: action.value, asker, threadTs, requestId };
    deps.track(requestId, () => answering(deps, asker, requestId, () => handle(press)));
  });
}

/**
 * The presser as a subject for `request`, authorized again on every press; undefined after
 * telling them they are denied when their user groups cannot be read.
 */
export async function presser(deps: SlackDeps, press: ButtonPress<string>, request: Request): Promise<Subject | undefined> {
  try {
    return await resolveSubject(deps, press.asker, { request, requestId: press.requestId });
  } catch (err) {
    if (!(err instanceof UserGroupsError)) throw err;
    await deps.poster.reply(press.asker, noticeMessage(':no_entry:', `Denied: ${err.message}.`), { requestId: press.requestId });
    return undefined;
  }
}

/** How the core runs a press: as the presser, in the button's channel (none on the App Home). */
export function pressRun(deps: SlackDeps, press: ButtonPress<string>, subject: Subject) {
  const { asker, requestId } = press;
  return {
    requestId,
    subject,
    ...(asker.userName ? { actorName: asker.userName } : {}),
    ...(asker.fromHome ? {} : { channel: asker.channelId }),
    source: 'slack' as const,
    signal: deps.signal,
    subjectOf: subjectOfUser(deps),
  };
}

/** A change a press proposed (a rollback, a drift restore): its proposal and Approve/Reject go in the button's thread. */
export async function proposeInThread(deps: SlackDeps, press: ButtonPress<string>, threadTs: string, change: ChangeView): Promise<void> {
  const { post, decision } = changeProposal(change);
  await deps.poster.thread(press.asker.channelId, threadTs, post, { requestId: press.requestId });
  await deps.threads.showDecision(change, { channel: press.asker.channelId, threadTs }, decision, press.requestId);
}
