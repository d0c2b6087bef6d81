import type { RespondFn, types, webApi } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { redactObject, redactText, redactTextAsync } from '../../redact/index.js';
import type { HomeView, ModalView, SlackMessage, ThreadPost } from '../../render/slack/index.js';
import type { SlackFile } from '../../render/slack/block-types.js';
import type { ChannelPacer } from './channel-pacer.js';
import { slackErrorCode } from './user-groups.js';

type WebClient = webApi.WebClient;
type SdkBlocks = types.KnownBlock[];
type SdkView = webApi.ViewsOpenArguments['view'];
type SdkHomeView = webApi.ViewsPublishArguments['view'];

export interface CallContext {
  /** The request the call belongs to, for the log line when it fails. */
  readonly requestId: string;
}

/**
 * Every message, update, file and view the bot sends goes through here: the one gateway that
 * paces new messages per channel, passes every string through secret redaction on the way out, and
 * turns a failed call into a log line with the request id (never an exception, never a crash).
 * Methods return what the caller needs (a ts, whether it worked) or undefined/false on failure.
 *
 * Pacing: Slack limits new messages per channel (about one per second), so chat.postMessage and
 * file shares wait for the channel's pacer. Updates and ephemeral replies are limited per
 * workspace instead (Tier 3 / Tier 4); they are not held back here, the live status already keeps
 * updates rare, and a 429 is retried after its Retry-After by the SDK.
 */
export class SlackPoster {
  readonly #client: WebClient;
  readonly #pacer: ChannelPacer;
  readonly #logger: Logger;

  constructor(client: WebClient, pacer: ChannelPacer, logger: Logger) {
    this.#client = client;
    this.#pacer = pacer;
    this.#logger = logger;
  }

