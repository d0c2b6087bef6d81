import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, parseApiArgs, parseUploadBytes, readBody, sendJson, sendText } from './http-body.js';
import { DEFAULT_USER, PayloadFactory } from './payloads.js';
import { applyResponse, handleResponseUrlPost } from './response-url.js';
import { signedRequest } from './signing.js';
import { SocketModeServer, type AckRecord, type DeliveryRecord, type DisconnectReason } from './socket-mode.js';
import type {
  ApiCall,
  AppHomeOpenedInput,
  BlockActionInput,
  FailureSpec,
  FakeBotIdentity,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeSlackOptions,
  FakeTeam,
  FakeUsergroup,
  FakeView,
  ResponseUrlPost,
  SentEnvelope,
  SlashCommandInput,
  SlackPayload,
  ViewSubmissionInput,
} from './types.js';
import { waitUntil } from './wait.js';
import { DEFAULT_SCOPES, WebApi } from './web-api.js';
import { Workspace } from './workspace.js';

const DEFAULT_TEAM: FakeTeam = { id: 'T_FAKE', domain: 'clab-fake', name: 'clab fake workspace' };
const DEFAULT_BOT: FakeBotIdentity = { userId: 'U_BOT', botId: 'B_BOT', name: 'clab-bot' };

export interface SeedMessage {
  readonly channel: string;
  readonly text: string;
  /** Author; default a human user (U_TESTER), so the bot cannot chat.update it. */
  readonly user?: string;
  readonly thread_ts?: string;
  readonly blocks?: unknown[];
}

/** A running fake Slack on 127.0.0.1. Every collection getter returns a snapshot array. */
export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: pass as clientOptions.slackApiUrl (or SLACK_API_URL). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly team: FakeTeam;
  readonly bot: FakeBotIdentity;
  readonly appId: string;

  /** Web API calls received, oldest first, optionally for one method. */
  calls(method?: string): ApiCall[];
  resetCalls(): void;
  /** Resolves with the calls of `method` once there are at least `count` of them (default 1, within 5 s). */
  waitForCalls(method: string, count?: number, timeoutMs?: number): Promise<ApiCall[]>;
  /** The next `times` calls of `method` fail: HTTP 429 with Retry-After, HTTP 500, or HTTP 200 `{ok:false,error}`. */
  failNext(method: string, failure: FailureSpec, times?: number): void;

  /** Channel messages (bot posts, in_channel responses, file shares, seeded messages), current text/blocks. */
  messages(channel?: string): FakeMessage[];
  /** Root message then replies, in ts order; `ts` may be the root's or any reply's. Empty if unknown. */
  thread(channel: string, ts: string): FakeMessage[];
  ephemerals(channel?: string, user?: string): FakeEphemeral[];
  files(): FakeFile[];
  views(): FakeView[];
  /** The user's published App Home (views.publish), or undefined before the first publish. */
  home(user?: string): FakeView | undefined;
  /** POSTs the app made to response URLs, with the HTTP status the fake answered. */
  responses(): ResponseUrlPost[];
  /** Acks received over Socket Mode, including late and unexpected ones. */
  acks(): AckRecord[];
  /** Socket Mode deliveries sent, retries included: envelope_id, attempt, which connection, outcome. */
  deliveries(): DeliveryRecord[];
  /** Puts a message in a channel as if a user wrote it (e.g. a thread root the bot replies to). */
  seedMessage(message: SeedMessage): FakeMessage;
  /** Adds or replaces a user group (its members change at once). */
  setUsergroup(group: FakeUsergroup): void;
  /** A fresh trigger_id, valid for triggerTtlMs, as an interaction would carry. */
  issueTriggerId(user?: string): string;

  /** Sends a `slash_commands` envelope; resolves with the ack, rejects with AckTimeoutError after 3 s. */
  sendSlashCommand(input: SlashCommandInput): Promise<SentEnvelope>;
  /** Sends an `interactive` envelope holding a block_actions payload. */
  sendBlockAction(input: BlockActionInput): Promise<SentEnvelope>;
  /** Sends an `interactive` envelope holding a view_submission payload. */
  sendViewSubmission(input: ViewSubmissionInput): Promise<SentEnvelope>;
  /** Sends an `events_api` envelope with `app_home_opened` (the user opened the app's Home tab). */
  openAppHome(input?: AppHomeOpenedInput): Promise<SentEnvelope>;
  /** Kills open Socket Mode connections at the TCP level; returns how many. */
  dropSocket(): number;
  /** Sends Slack's `disconnect` message (default reason `refresh_requested`); returns to how many connections. */
  sendDisconnect(reason?: DisconnectReason): number;
  /** Resolves when a Socket Mode connection is open (immediately if one is). */
  waitForSocket(timeoutMs?: number): Promise<void>;
  /** Socket Mode connections accepted so far; a reconnect adds one. */
  readonly socketConnections: number;
  /** Socket Mode connections open now. */
  readonly openSockets: number;

  /** Payloads for HTTP mode (or inspection), with live response_url and trigger_id. */
  slashCommandPayload(input: SlashCommandInput): Record<string, string>;
  blockActionPayload(input: BlockActionInput): SlackPayload;
  viewSubmissionPayload(input: ViewSubmissionInput): SlackPayload;
  /** An Events API `app_home_opened` callback, for HTTP mode (POST it as JSON). */
  appHomeOpenedPayload(input?: AppHomeOpenedInput): SlackPayload;
  /** Same as the exported `signedRequest`. */
  readonly signedRequest: typeof signedRequest;

  close(): Promise<void>;
}

