import { describe, expect, it } from 'vitest';
import { deliveryKey } from '../../../src/handlers/slack/deliveries.js';

/** What names one user action across Slack's deliveries of it (the envelope id changes on a retry). */
describe('deliveryKey', () => {
  it('an Events API event is its event_id', () => {
    expect(deliveryKey({ type: 'event_callback', event_id: 'Ev123', event: { type: 'app_home_opened' } })).toBe('event:Ev123');
  });

  it('a slash command is its trigger_id; two invocations of the same text are two actions', () => {
    const one = deliveryKey({ command: '/clab', text: 'exec r1 show version', trigger_id: '111.222.aaa' });
    const two = deliveryKey({ command: '/clab', text: 'exec r1 show version', trigger_id: '111.333.bbb' });
    expect(one).toBe('command:111.222.aaa');
    expect(two).not.toBe(one);
  });

  it('a button press or a modal submission is its trigger_id', () => {
    expect(deliveryKey({ type: 'block_actions', trigger_id: 't-1', actions: [{ action_id: 'clab_cancel' }] })).toBe('interaction:t-1');
    expect(deliveryKey({ type: 'view_submission', trigger_id: 't-2', view: {} })).toBe('interaction:t-2');
  });

  it('anything without an identity is not de-duplicated', () => {
    expect(deliveryKey({ type: 'event_callback' })).toBeUndefined();
    expect(deliveryKey({ command: '/clab' })).toBeUndefined();
    expect(deliveryKey({})).toBeUndefined();
  });
});