  /** chat.postMessage; the message's ts, or undefined when the post failed. */
  async post(channel: string, message: SlackMessage, ctx: CallContext & { readonly threadTs?: string | undefined }): Promise<string | undefined> {
    const m = safe(message);
    const res = await this.#call('chat.postMessage', channel, ctx, () =>
      this.#client.chat.postMessage({ channel, text: m.text, blocks: m.blocks as SdkBlocks, ...(ctx.threadTs ? { thread_ts: ctx.threadTs } : {}) }),
    );
    return typeof res?.ts === 'string' ? res.ts : undefined;
  }

  /** chat.update of one of the bot's messages. */
  async update(channel: string, ts: string, message: SlackMessage, ctx: CallContext): Promise<boolean> {
    const m = safe(message);
    const res = await this.#call(
      'chat.update',
      channel,
      ctx,
      () => this.#client.chat.update({ channel, ts, text: m.text, blocks: m.blocks as SdkBlocks }),
      false,
    );
    return res !== undefined;
  }

  /** chat.postEphemeral: a message only `user` sees. */
  async ephemeral(channel: string, user: string, message: SlackMessage, ctx: CallContext): Promise<boolean> {
    const m = safe(message);
    const res = await this.#call(
      'chat.postEphemeral',
      channel,
      ctx,
      () => this.#client.chat.postEphemeral({ channel, user, text: m.text, blocks: m.blocks as SdkBlocks }),
      false,
    );
    return res !== undefined;
  }

  /**
   * A reply only the asker sees: through the command's response_url when there is one (no Web API
   * call), else chat.postEphemeral; for a press on the App Home (no channel to answer in), a
   * direct message from the bot.
   */
  async reply(
    target: { readonly channelId: string; readonly userId: string; readonly respond?: RespondFn | undefined; readonly fromHome?: boolean },
    message: SlackMessage,
    ctx: CallContext,
  ): Promise<boolean> {
    if (target.fromHome === true) return (await this.post(target.userId, message, ctx)) !== undefined;
    if (target.respond !== undefined) {
      const m = safe(message);
      try {
        await target.respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks as SdkBlocks });
        return true;
      } catch (err) {
        this.#failed('response_url', target.channelId, ctx, err);
      }
    }
    return this.ephemeral(target.channelId, target.userId, message, ctx);
  }

  /**
   * A thread post: chat.postMessage, or files.uploadV2 carrying the message's blocks with the file
   * (one message, two API calls). If the upload fails, the message is posted without the file and says so.
   */
  async thread(channel: string, threadTs: string, post: ThreadPost, ctx: CallContext): Promise<boolean> {
    if (post.file === undefined) return (await this.post(channel, post.message, { ...ctx, threadTs })) !== undefined;
    const m = safe(post.message);
    const file = post.file;
    let content: Buffer | undefined;
    try {
      content = await fileBytes(file.content);
    } catch (err) {
      this.#logger.error({ err, channel }, 'could not make the file to attach');
    }
    const uploaded = content === undefined ? undefined : await this.#call('files.uploadV2', channel, ctx, () =>
      this.#client.filesUploadV2({
        channel_id: channel,
        thread_ts: threadTs,
        file: content,
        filename: file.filename,
        ...(file.snippetType ? { snippet_type: file.snippetType } : {}),
        title: redactText(file.title),
        blocks: m.blocks as SdkBlocks,
      }),
    );
    if (uploaded !== undefined) return true;
    const note: SlackMessage = {
      text: post.message.text,
      blocks: [
        ...post.message.blocks.slice(0, 48),
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: ':warning: the file with the full output could not be attached (see the bot log); run the request in the terminal for it' },
          ],
        },
      ],
    };
    return (await this.post(channel, note, { ...ctx, threadTs })) !== undefined;
  }

  /** views.open; must run within 3 s of the trigger, so it is never paced. */
  async openView(triggerId: string, view: ModalView, ctx: CallContext): Promise<boolean> {
    try {
      await this.#client.views.open({ trigger_id: triggerId, view: redactObject(view) as unknown as SdkView });
      return true;
    } catch (err) {
      this.#failed('views.open', undefined, ctx, err);
      return false;
    }
  }

  /** views.publish of a user's App Home; per workspace (Tier 4), so not paced per channel. */
  async publishHome(userId: string, view: HomeView, ctx: CallContext): Promise<boolean> {
    try {
      await this.#client.views.publish({ user_id: userId, view: redactObject(view) as unknown as SdkHomeView });
      return true;
    } catch (err) {
      this.#failed('views.publish', undefined, ctx, err);
      return false;
    }
  }

  /** chat.getPermalink of a message; undefined when Slack has none to give (the message or channel is gone). */
  async permalink(channel: string, ts: string, ctx: CallContext): Promise<string | undefined> {
    try {
      const res = await this.#client.chat.getPermalink({ channel, message_ts: ts });
      return typeof res.permalink === 'string' ? res.permalink : undefined;
    } catch (err) {
      this.#failed('chat.getPermalink', channel, ctx, err);
      return undefined;
    }
  }

  async #call<T>(method: string, channel: string, ctx: CallContext, fn: () => Promise<T>, paced = true): Promise<T | undefined> {
    try {
      return await (paced ? this.#pacer.run(channel, fn) : fn());
    } catch (err) {
      this.#failed(method, channel, ctx, err);
      return undefined;
    }
  }

  #failed(method: string, channel: string | undefined, ctx: CallContext, err: unknown): void {
    this.#logger.error({ requestId: ctx.requestId, method, channel, error: slackErrorCode(err) }, 'slack call failed');
  }
}

/** Redacts every string of a message on its way out (idempotent: rendered text is already redacted). */
function safe(message: SlackMessage): SlackMessage {
  return redactObject(message);
}

/**
 * A file's bytes, redacted piece by piece with a yield to the event loop between pieces, so
 * building a large attachment never stalls the acks of other users' commands.
 */
async function fileBytes(content: SlackFile['content']): Promise<Buffer> {
  if (typeof content === 'object' && 'bytes' in content) return content.bytes();
  const pieces = typeof content === 'string' ? [content] : content;
  const buffers: Buffer[] = [];
  for (const piece of pieces) {
    buffers.push(Buffer.from(await redactTextAsync(piece), 'utf8'));
    await yieldToEventLoop();
  }
  return Buffer.concat(buffers);
}
