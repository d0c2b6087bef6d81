import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { SharedState } from '../../ops/shared-state.js';

/**
 * How long a delivery is remembered. Slack retries an unacknowledged event three times, the last
 * about five minutes after the first attempt; ten minutes covers that with room for clock drift.
 */
export const DELIVERY_MEMORY_MS = 10 * 60_000;

/**
 * What names one user action across Slack's deliveries of it. A redelivered Socket Mode envelope
 * gets a new envelope_id (its retry_attempt counts up), so the envelope_id cannot tell a retry from
 * a new action; the payload inside is sent again unchanged:
 * - an Events API event: its `event_id` ("unique across all workspaces", and the same on a retry:
 *   Slack's Events API docs, "Retries");
 * - a slash command has no event_id: its `trigger_id`, which Slack issues once per invocation (it
 *   is what opens a modal for that one command);
 * - an interaction (a button, a modal submission): its `trigger_id`, likewise one per interaction.
 * Undefined for anything else, which is then handled every time.
 */
export function deliveryKey(body: Record<string, unknown>): string | undefined {
  if (body.type === 'event_callback' && typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string') return `command:${body.trigger_id}`;
  if (typeof body.type === 'string' && typeof body.trigger_id === 'string') return `interaction:${body.trigger_id}`;
  return undefined;
}

/**
 * Global Bolt middleware: each user action is handled once, by the first replica to claim it in
 * the shared state (Redis SET NX PX across replicas; this process's memory alone). A later delivery
 * of the same action (Slack's retry after a slow or lost ack, on this or another replica's
 * connection) is acked, so Slack stops retrying, and dropped. When the shared state cannot answer
 * it is handled: doing it twice is better than never.
 */
export function handleEachOnce(state: SharedState, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = deliveryKey(args.body as unknown as Record<string, unknown>);
    if (key !== undefined) {
      let first = true;
      try {
        first = await state.claimOnce(`slack-delivery:${key}`, DELIVERY_MEMORY_MS);
      } catch (err) {
        logger.warn({ key, err: (err as Error).message }, 'could not check whether a Slack delivery was already handled; handling it');
      }
      if (!first) {
        logger.info({ key, retryNum: args.context.retryNum, retryReason: args.context.retryReason }, 'Slack sent an action again that was already handled: acked, not run again');
        if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
        return;
      }
    }
    await args.next();
  };
}
