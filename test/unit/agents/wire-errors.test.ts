import { describe, expect, it } from 'vitest';
import { errorFromWire, errorToWire } from '../../../src/agents/wire-errors.js';
import {
  AuthFailedError,
  CancelledError,
  ConnectionLostError,
  DriverError,
  LockedError,
  RejectedError,
  StaleError,
  TimeoutError,
  UnreachableError,
  UnsupportedError,
} from '../../../src/drivers/errors.js';
import { ClabBotError } from '../../../src/errors.js';
import { CommitOutcomeUnknownError } from '../../../src/ops/changes/errors.js';
import { statusForError, toOutcomeError } from '../../../src/ops/outcome.js';

/** What the bot gets for an error thrown on the agent: it crossed Redis as JSON. */
const across = (err: unknown) => errorFromWire(JSON.parse(JSON.stringify(errorToWire(err))) as ReturnType<typeof errorToWire>);

const ctx = { node: 'r1', operation: 'apply' };

describe('errors across the agent wire', () => {
  it.each([
    ['unreachable', new UnreachableError(ctx, 'connect ECONNREFUSED 172.20.20.2:830'), UnreachableError],
    ['auth_failed', new AuthFailedError(ctx, 'admin'), AuthFailedError],
    ['timeout', new TimeoutError(ctx, 12_500, 'the device is up but slow'), TimeoutError],
    ['locked', new LockedError(ctx, 'held by user bob'), LockedError],
    ['unsupported', new UnsupportedError(ctx, 'device files'), UnsupportedError],
  ])('%s keeps its class, code, message and node', (code, err, cls) => {
    const back = across(err);
    expect(back).toBeInstanceOf(cls);
    expect(back).toBeInstanceOf(DriverError);
    expect(back.code).toBe(code);
    expect(back.message).toBe(err.message);
    expect((back as DriverError).node).toBe('r1');
    expect((back as DriverError).operation).toBe('apply');
    expect(toOutcomeError(back)).toEqual(toOutcomeError(err));
    expect(statusForError(back)).toBe('failed');
  });

  it("rejected keeps the device's own messages", () => {
    const back = across(new RejectedError(ctx, ['syntax error, expecting <statement>', 'error recovery ignores input']));
    expect(back).toBeInstanceOf(RejectedError);
    expect((back as RejectedError).deviceErrors).toEqual(['syntax error, expecting <statement>', 'error recovery ignores input']);
    expect(back.message).toBe('r1 rejected apply: syntax error, expecting <statement>; error recovery ignores input');
  });

  it('stale stays stale: the node ends stale, not failed', () => {
    const back = across(new StaleError(ctx));
    expect(back).toBeInstanceOf(StaleError);
    expect(statusForError(back)).toBe('stale');
    expect(back.message).toBe('r1: the configuration changed since the plan was approved; re-plan and approve again');
  });

  it('cancelled stays cancelled', () => {
    const back = across(new CancelledError(ctx));
    expect(back).toBeInstanceOf(CancelledError);
    expect(statusForError(back)).toBe('cancelled');
  });

  it('connection lost keeps whether the request had left: it decides failed vs unknown for a commit', () => {
    const sent = across(new ConnectionLostError(ctx, 'socket closed'));
    expect(sent).toBeInstanceOf(ConnectionLostError);
    expect((sent as ConnectionLostError).requestSent).toBe(true);
    const notSent = across(new ConnectionLostError(ctx, 'socket closed before the request', { requestSent: false }));
    expect((notSent as ConnectionLostError).requestSent).toBe(false);
    expect(notSent.message).toBe('r1: connection lost during apply (socket closed before the request)');
  });

  it('an agent lost is a lost connection coded agent_lost, and a commit lost with it is unknown, naming the agent', () => {
    const back = across(new ConnectionLostError(ctx, 'agent lost: host-a (no heartbeat for 4 s)', { code: 'agent_lost' }));
    expect(back).toBeInstanceOf(ConnectionLostError);
    expect(back.code).toBe('agent_lost');
    expect((back as ConnectionLostError).requestSent).toBe(true);
    const unknown = new CommitOutcomeUnknownError('dc/r1', 7, back, 'show system commit', '12:34 UTC', 'commit');
    expect(unknown.message).toBe(
      'lost contact with dc/r1 (agent lost: host-a (no heartbeat for 4 s)) while committing change #7 with commit confirmed: it may or may not be committed; if it is, the device rolls back to the previous configuration by itself at 12:34 UTC unless confirmed; run `show system commit` on dc/r1 to see whether the commit is there',
    );
  });

  it('a ClabBotError keeps its code, message and hint; anything else becomes internal with its message', () => {
    const back = across(new ClabBotError('unknown_node', 'node dc/r9 is no longer in the labs of agent host-a', { hint: 'run `nodes`' }));
    expect(back).toBeInstanceOf(ClabBotError);
    expect(back).not.toBeInstanceOf(DriverError);
    expect([back.code, back.message, back.hint]).toEqual(['unknown_node', 'node dc/r9 is no longer in the labs of agent host-a', 'run `nodes`']);
    const plain = across(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect([plain.code, plain.message]).toEqual(['internal', "internal error: Cannot read properties of undefined (reading 'x')"]);
  });
});
