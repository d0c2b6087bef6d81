import { checkMessage, checkView, type LimitViolation } from './block-limits.js';
import type { ApiCall, FailureSpec, FakeFile, FakeMessage, FakeUser } from './types.js';
import type { Workspace } from './workspace.js';

/** What the HTTP layer writes back for one Web API request. */
export interface ApiReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

type Body = Record<string, unknown>;

interface MethodSpec {
  /** Which kind of token the method takes: bot (xoxb) or app-level (xapp). */
  readonly token: 'bot' | 'app';
  /** The bot scope the call needs, if any (conversations.info depends on the conversation type). */
  readonly scope: (args: Body) => string | undefined;
  readonly handle: (args: Body) => Body;
}

export const DEFAULT_SCOPES: readonly string[] = [
  'commands', 'chat:write', 'files:write', 'usergroups:read', 'users:read', 'channels:read', 'groups:read', 'im:read',
];

export interface WebApiOptions {
  readonly botToken: string;
  readonly appToken: string;
  readonly scopes: readonly string[];
  /** `http://127.0.0.1:PORT`, for upload URLs. */
  readonly baseUrl: () => string;
  /** Issues a fresh Socket Mode URL (apps.connections.open). */
  readonly openSocketUrl: () => string;
  readonly postMessagePerChannelPerSec: number | undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function arr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function fail(error: string, extra: Body = {}): Body {
  return { ok: false, error, ...extra };
}

function violationBody(v: LimitViolation): Body {
  return fail(v.error, v.messages.length > 0 ? { errors: [...v.messages], response_metadata: { messages: [...v.messages] } } : {});
}

/** The Web API half of the fake: one handler per method, call recording and failure injection. */
export class WebApi {
  readonly #ws: Workspace;
  readonly #opts: WebApiOptions;
  readonly #calls: ApiCall[] = [];
  readonly #failures = new Map<string, FailureSpec[]>();
  readonly #recentPosts = new Map<string, number[]>();
  readonly #methods: Record<string, MethodSpec>;

