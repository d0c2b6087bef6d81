import { IdSource, TsClock, randomHex } from './ids.js';
import type {
  FakeBotIdentity,
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeTeam,
  FakeUser,
  FakeUsergroup,
  FakeView,
  MessageSource,
  ResponseUrlPost,
} from './types.js';

export interface WorkspaceConfig {
  readonly team: FakeTeam;
  readonly appId: string;
  readonly bot: FakeBotIdentity;
  readonly users: readonly FakeUser[] | undefined;
  readonly channels: readonly FakeChannel[] | undefined;
  readonly usergroups: readonly FakeUsergroup[];
  readonly triggerTtlMs: number;
  /** The clock of trigger lifetimes. */
  readonly now: () => number;
  readonly blocksTextLimit: number;
}

/** Where a response_url leads: the conversation, the user who acted, and the message acted on, if any. */
export interface ResponseUrlContext {
  readonly channel: string;
  readonly user: string;
  readonly messageTs: string | undefined;
  readonly issuedAt: number;
  uses: number;
}

export type TriggerCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface NewMessage {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: unknown[] | undefined;
  readonly attachments?: unknown[] | undefined;
  readonly metadata?: unknown;
  readonly thread_ts?: string | undefined;
  readonly file_ids?: readonly string[];
  readonly user?: string;
  readonly source: MessageSource;
}

/** Slack's response_url allows 5 posts within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** The fake's whole Slack state: conversations, messages, files, views, triggers and response URLs. */
export class Workspace {
  readonly config: WorkspaceConfig;
  readonly ids = new IdSource();
  readonly #clock = new TsClock();
  readonly #messages: FakeMessage[] = [];
  /** `${channel} ${ts}` → message, so threads and updates stay O(1) under benchmark volumes. */
  readonly #messageIndex = new Map<string, FakeMessage>();
  readonly #ephemerals: FakeEphemeral[] = [];
  readonly #files = new Map<string, FakeFile>();
  readonly #views = new Map<string, FakeView>();
  /** Each user's published App Home (views.publish), by user id. */
  readonly #homes = new Map<string, FakeView>();
  readonly #triggers = new Map<string, { issuedAt: number; used: boolean; user: string }>();
  readonly #responseUrls = new Map<string, ResponseUrlContext>();
  readonly #responsePosts: ResponseUrlPost[] = [];
  readonly #usergroups = new Map<string, FakeUsergroup>();
  #triggerSeq = 0;

  constructor(config: WorkspaceConfig) {
    this.config = config;
    for (const group of config.usergroups) this.#usergroups.set(group.id, group);
  }

  nextTs(): string {
    return this.#clock.next();
  }

  // --- directory -------------------------------------------------------------------------------

  /** A known channel; with no channel list configured, any C/G/D id is a public channel the bot is in. */
  channel(id: string): FakeChannel | undefined {
    if (this.config.channels !== undefined) return this.config.channels.find((c) => c.id === id);
    if (/^[CGD][A-Z0-9_]+$/.test(id)) return { id, name: id.toLowerCase(), isPrivate: id.startsWith('G') };
    return undefined;
  }

  user(id: string): FakeUser | undefined {
    if (this.config.users !== undefined) return this.config.users.find((u) => u.id === id);
    if (id === this.config.bot.userId) return { id, name: this.config.bot.name, isBot: true };
    if (/^[UW][A-Z0-9_]+$/.test(id)) return { id, name: id.toLowerCase() };
    return undefined;
  }

  /** A chat.postMessage `channel`: a conversation id, or a user id, which posts to the bot's DM with them. */
  resolveConversation(target: string): { readonly channel: string } | { readonly error: string } {
    if (/^[UW]/.test(target)) {
      return this.user(target) === undefined ? { error: 'channel_not_found' } : { channel: `D${target.slice(1)}` };
    }
    const channel = this.channel(target);
    if (channel === undefined) return { error: 'channel_not_found' };
    if (channel.isArchived) return { error: 'is_archived' };
    if (channel.isMember === false) return { error: 'not_in_channel' };
    return { channel: channel.id };
  }

  usergroups(): FakeUsergroup[] {
    return [...this.#usergroups.values()];
  }

  usergroup(id: string): FakeUsergroup | undefined {
    return this.#usergroups.get(id);
  }

  setUsergroup(group: FakeUsergroup): void {
    this.#usergroups.set(group.id, group);
  }

  // --- messages ------------------------------------------------------------------------------

  /** Posts a message. A thread_ts naming a reply joins that reply's thread; an unknown one posts at top level. */
  addMessage(input: NewMessage): FakeMessage {
    let threadTs: string | undefined;
    if (input.thread_ts !== undefined) {
      const parent = this.findMessage(input.channel, input.thread_ts);
      threadTs = parent === undefined ? undefined : (parent.thread_ts ?? parent.ts);
    }
    const message: FakeMessage = {
      channel: input.channel,
      ts: this.nextTs(),
      thread_ts: threadTs,
      text: input.text,
      blocks: input.blocks,
      attachments: input.attachments,
      metadata: input.metadata,
      user: input.user ?? this.config.bot.userId,
      bot_id: input.user === undefined || input.user === this.config.bot.userId ? this.config.bot.botId : '',
      file_ids: input.file_ids ?? [],
      source: input.source,
      updates: 0,
    };
    this.#messages.push(message);
    this.#messageIndex.set(`${message.channel} ${message.ts}`, message);
    return message;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.#messageIndex.get(`${channel} ${ts}`);
  }

  deleteMessage(channel: string, ts: string): boolean {
    const message = this.findMessage(channel, ts);
    if (message === undefined) return false;
    this.#messageIndex.delete(`${channel} ${ts}`);
    this.#messages.splice(this.#messages.indexOf(message), 1);
    return true;
  }

  messages(channel?: string): FakeMessage[] {
    return this.#messages.filter((m) => channel === undefined || m.channel === channel);
  }

  /** The root message then its replies, in ts order; empty when the root is unknown. */
  thread(channel: string, ts: string): FakeMessage[] {
    const root = this.findMessage(channel, ts);
    if (root === undefined) return [];
    const rootTs = root.thread_ts ?? root.ts;
    return this.#messages.filter((m) => m.channel === channel && (m.ts === rootTs || m.thread_ts === rootTs));
  }

  addEphemeral(input: Omit<FakeEphemeral, 'ts'>): FakeEphemeral {
    const ephemeral: FakeEphemeral = { ...input, ts: this.nextTs() };
    this.#ephemerals.push(ephemeral);
    return ephemeral;
  }

  ephemerals(channel?: string, user?: string): FakeEphemeral[] {
    return this.#ephemerals.filter(
      (e) => (channel === undefined || e.channel === channel) && (user === undefined || e.user === user),
    );
  }

