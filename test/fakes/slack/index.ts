/** Local fake of Slack for end-to-end tests and benchmarks: see README.md beside this file. */
export { startFakeSlack, type FakeSlack, type SeedMessage } from './fake-slack.js';
export { signedRequest, slackSignature, type SignedBody, type SignedResponse, type SignOptions } from './signing.js';
export { AckTimeoutError, FakeSlackError, type FakeSlackErrorCode } from './errors.js';
export { LIMITS as BLOCK_KIT_LIMITS } from './block-limits.js';
export { DEFAULT_CHANNEL, DEFAULT_USER } from './payloads.js';
export type { AckRecord, DeliveryRecord, DisconnectReason } from './socket-mode.js';
export type * from './types.js';
export { waitUntil, type WaitOptions } from './wait.js';
