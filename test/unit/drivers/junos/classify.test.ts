import { describe, expect, it } from 'vitest';
import { LockedError, RejectedError } from '../../../../src/drivers/errors.js';
import { errorFromRpcErrors } from '../../../../src/drivers/junos/classify.js';
import { parseRpcReply, type RpcError } from '../../../../src/drivers/netconf/reply.js';
import { junosFixture } from '../support/fixtures.js';

const ctx = { node: 'r1', operation: 'plan' };
const errorsOf = (name: string) => parseRpcReply(junosFixture(name)).errors;

function rpcError(fields: Partial<RpcError>): RpcError {
  return { severity: 'error', message: '', type: undefined, tag: undefined, path: undefined, info: {}, ...fields };
}

describe('classifying device errors', () => {
  it('a lock-denied error-tag is LockedError, naming the holder session', () => {
    const err = errorFromRpcErrors(errorsOf('rfc-compliant-error.xml'), ctx);
    expect(err).toBeInstanceOf(LockedError);
    expect(err.code).toBe('locked');
    expect(err.message).toMatch(/configuration is locked \(configuration database locked by:/);
    expect(err.message).toContain('session 41862');
  });

  it('the in-use error-tag is LockedError whatever the message says', () => {
    expect(errorFromRpcErrors([rpcError({ tag: 'in-use', message: 'busy' })], ctx)).toBeInstanceOf(LockedError);
  });

  it('Junos lock conflicts reported only in text (operation-failed) are LockedError', () => {
    for (const message of [
      'configuration database locked by:\n  bob terminal pts/0 (pid 77) on since 2024-05-02 10:00:00 UTC\n      exclusive [edit]',
      'shared configuration database modified',
      'Users currently editing the configuration:\n  alice terminal pts/1',
    ]) {
      expect(errorFromRpcErrors([rpcError({ tag: 'operation-failed', message })], ctx), message).toBeInstanceOf(LockedError);
    }
  });

  it('a load syntax error is RejectedError with every device message', () => {
    const err = errorFromRpcErrors(errorsOf('load-configuration-error.xml'), ctx);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.deviceErrors).toEqual(["syntax error (near 'protocolz')", "error recovery ignores input until this point (near '}')"]);
    expect(err.message).toBe("r1 rejected plan: syntax error (near 'protocolz'); error recovery ignores input until this point (near '}')");
  });

  it('commit errors keep their paths; permission denied is a rejection', () => {
    const commit = errorFromRpcErrors(errorsOf('commit-xnm-errors.xml'), ctx);
    expect(commit).toBeInstanceOf(RejectedError);
    expect(commit.deviceErrors[0]).toBe(
      '[edit protocols ospf area 0.0.0.0] interface ge-0/0/9.0: Referenced interface ge-0/0/9.0 does not exist',
    );
    const denied = errorFromRpcErrors(errorsOf('permission-denied.xml'), ctx);
    expect(denied).toBeInstanceOf(RejectedError);
    expect(denied.deviceErrors).toEqual(["permission denied (near 'get-chassis-inventory')"]);
  });

  it('a message merely mentioning locks with another tag is not taken for a lock', () => {
    const err = errorFromRpcErrors([rpcError({ tag: 'operation-failed', message: 'statement "lock" is not valid here' })], ctx);
    expect(err).toBeInstanceOf(RejectedError);
  });
});
