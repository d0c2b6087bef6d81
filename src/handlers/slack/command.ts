import type { App as BoltApp } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { parse } from '../../grammar/index.js';
import { renderSlackResult } from '../../render/slack/index.js';
import { openConfigModal } from './config-modal-flow.js';
import type { Asker, SlackDeps } from './deps.js';
import { answering, runRequest } from './request-flow.js';

/** The slash command's fields this listener reads. */
interface CommandFields {
  readonly text: string;
  readonly user_id: string;
  readonly user_name?: string;
  readonly channel_id: string;
  readonly trigger_id: string;
}

/**
 * `/clab …`: ack first (Slack shows the user an error after 3 s without one), then parse and run
 * after the ack. Usage errors, help and denials are replies only the asker sees.
 */
export function registerCommand(bolt: BoltApp, deps: SlackDeps, name = '/clab'): void {
  bolt.command(name, async ({ command, ack, respond }) => {
    await ack();
    const receivedAt = Date.now();
    const requestId = randomUUID();
    const asker: Asker = { userId: command.user_id, userName: command.user_name, channelId: command.channel_id, respond };
    deps.track(requestId, () => answering(deps, asker, requestId, () => handleCommand(deps, command, asker, { requestId, receivedAt })));
  });
}

async function handleCommand(
  deps: SlackDeps,
  command: CommandFields,
  asker: Asker,
  opts: { readonly requestId: string; readonly receivedAt: number },
): Promise<void> {
  const parsed = parse(command.text, { source: 'slack' });
  if (!parsed.ok) {
    const rendering = renderSlackResult({ kind: 'usage', error: parsed.error });
    if (rendering.kind === 'reply') await deps.poster.reply(asker, rendering.message, { requestId: opts.requestId });
    return;
  }
  const request = parsed.request;
  if (request.verb === 'config' && request.source.type === 'inline') {
    await openConfigModal(deps, request, asker, { requestId: opts.requestId, triggerId: command.trigger_id, receivedAt: opts.receivedAt });
    return;
  }
  await runRequest(deps, request, asker, { requestId: opts.requestId });
}
