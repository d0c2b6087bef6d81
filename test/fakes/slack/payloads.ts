import { FakeSlackError } from './errors.js';
import type { AppHomeOpenedInput, BlockActionInput, SlashCommandInput, SlackPayload, ViewSubmissionInput } from './types.js';
import type { Workspace } from './workspace.js';

export const DEFAULT_USER = 'U_TESTER';
export const DEFAULT_CHANNEL = 'C_LAB';
/** The deprecated verification token Slack still sends; Bolt never checks it. */
const VERIFICATION_TOKEN = 'fake-verification-token';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type FoundAction = { block_id: string | undefined; element: Record<string, unknown> };

/** Finds the interactive element with this action_id in a message's blocks, and the block holding it. */
function findAction(blocks: unknown[] | undefined, actionId: string): FoundAction | undefined {
  for (const block of blocks ?? []) {
    if (!isRecord(block)) continue;
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory, block.element];
    for (const element of candidates) {
      if (isRecord(element) && element.action_id === actionId) {
        return { block_id: typeof block.block_id === 'string' ? block.block_id : undefined, element };
      }
    }
  }
  return undefined;
}

/** Every element with this action_id, and its block (a home lists many changes, each with its own Approve). */
function allActions(blocks: unknown[], actionId: string): FoundAction[] {
  const out: FoundAction[] = [];
  for (const block of blocks) {
    const found = findAction([block], actionId);
    if (found !== undefined) out.push(found);
  }
  return out;
}

/** The clicked action as Slack reports it: `input.action` when given, else a button built from the element clicked. */
function buttonAction(input: BlockActionInput, found: FoundAction | undefined, value: string | undefined): Record<string, unknown> {
  const element = found?.element;
  return (
    input.action ?? {
      type: 'button',
      action_id: input.action_id,
      block_id: input.block_id ?? found?.block_id ?? 'actions',
      value,
      text: isRecord(element?.text) ? element.text : { type: 'plain_text', text: input.action_id, emoji: true },
      ...(element?.style !== undefined ? { style: element.style } : {}),
      action_ts: `${(Date.now() / 1000).toFixed(6)}`,
    }
  );
}

/**
 * Builds the payloads Slack sends to an app, each with a live response_url and trigger_id on the fake,
 * so the same payload serves Socket Mode envelopes and signed HTTP requests.
 */
export class PayloadFactory {
  readonly #ws: Workspace;
  readonly #baseUrl: () => string;

  constructor(workspace: Workspace, baseUrl: () => string) {
    this.#ws = workspace;
    this.#baseUrl = baseUrl;
  }

  #userRef(id: string): Record<string, unknown> {
    const name = this.#ws.user(id)?.name ?? id.toLowerCase();
    return { id, username: name, name, team_id: this.#ws.config.team.id };
  }

  #channelName(id: string): string {
    return id.startsWith('D') ? 'directmessage' : (this.#ws.channel(id)?.name ?? id.toLowerCase());
  }

