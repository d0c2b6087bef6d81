/** Public shapes of the fake Slack: what tests configure, send and read back. */

export interface FakeTeam {
  readonly id: string;
  readonly domain: string;
  readonly name: string;
}

export interface FakeBotIdentity {
  readonly userId: string;
  readonly botId: string;
  readonly name: string;
}

export interface FakeUser {
  readonly id: string;
  readonly name: string;
  readonly realName?: string;
  readonly email?: string;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
  readonly tz?: string;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  readonly isPrivate?: boolean;
  /** Whether the bot is in the channel; posting elsewhere gives `not_in_channel`. Default true. */
  readonly isMember?: boolean;
  readonly isArchived?: boolean;
}

export interface FakeUsergroup {
  readonly id: string;
  readonly handle: string;
  readonly name?: string;
  readonly users: readonly string[];
  readonly disabled?: boolean;
}

export interface FakeSlackOptions {
  /** The one valid bot token. Default `xoxb-test`. */
  readonly botToken?: string;
  /** The one valid app-level token, accepted only by apps.connections.open. Default `xapp-test`. */
  readonly appToken?: string;
  readonly team?: FakeTeam;
  readonly appId?: string;
  readonly bot?: FakeBotIdentity;
  /** Known users. Omitted: any `U…`/`W…` id resolves to a user named after its id. */
  readonly users?: readonly FakeUser[];
  /** Known channels. Omitted: any `C…`/`G…`/`D…` id is a public channel the bot is in. */
  readonly channels?: readonly FakeChannel[];
  readonly usergroups?: readonly FakeUsergroup[];
  /** Bot scopes granted; a method needing another one answers `missing_scope`. Default: every scope the bot uses. */
  readonly scopes?: readonly string[];
  /** How long an envelope may wait for its ack before it counts as Slack's `operation_timeout`. Default 3000. */
  readonly ackTimeoutMs?: number;
  /**
   * Socket Mode redelivery, as Slack does: an envelope not acked within ackTimeoutMs, or whose
   * connection closes first, is sent again on another open connection (a new envelope_id,
   * `retry_attempt` 1, 2, … and `retry_reason: "timeout"`), up to this many times. Default 0: the
   * first failure rejects the send (AckTimeoutError), as a test of the ack deadline wants.
   */
  readonly socketRetries?: number;
  /** Lifetime of a trigger_id. Default 3000, as in Slack. */
  readonly triggerTtlMs?: number;
  /** The clock trigger_id lifetimes are measured on (ms). Default Date.now; a test advances its own instead of sleeping. */
  readonly now?: () => number;
  /** Opt-in per-channel pacing of chat.postMessage (Slack allows about 1 per second); over it: 429 + Retry-After. */
  readonly postMessagePerChannelPerSec?: number;
  /** Cap on the text summed over a message's blocks before `msg_blocks_too_long`. Default 13200 (observed, undocumented). */
  readonly blocksTextLimit?: number;
}

/** One Web API request as the fake received it. `args` holds the parsed body without `token`. */
export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  /** Token from `Authorization: Bearer` or, failing that, the `token` field. */
  readonly token: string | undefined;
  /** Date.now() when the request arrived. */
  readonly at: number;
  readonly status: number;
  readonly ok: boolean;
  readonly error: string | undefined;
}

export type FailureSpec =
  | { readonly status: 429; readonly retryAfterSec: number }
  | { readonly status: 500 }
  | { readonly error: string };

export type MessageSource = 'chat.postMessage' | 'files.completeUploadExternal' | 'ack' | 'response_url';

export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  /** Parent ts when the message is a thread reply. */
  readonly thread_ts: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
  readonly user: string;
  readonly bot_id: string;
  readonly file_ids: readonly string[];
  readonly source: MessageSource;
  /** How many times chat.update or replace_original changed it. */
  updates: number;
}

export interface FakeEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly ts: string;
  readonly thread_ts: string | undefined;
  readonly text: string;
  readonly blocks: unknown[] | undefined;
  readonly source: MessageSource;
}

export type FileState = 'awaiting_upload' | 'uploaded' | 'completed';

export interface FakeFile {
  readonly id: string;
  readonly filename: string;
  /** files.getUploadURLExternal `snippet_type` (e.g. `diff`): how Slack highlights the file. */
  readonly snippetType: string | undefined;
  /** The `length` the app declared in files.getUploadURLExternal. */
  readonly declaredLength: number;
  state: FileState;
  content: Buffer | undefined;
  title: string | undefined;
  channel: string | undefined;
  thread_ts: string | undefined;
  initialComment: string | undefined;
}

export interface FakeView {
  readonly id: string;
  view: Record<string, unknown>;
  hash: string;
  readonly user: string;
  updates: number;
}

/** A POST the app made to a response_url. */
export interface ResponseUrlPost {
  readonly id: string;
  readonly at: number;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** What the app sent back for one envelope. */
export interface AckResult {
  /** The envelope_id of the delivery that was acked (a retry has its own). */
  readonly envelopeId: string;
  /** 0 for the first delivery; the retry_attempt of the one acked. */
  readonly attempt: number;
  readonly ackMs: number;
  readonly ackPayload: Record<string, unknown>;
}

export interface SlashCommandInput {
  readonly text: string;
  readonly user_id?: string;
  readonly user_name?: string;
  readonly channel_id?: string;
  readonly channel_name?: string;
  readonly command?: string;
}

export interface BlockActionInput {
  readonly action_id: string;
  /**
   * The click is on the user's App Home (the view views.publish gave them) rather than a message:
   * the payload carries the view, and no channel, message or response_url, as Slack sends it.
   */
  readonly home?: boolean;
  readonly value?: string;
  readonly user?: string;
  readonly channel?: string;
  /** The message holding the button; its current text and blocks are sent along when the fake knows it. */
  readonly message_ts?: string;
  readonly block_id?: string;
  readonly is_ephemeral?: boolean;
  /** The full action object, for elements other than a plain button. Default: a button built from the fields above. */
  readonly action?: Record<string, unknown>;
}

export interface ViewSubmissionInput {
  readonly view: {
    readonly callback_id: string;
    readonly private_metadata?: string;
    readonly state?: { readonly values: Record<string, Record<string, unknown>> };
    /** Id of a view opened through views.open; its stored blocks and title are sent along. */
    readonly id?: string;
  };
  readonly user?: string;
}

/** A payload built by the fake with a live response_url and trigger_id, for HTTP mode or Socket Mode. */
export type SlackPayload = Record<string, unknown>;

/** An envelope the fake sent over Socket Mode, with the app's ack. */
export interface SentEnvelope extends AckResult {
  /** The payload as sent: its response_url and trigger_id are live on the fake. */
  readonly payload: SlackPayload;
}

export interface AppHomeOpenedInput {
  readonly user?: string;
  /** `home` (the Home tab) or `messages`. Default home. */
  readonly tab?: 'home' | 'messages';
}