  // --- files ---------------------------------------------------------------------------------

  createFile(filename: string, declaredLength: number, snippetType?: string): FakeFile {
    const file: FakeFile = {
      id: this.ids.next('F'),
      filename,
      snippetType,
      declaredLength,
      state: 'awaiting_upload',
      content: undefined,
      title: undefined,
      channel: undefined,
      thread_ts: undefined,
      initialComment: undefined,
    };
    this.#files.set(file.id, file);
    return file;
  }

  file(id: string): FakeFile | undefined {
    return this.#files.get(id);
  }

  files(): FakeFile[] {
    return [...this.#files.values()];
  }

  // --- triggers and views --------------------------------------------------------------------

  issueTrigger(user: string): string {
    this.#triggerSeq += 1;
    const id = `${Date.now()}.${this.#triggerSeq}.${randomHex(16)}`;
    this.#triggers.set(id, { issuedAt: this.config.now(), used: false, user });
    return id;
  }

  /** Single use, and valid for triggerTtlMs after the interaction, as in Slack. */
  consumeTrigger(id: unknown): TriggerCheck & { user?: string } {
    if (typeof id !== 'string') return { ok: false, error: 'invalid_arguments' };
    const trigger = this.#triggers.get(id);
    if (trigger === undefined) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.config.now() - trigger.issuedAt > this.config.triggerTtlMs) return { ok: false, error: 'expired_trigger_id' };
    trigger.used = true;
    return { ok: true, user: trigger.user };
  }

  addView(view: Record<string, unknown>, user: string): FakeView {
    const stored = this.transientView(view, user);
    this.#views.set(stored.id, stored);
    return stored;
  }

  /** A view with an id and hash that is not kept (a submission of a modal the fake never saw opened). */
  transientView(view: Record<string, unknown>, user: string): FakeView {
    return { id: this.ids.next('V'), view, hash: `${Date.now()}.${randomHex(4)}`, user, updates: 0 };
  }

  view(id: string): FakeView | undefined {
    return this.#views.get(id);
  }

  viewByExternalId(externalId: string): FakeView | undefined {
    return [...this.#views.values()].find((v) => v.view.external_id === externalId);
  }

  views(): FakeView[] {
    return [...this.#views.values()];
  }

  /** Publishes (or replaces) a user's Home tab; its id stays, its hash changes, as in Slack. */
  publishHome(user: string, view: Record<string, unknown>): FakeView {
    const current = this.#homes.get(user);
    if (current === undefined) {
      const stored: FakeView = { id: this.ids.next('V'), view, hash: `${Date.now()}.${randomHex(4)}`, user, updates: 0 };
      this.#homes.set(user, stored);
      return stored;
    }
    current.view = view;
    current.updates += 1;
    current.hash = `${Date.now()}.${randomHex(4)}`;
    return current;
  }

  home(user: string): FakeView | undefined {
    return this.#homes.get(user);
  }

  /** `https://DOMAIN.slack.com/archives/C…/p…`: a message's permalink as Slack builds it (a reply adds its thread). */
  permalink(message: FakeMessage): string {
    const base = `https://${this.config.team.domain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
    return message.thread_ts === undefined ? base : `${base}?thread_ts=${message.thread_ts}&cid=${message.channel}`;
  }

  /** Full view object as Slack returns it from views.open and sends in view_submission. */
  renderView(stored: FakeView): Record<string, unknown> {
    return {
      id: stored.id,
      team_id: this.config.team.id,
      type: stored.view.type === 'home' ? 'home' : 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: stored.hash,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: stored.id,
      previous_view_id: null,
      app_id: this.config.appId,
      external_id: '',
      app_installed_team_id: this.config.team.id,
      bot_id: this.config.bot.botId,
      ...stored.view,
    };
  }

  // --- response URLs -------------------------------------------------------------------------

  issueResponseUrl(context: Omit<ResponseUrlContext, 'issuedAt' | 'uses'>): string {
    const id = `${this.ids.next('R')}-${randomHex(8)}`;
    this.#responseUrls.set(id, { ...context, issuedAt: Date.now(), uses: 0 });
    return id;
  }

  responseUrl(id: string): ResponseUrlContext | undefined {
    return this.#responseUrls.get(id);
  }

  recordResponsePost(post: ResponseUrlPost): void {
    this.#responsePosts.push(post);
  }

  responsePosts(): ResponseUrlPost[] {
    return [...this.#responsePosts];
  }
}