  #responseUrl(channel: string, user: string, messageTs: string | undefined): string {
    return `${this.#baseUrl()}/response/${this.#ws.issueResponseUrl({ channel, user, messageTs })}`;
  }

  /** §1.1 fields, all strings, exactly as the form body (HTTP) or envelope payload (Socket Mode) carries them. */
  slashCommand(input: SlashCommandInput): Record<string, string> {
    const { team, appId } = this.#ws.config;
    const user = input.user_id ?? DEFAULT_USER;
    const channel = input.channel_id ?? DEFAULT_CHANNEL;
    return {
      token: VERIFICATION_TOKEN,
      team_id: team.id,
      team_domain: team.domain,
      channel_id: channel,
      channel_name: input.channel_name ?? this.#channelName(channel),
      user_id: user,
      user_name: input.user_name ?? this.#ws.user(user)?.name ?? user.toLowerCase(),
      command: input.command ?? '/clab',
      text: input.text,
      api_app_id: appId,
      is_enterprise_install: 'false',
      response_url: this.#responseUrl(channel, user, undefined),
      trigger_id: this.#ws.issueTrigger(user),
    };
  }

  /** §2.2 block_actions. When the fake holds the message, the action must exist in its current blocks. */
  blockAction(input: BlockActionInput): SlackPayload {
    if (input.home === true) return this.#homeBlockAction(input);
    const user = input.user ?? DEFAULT_USER;
    const channel = input.channel ?? DEFAULT_CHANNEL;
    const message = input.message_ts === undefined || input.is_ephemeral ? undefined : this.#ws.findMessage(channel, input.message_ts);
    const found = message === undefined ? undefined : findAction(message.blocks, input.action_id);
    if (message !== undefined && found === undefined && input.action === undefined) {
      throw new FakeSlackError(
        'unknown_action',
        `message ${message.ts} in ${channel} has no element with action_id ${input.action_id}: a user cannot click it`,
      );
    }
    const element = found?.element;
    const value = input.value ?? (typeof element?.value === 'string' ? element.value : undefined);
    return {
      ...this.#blockActionEnvelope(user),
      container: {
        type: 'message',
        message_ts: input.message_ts,
        channel_id: channel,
        is_ephemeral: input.is_ephemeral === true,
      },
      channel: { id: channel, name: this.#channelName(channel) },
      ...(message !== undefined
        ? {
            message: {
              type: 'message',
              ts: message.ts,
              text: message.text,
              user: message.user,
              bot_id: message.bot_id,
              blocks: message.blocks ?? [],
              ...(message.thread_ts !== undefined ? { thread_ts: message.thread_ts } : {}),
            },
          }
        : {}),
      state: { values: {} },
      response_url: this.#responseUrl(channel, user, input.message_ts),
      actions: [buttonAction(input, found, value)],
    };
  }

  /**
   * A click on the user's published Home tab: `container.type` is `view`, the view rides along, and
   * there is no channel, message or response_url. The element must be in the home's current blocks
   * (unless `action` is given, as a client showing an older home would send it).
   */
  #homeBlockAction(input: BlockActionInput): SlackPayload {
    const user = input.user ?? DEFAULT_USER;
    const home = this.#ws.home(user);
    if (home === undefined) throw new FakeSlackError('unknown_view', `no Home tab was published for ${user}: a user cannot click on it`);
    const blocks = Array.isArray(home.view.blocks) ? (home.view.blocks as unknown[]) : [];
    // A home lists many changes, each with its own Approve: `value` says which one is clicked.
    const chosen = allActions(blocks, input.action_id).find((a) => input.value === undefined || a.element.value === input.value);
    if (chosen === undefined && input.action === undefined) {
      const which = input.value === undefined ? '' : ` with value ${input.value}`;
      throw new FakeSlackError('unknown_action', `the Home tab of ${user} has no ${input.action_id} element${which}: a user cannot click it`);
    }
    const element = chosen?.element;
    const value = typeof element?.value === 'string' ? element.value : input.value;
    return {
      ...this.#blockActionEnvelope(user),
      container: { type: 'view', view_id: home.id },
      view: this.#ws.renderView(home),
      state: { values: {} },
      actions: [buttonAction(input, chosen, value)],
    };
  }

  /** What every block_actions payload carries, wherever the click was. */
  #blockActionEnvelope(user: string): SlackPayload {
    const { team, appId } = this.#ws.config;
    return {
      type: 'block_actions',
      team: { id: team.id, domain: team.domain },
      enterprise: null,
      is_enterprise_install: false,
      user: this.#userRef(user),
      api_app_id: appId,
      token: VERIFICATION_TOKEN,
      trigger_id: this.#ws.issueTrigger(user),
    };
  }

  /** An `events_api` payload carrying `app_home_opened` for the user's DM with the app. */
  appHomeOpened(input: AppHomeOpenedInput): SlackPayload {
    const { team, appId, bot } = this.#ws.config;
    const user = input.user ?? DEFAULT_USER;
    const home = this.#ws.home(user);
    const eventTs = `${(Date.now() / 1000).toFixed(6)}`;
    return {
      token: VERIFICATION_TOKEN,
      team_id: team.id,
      api_app_id: appId,
      event: {
        type: 'app_home_opened',
        user,
        channel: `D${user.slice(1)}`,
        tab: input.tab ?? 'home',
        event_ts: eventTs,
        ...(home !== undefined ? { view: this.#ws.renderView(home) } : {}),
      },
      type: 'event_callback',
      event_id: this.#ws.ids.next('Ev'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: team.id, user_id: bot.userId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
  }

  /** §2.5 view_submission; with `view.id`, the view the app opened (its blocks, title, hash) is sent back. */
  viewSubmission(input: ViewSubmissionInput): SlackPayload {
    const { team, appId } = this.#ws.config;
    const user = input.user ?? DEFAULT_USER;
    let base: Record<string, unknown>;
    if (input.view.id !== undefined) {
      const stored = this.#ws.view(input.view.id);
      if (stored === undefined) throw new FakeSlackError('unknown_view', `no view ${input.view.id} was opened through views.open`);
      base = this.#ws.renderView(stored);
    } else {
      base = this.#ws.renderView(this.#ws.transientView({ type: 'modal', callback_id: input.view.callback_id }, user));
    }
    return {
      type: 'view_submission',
      team: { id: team.id, domain: team.domain },
      enterprise: null,
      is_enterprise_install: false,
      user: this.#userRef(user),
      api_app_id: appId,
      token: VERIFICATION_TOKEN,
      trigger_id: this.#ws.issueTrigger(user),
      view: {
        ...base,
        callback_id: input.view.callback_id,
        private_metadata: input.view.private_metadata ?? (typeof base.private_metadata === 'string' ? base.private_metadata : ''),
        state: input.view.state ?? { values: {} },
      },
      response_urls: [],
    };
  }
}
