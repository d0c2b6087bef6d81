/** Errors the fake raises to the test that drives it (never to the app: the app only sees wire replies). */

export type FakeSlackErrorCode =
  | 'ack_timeout'
  | 'no_socket'
  | 'socket_closed'
  | 'fake_closed'
  | 'wait_timeout'
  | 'unknown_view'
  | 'unknown_action';

export class FakeSlackError extends Error {
  readonly code: FakeSlackErrorCode;
  constructor(code: FakeSlackErrorCode, message: string) {
    super(message);
    this.name = 'FakeSlackError';
    this.code = code;
  }
}

/** The app did not ack within Slack's 3 s: the user would see `/clab failed with the error "operation_timeout"`. */
export class AckTimeoutError extends FakeSlackError {
  readonly envelopeId: string;
  readonly envelopeType: string;
  constructor(envelopeId: string, envelopeType: string, timeoutMs: number) {
    super(
      'ack_timeout',
      `no ack for ${envelopeType} envelope ${envelopeId} within ${timeoutMs} ms: Slack would show the user "operation_timeout"; ack() must come before slow work`,
    );
    this.name = 'AckTimeoutError';
    this.envelopeId = envelopeId;
    this.envelopeType = envelopeType;
  }
}