  constructor(workspace: Workspace, opts: WebApiOptions) {
    this.#ws = workspace;
    this.#opts = opts;
    const none = (): undefined => undefined;
    const need = (scope: string) => (): string => scope;
    this.#methods = {
      'auth.test': { token: 'bot', scope: none, handle: () => this.#authTest() },
      'apps.connections.open': { token: 'app', scope: none, handle: () => ({ ok: true, url: this.#opts.openSocketUrl() }) },
      'chat.postMessage': { token: 'bot', scope: need('chat:write'), handle: (a) => this.#postMessage(a) },
      'chat.update': { token: 'bot', scope: need('chat:write'), handle: (a) => this.#update(a) },
      'chat.postEphemeral': { token: 'bot', scope: need('chat:write'), handle: (a) => this.#postEphemeral(a) },
      'views.open': { token: 'bot', scope: none, handle: (a) => this.#viewsOpen(a) },
      'views.update': { token: 'bot', scope: none, handle: (a) => this.#viewsUpdate(a) },
      'views.publish': { token: 'bot', scope: none, handle: (a) => this.#viewsPublish(a) },
      'chat.getPermalink': { token: 'bot', scope: none, handle: (a) => this.#getPermalink(a) },
      'files.getUploadURLExternal': { token: 'bot', scope: need('files:write'), handle: (a) => this.#getUploadUrl(a) },
      'files.completeUploadExternal': { token: 'bot', scope: need('files:write'), handle: (a) => this.#completeUpload(a) },
      'users.info': { token: 'bot', scope: need('users:read'), handle: (a) => this.#usersInfo(a) },
      'usergroups.list': { token: 'bot', scope: need('usergroups:read'), handle: (a) => this.#usergroupsList(a) },
      'usergroups.users.list': { token: 'bot', scope: need('usergroups:read'), handle: (a) => this.#usergroupUsers(a) },
      'conversations.info': { token: 'bot', scope: (a) => conversationScope(str(a.channel)), handle: (a) => this.#conversationsInfo(a) },
    };
  }

  // --- test-facing ---------------------------------------------------------------------------

  failNext(method: string, spec: FailureSpec, times = 1): void {
    const queue = this.#failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(spec);
    this.#failures.set(method, queue);
  }

  calls(method?: string): ApiCall[] {
    return this.#calls.filter((c) => method === undefined || c.method === method);
  }

  resetCalls(): void {
    this.#calls.length = 0;
  }

  // --- dispatch ------------------------------------------------------------------------------

  handle(method: string, rawArgs: Body, bearer: string | undefined): ApiReply {
    const { token: bodyToken, ...args } = rawArgs;
    const token = bearer ?? str(bodyToken);
    const reply = this.#dispatch(method, args, token);
    this.#calls.push({
      method,
      args,
      token,
      at: Date.now(),
      status: reply.status,
      ok: reply.body.ok === true,
      error: str(reply.body.error),
    });
    return reply;
  }

  #dispatch(method: string, args: Body, token: string | undefined): ApiReply {
    const injected = this.#failures.get(method)?.shift();
    if (injected !== undefined) return injectedReply(injected);
    const spec = this.#methods[method];
    if (spec === undefined) return ok200(fail('unknown_method'));
    const authError = this.#checkToken(spec.token, token);
    if (authError !== undefined) return ok200(fail(authError));
    const headers: Record<string, string> = spec.token === 'bot' ? { 'x-oauth-scopes': this.#opts.scopes.join(',') } : {};
    const needed = spec.scope(args);
    if (needed !== undefined && !this.#opts.scopes.includes(needed)) {
      return { status: 200, headers, body: fail('missing_scope', { needed, provided: this.#opts.scopes.join(',') }) };
    }
    if (method === 'chat.postMessage') {
      const retryAfter = this.#paceChannel(str(args.channel));
      if (retryAfter !== undefined) return injectedReply({ status: 429, retryAfterSec: retryAfter });
    }
    return { status: 200, headers, body: spec.handle(args) };
  }

  #checkToken(kind: 'bot' | 'app', token: string | undefined): string | undefined {
    if (token === undefined || token === '') return 'not_authed';
    const expected = kind === 'bot' ? this.#opts.botToken : this.#opts.appToken;
    if (token === expected) return undefined;
    const isApp = token.startsWith('xapp-');
    if ((kind === 'bot' && isApp) || (kind === 'app' && !isApp)) return 'not_allowed_token_type';
    return 'invalid_auth';
  }

  /** Opt-in 1-per-second-per-channel pacing; returns Retry-After seconds when over. */
  #paceChannel(channel: string | undefined): number | undefined {
    const perSec = this.#opts.postMessagePerChannelPerSec;
    if (perSec === undefined || channel === undefined) return undefined;
    const now = Date.now();
    const recent = (this.#recentPosts.get(channel) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= perSec) {
      this.#recentPosts.set(channel, recent);
      return 1;
    }
    recent.push(now);
    this.#recentPosts.set(channel, recent);
    return undefined;
  }

  // --- methods -------------------------------------------------------------------------------

  #authTest(): Body {
    const { team, bot, appId } = this.#ws.config;
    return {
      ok: true,
      url: `https://${team.domain}.slack.com/`,
      team: team.name,
      user: bot.name,
      team_id: team.id,
      user_id: bot.userId,
      bot_id: bot.botId,
      app_id: appId,
      is_enterprise_install: false,
    };
  }

  #postMessage(args: Body): Body {
    const target = str(args.channel);
    if (target === undefined) return fail('channel_not_found');
    const resolved = this.#ws.resolveConversation(target);
    if ('error' in resolved) return fail(resolved.error);
    const markdown = str(args.markdown_text);
    if (markdown !== undefined && (args.text !== undefined || args.blocks !== undefined)) return fail('markdown_text_conflict');
    const text = str(args.text) ?? markdown;
    const violation = checkMessage(
      { text, blocks: args.blocks, attachments: args.attachments },
      { blocksTextLimit: this.#ws.config.blocksTextLimit, requireContent: true },
    );
    if (violation !== undefined) return violationBody(violation);
    const message = this.#ws.addMessage({
      channel: resolved.channel,
      text: text ?? '',
      blocks: arr(args.blocks),
      attachments: arr(args.attachments),
      metadata: args.metadata,
      thread_ts: str(args.thread_ts),
      source: 'chat.postMessage',
    });
    return { ok: true, channel: message.channel, ts: message.ts, message: this.#messageJson(message) };
  }

  #update(args: Body): Body {
    const channel = str(args.channel);
    const ts = str(args.ts);
    if (channel === undefined || this.#ws.channel(channel) === undefined) return fail('channel_not_found');
    if (ts === undefined) return fail('message_not_found');
    const message = this.#ws.findMessage(channel, ts);
    if (message === undefined) return fail('message_not_found');
    if (message.user !== this.#ws.config.bot.userId) return fail('cant_update_message');
    const violation = checkMessage(
      { text: args.text, blocks: args.blocks, attachments: args.attachments },
      { blocksTextLimit: this.#ws.config.blocksTextLimit, requireContent: true },
    );
    if (violation !== undefined) return violationBody(violation);
    const text = str(args.text);
    if (text !== undefined) message.text = text;
    if (args.blocks !== undefined) message.blocks = arr(args.blocks);
    if (args.attachments !== undefined) message.attachments = arr(args.attachments);
    message.updates += 1;
    return { ok: true, channel, ts, text: message.text, message: this.#messageJson(message) };
  }

  #postEphemeral(args: Body): Body {
    const target = str(args.channel);
    const user = str(args.user);
    if (user === undefined || this.#ws.user(user) === undefined) return fail('user_not_found');
    if (target === undefined) return fail('channel_not_found');
    const resolved = this.#ws.resolveConversation(target);
    if ('error' in resolved) return fail(resolved.error);
    const violation = checkMessage(
      { text: args.text, blocks: args.blocks, attachments: args.attachments },
      { blocksTextLimit: this.#ws.config.blocksTextLimit, requireContent: true },
    );
    if (violation !== undefined) return violationBody(violation);
    const ephemeral = this.#ws.addEphemeral({
      channel: resolved.channel,
      user,
      thread_ts: str(args.thread_ts),
      text: str(args.text) ?? '',
      blocks: arr(args.blocks),
      source: 'chat.postMessage',
    });
    return { ok: true, message_ts: ephemeral.ts };
  }

  #viewsOpen(args: Body): Body {
    const violation = checkView(args.view);
    if (violation !== undefined) return violationBody(violation);
    const trigger = this.#ws.consumeTrigger(args.trigger_id ?? args.interactivity_pointer);
    if (!trigger.ok) return fail(trigger.error);
    const stored = this.#ws.addView(args.view as Body, trigger.user ?? '');
    return { ok: true, view: this.#ws.renderView(stored) };
  }

  #viewsUpdate(args: Body): Body {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    const stored =
      viewId !== undefined ? this.#ws.view(viewId) : externalId !== undefined ? this.#ws.viewByExternalId(externalId) : undefined;
    if (stored === undefined) return fail('not_found');
    const hash = str(args.hash);
    if (hash !== undefined && hash !== stored.hash) return fail('hash_conflict');
    const violation = checkView(args.view);
    if (violation !== undefined) return violationBody(violation);
    stored.view = args.view as Body;
    stored.hash = `${Date.now()}.${stored.updates + 1}`;
    stored.updates += 1;
    return { ok: true, view: this.#ws.renderView(stored) };
  }

  /**
   * A user's Home tab: `view` must be a home view within Block Kit's view limits (else
   * invalid_arguments), `user_id` a known user; a `hash` that is not the current one is a
   * hash_conflict, as when two publishes race.
   */
  #viewsPublish(args: Body): Body {
    const user = str(args.user_id);
    if (user === undefined) return fail('invalid_arguments');
    if (this.#ws.user(user) === undefined) return fail('user_not_found');
    const view = args.view;
    if (typeof view !== 'object' || view === null || (view as Body).type !== 'home') {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] must be a home view [json-pointer:/view/type]'] } });
    }
    const violation = checkView(view);
    if (violation !== undefined) return violationBody(violation);
    const hash = str(args.hash);
    const current = this.#ws.home(user);
    if (hash !== undefined && current !== undefined && hash !== current.hash) return fail('hash_conflict');
    const stored = this.#ws.publishHome(user, view as Body);
    return { ok: true, view: this.#ws.renderView(stored) };
  }

  /** A message's permalink; channel_not_found / message_not_found as Slack answers. */
  #getPermalink(args: Body): Body {
    const channel = str(args.channel);
    const ts = str(args.message_ts);
    if (channel === undefined || this.#ws.channel(channel) === undefined) return fail('channel_not_found');
    const message = ts === undefined ? undefined : this.#ws.findMessage(channel, ts);
    if (message === undefined) return fail('message_not_found');
    return { ok: true, channel, permalink: this.#ws.permalink(message) };
  }

  #getUploadUrl(args: Body): Body {
    const filename = str(args.filename);
    const length = Number(str(args.length));
    if (filename === undefined || filename === '' || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
    const file = this.#ws.createFile(filename, length, str(args.snippet_type));
    return { ok: true, upload_url: `${this.#opts.baseUrl()}/upload/${file.id}`, file_id: file.id };
  }

  #completeUpload(args: Body): Body {
    const entries = arr(args.files);
    if (entries === undefined || entries.length === 0) return fail('invalid_arguments');
    const files: FakeFile[] = [];
    for (const entry of entries) {
      const id = typeof entry === 'object' && entry !== null ? str((entry as Body).id) : undefined;
      const file = id === undefined ? undefined : this.#ws.file(id);
      // Slack refuses to complete a file whose bytes never reached the upload URL.
      if (file === undefined || file.state !== 'uploaded') return fail('file_not_found');
      file.title = str((entry as Body).title) ?? file.filename;
      files.push(file);
    }
    const target = str(args.channel_id) ?? str(args.channels)?.split(',')[0];
    let channel: string | undefined;
    if (target !== undefined) {
      const resolved = this.#ws.resolveConversation(target);
      if ('error' in resolved) return fail(resolved.error);
      channel = resolved.channel;
    }
    const initialComment = str(args.initial_comment);
    let threadTs = str(args.thread_ts);
    if (channel !== undefined) {
      const message = this.#ws.addMessage({
        channel,
        text: initialComment ?? '',
        blocks: arr(args.blocks),
        thread_ts: threadTs,
        file_ids: files.map((f) => f.id),
        source: 'files.completeUploadExternal',
      });
      threadTs = message.thread_ts;
    }
    for (const file of files) {
      file.state = 'completed';
      file.channel = channel;
      file.thread_ts = threadTs;
      file.initialComment = initialComment;
    }
    return { ok: true, files: files.map((f) => this.#fileJson(f)) };
  }

  #usersInfo(args: Body): Body {
    const id = str(args.user);
    const user = id === undefined ? undefined : this.#ws.user(id);
    if (user === undefined) return fail('user_not_found');
    return { ok: true, user: this.#userJson(user) };
  }

  #usergroupsList(args: Body): Body {
    const includeUsers = bool(args.include_users);
    const includeDisabled = bool(args.include_disabled);
    const groups = this.#ws.usergroups().filter((g) => includeDisabled || !g.disabled);
    return {
      ok: true,
      usergroups: groups.map((g) => ({
        id: g.id,
        team_id: this.#ws.config.team.id,
        is_usergroup: true,
        name: g.name ?? g.handle,
        handle: g.handle,
        description: '',
        date_delete: g.disabled ? Math.floor(Date.now() / 1000) : 0,
        user_count: g.users.length,
        ...(includeUsers ? { users: [...g.users] } : {}),
      })),
    };
  }

  #usergroupUsers(args: Body): Body {
    const id = str(args.usergroup);
    const group = id === undefined ? undefined : this.#ws.usergroup(id);
    if (group === undefined) return fail('no_such_subteam');
    if (group.disabled && !bool(args.include_disabled)) return fail('subteam_disabled');
    return { ok: true, users: [...group.users] };
  }

  #conversationsInfo(args: Body): Body {
    const id = str(args.channel);
    const channel = id === undefined ? undefined : this.#ws.channel(id);
    if (channel === undefined) return fail('channel_not_found');
    return {
      ok: true,
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: channel.id.startsWith('C') && !channel.isPrivate,
        is_group: channel.id.startsWith('G') || channel.isPrivate === true,
        is_im: channel.id.startsWith('D'),
        is_mpim: false,
        is_private: channel.isPrivate === true,
        is_archived: channel.isArchived === true,
        is_member: channel.isMember !== false,
        is_general: false,
        created: 1_700_000_000,
        context_team_id: this.#ws.config.team.id,
        ...(channel.id.startsWith('D') ? { user: `U${channel.id.slice(1)}` } : {}),
      },
    };
  }

  // --- wire shapes ---------------------------------------------------------------------------

  #messageJson(m: FakeMessage): Body {
    return {
      type: 'message',
      text: m.text,
      user: m.user,
      bot_id: m.bot_id,
      app_id: this.#ws.config.appId,
      team: this.#ws.config.team.id,
      ts: m.ts,
      ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
      ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts } : {}),
      ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
    };
  }

  #fileJson(f: FakeFile): Body {
    const base = this.#opts.baseUrl();
    return {
      id: f.id,
      created: Math.floor(Date.now() / 1000),
      name: f.filename,
      title: f.title,
      mimetype: 'text/plain',
      // Slack types a file by its snippet_type when given (syntax highlighting), else by its name.
      filetype: f.snippetType ?? f.filename.split('.').pop() ?? 'text',
      user: this.#ws.config.bot.userId,
      size: f.content?.length ?? 0,
      url_private: `${base}/files/${f.id}/${encodeURIComponent(f.filename)}`,
      permalink: `${base}/files/${f.id}`,
    };
  }

  #userJson(u: FakeUser): Body {
    return {
      id: u.id,
      team_id: this.#ws.config.team.id,
      name: u.name,
      deleted: u.deleted === true,
      real_name: u.realName ?? u.name,
      tz: u.tz ?? 'UTC',
      is_bot: u.isBot === true,
      is_admin: false,
      profile: {
        display_name: u.name,
        real_name: u.realName ?? u.name,
        ...(u.email !== undefined ? { email: u.email } : {}),
      },
    };
  }
}

function conversationScope(channel: string | undefined): string | undefined {
  if (channel?.startsWith('G')) return 'groups:read';
  if (channel?.startsWith('D')) return 'im:read';
  return 'channels:read';
}

function ok200(body: Body): ApiReply {
  return { status: 200, headers: {}, body };
}

function injectedReply(spec: FailureSpec): ApiReply {
  if ('error' in spec) return ok200(fail(spec.error));
  if (spec.status === 429) {
    return { status: 429, headers: { 'retry-after': String(spec.retryAfterSec) }, body: fail('ratelimited') };
  }
  return { status: 500, headers: {}, body: fail('internal_error') };
}