function hasMessageContent(payload: Record<string, unknown>): boolean {
  return typeof payload.text === 'string' || Array.isArray(payload.blocks);
}

class RunningFakeSlack implements FakeSlack {
  readonly botToken: string;
  readonly appToken: string;
  readonly team: FakeTeam;
  readonly bot: FakeBotIdentity;
  readonly appId: string;
  readonly signedRequest = signedRequest;
  readonly #server: Server;
  readonly #workspace: Workspace;
  readonly #api: WebApi;
  readonly #socket: SocketModeServer;
  readonly #payloads: PayloadFactory;
  #port = 0;

  constructor(opts: FakeSlackOptions) {
    this.botToken = opts.botToken ?? 'xoxb-test';
    this.appToken = opts.appToken ?? 'xapp-test';
    this.team = opts.team ?? DEFAULT_TEAM;
    this.bot = opts.bot ?? DEFAULT_BOT;
    this.appId = opts.appId ?? 'A_FAKE';
    this.#workspace = new Workspace({
      team: this.team,
      appId: this.appId,
      bot: this.bot,
      users: opts.users,
      channels: opts.channels,
      usergroups: opts.usergroups ?? [],
      triggerTtlMs: opts.triggerTtlMs ?? 3000,
      now: opts.now ?? Date.now,
      blocksTextLimit: opts.blocksTextLimit ?? 13_200,
    });
    this.#socket = new SocketModeServer({
      appId: this.appId,
      ackTimeoutMs: opts.ackTimeoutMs ?? 3000,
      retries: opts.socketRetries ?? 0,
      wsBase: () => `ws://127.0.0.1:${this.#port}`,
    });
    this.#api = new WebApi(this.#workspace, {
      botToken: this.botToken,
      appToken: this.appToken,
      scopes: opts.scopes ?? DEFAULT_SCOPES,
      baseUrl: () => this.baseUrl,
      openSocketUrl: () => this.#socket.issueUrl(),
      postMessagePerChannelPerSec: opts.postMessagePerChannelPerSec,
    });
    this.#payloads = new PayloadFactory(this.#workspace, () => this.baseUrl);
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch((err: unknown) => {
        if (res.headersSent) res.destroy();
        else if (err instanceof BodyTooLargeError) sendText(res, 413, err.message);
        else sendText(res, 500, `fake slack failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => this.#socket.handleUpgrade(req, socket, head));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const [, section, id] = url.pathname.split('/');
    if (section === 'api' && id !== undefined && id !== '') return this.#apiCall(req, res, id, url);
    if (req.method !== 'POST') return sendText(res, 405, 'method not allowed');
    if (section === 'upload' && id !== undefined) return this.#upload(req, res, id);
    if (section === 'response' && id !== undefined) {
      const outcome = handleResponseUrlPost(this.#workspace, id, await readBody(req));
      return sendJson(res, outcome.status, outcome.body);
    }
    sendText(res, 404, 'not found');
  }

  async #apiCall(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const raw = await readBody(req);
    let args: Record<string, unknown>;
    try {
      args = { ...Object.fromEntries(url.searchParams), ...parseApiArgs(req.headers['content-type'], raw) };
    } catch {
      return sendJson(res, 200, { ok: false, error: 'invalid_json' });
    }
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    const reply = this.#api.handle(method, args, bearer);
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  async #upload(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    const file = this.#workspace.file(fileId);
    const raw = await readBody(req);
    if (file === undefined || file.state !== 'awaiting_upload') return sendText(res, 404, 'upload url unknown or already used');
    const bytes = await parseUploadBytes(req.headers['content-type'], raw);
    file.content = bytes;
    file.state = 'uploaded';
    sendText(res, 200, `OK - ${bytes.length}`);
  }

  // --- recorded state ------------------------------------------------------------------------

  calls(method?: string): ApiCall[] {
    return this.#api.calls(method);
  }

  resetCalls(): void {
    this.#api.resetCalls();
  }

  waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<ApiCall[]> {
    return waitUntil(
      () => {
        const calls = this.#api.calls(method);
        return calls.length >= count && calls;
      },
      { timeoutMs, what: `${count} ${method} call(s)` },
    );
  }

  failNext(method: string, failure: FailureSpec, times = 1): void {
    this.#api.failNext(method, failure, times);
  }

  messages(channel?: string): FakeMessage[] {
    return this.#workspace.messages(channel);
  }

  thread(channel: string, ts: string): FakeMessage[] {
    return this.#workspace.thread(channel, ts);
  }

  ephemerals(channel?: string, user?: string): FakeEphemeral[] {
    return this.#workspace.ephemerals(channel, user);
  }

  files(): FakeFile[] {
    return this.#workspace.files();
  }

  views(): FakeView[] {
    return this.#workspace.views();
  }

  home(user: string = DEFAULT_USER): FakeView | undefined {
    return this.#workspace.home(user);
  }

  responses(): ResponseUrlPost[] {
    return this.#workspace.responsePosts();
  }

  acks(): AckRecord[] {
    return this.#socket.acks();
  }

  deliveries(): DeliveryRecord[] {
    return this.#socket.deliveries();
  }

  seedMessage(message: SeedMessage): FakeMessage {
    return this.#workspace.addMessage({ ...message, user: message.user ?? DEFAULT_USER, source: 'chat.postMessage' });
  }

  setUsergroup(group: FakeUsergroup): void {
    this.#workspace.setUsergroup(group);
  }

  issueTriggerId(user = DEFAULT_USER): string {
    return this.#workspace.issueTrigger(user);
  }

  // --- Socket Mode ---------------------------------------------------------------------------

  async sendSlashCommand(input: SlashCommandInput): Promise<SentEnvelope> {
    const payload = this.#payloads.slashCommand(input);
    const ack = await this.#socket.send('slash_commands', payload, true);
    // A slash command's ack may carry the reply itself (ephemeral by default), which Slack shows at once.
    if (hasMessageContent(ack.ackPayload)) {
      applyResponse(this.#workspace, { channel: payload.channel_id ?? '', user: payload.user_id ?? '', messageTs: undefined }, ack.ackPayload, 'ack');
    }
    return { ...ack, payload };
  }

  async sendBlockAction(input: BlockActionInput): Promise<SentEnvelope> {
    const payload = this.#payloads.blockAction(input);
    return { ...(await this.#socket.send('interactive', payload, false)), payload };
  }

  async sendViewSubmission(input: ViewSubmissionInput): Promise<SentEnvelope> {
    const payload = this.#payloads.viewSubmission(input);
    return { ...(await this.#socket.send('interactive', payload, true)), payload };
  }

  async openAppHome(input: AppHomeOpenedInput = {}): Promise<SentEnvelope> {
    const payload = this.#payloads.appHomeOpened(input);
    return { ...(await this.#socket.send('events_api', payload, false)), payload };
  }

  dropSocket(): number {
    return this.#socket.dropSocket();
  }

  sendDisconnect(reason: DisconnectReason = 'refresh_requested'): number {
    return this.#socket.sendDisconnect(reason);
  }

  waitForSocket(timeoutMs = 10_000): Promise<void> {
    return this.#socket.waitForConnection(timeoutMs);
  }

  get socketConnections(): number {
    return this.#socket.connectionCount;
  }

  get openSockets(): number {
    return this.#socket.openConnections;
  }

  // --- HTTP-mode payloads --------------------------------------------------------------------

  slashCommandPayload(input: SlashCommandInput): Record<string, string> {
    return this.#payloads.slashCommand(input);
  }

  blockActionPayload(input: BlockActionInput): SlackPayload {
    return this.#payloads.blockAction(input);
  }

  viewSubmissionPayload(input: ViewSubmissionInput): SlackPayload {
    return this.#payloads.viewSubmission(input);
  }

  appHomeOpenedPayload(input: AppHomeOpenedInput = {}): SlackPayload {
    return this.#payloads.appHomeOpened(input);
  }

  async close(): Promise<void> {
    await this.#socket.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Starts a fake Slack on 127.0.0.1 and an ephemeral port. Call `close()` in afterAll. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new RunningFakeSlack(opts);
  await fake.listen();
  return fake;
}
