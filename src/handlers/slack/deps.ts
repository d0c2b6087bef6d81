import type { RespondFn } from '@slack/bolt';
import type { App } from '../../app.js';
import type { Logger } from '../../log.js';
import type { AppHomes } from './app-home.js';
import type { ChangeThreads } from './change-threads.js';
import type { RunningRequests } from './running-requests.js';
import type { SlackPoster } from './slack-poster.js';
import type { SlackUserGroups } from './user-groups.js';

/** What every listener gets: the core, the Slack gateway, and the front end's own bookkeeping. */
export interface SlackDeps {
  readonly app: App;
  readonly poster: SlackPoster;
  readonly groups: SlackUserGroups;
  /** Change threads: where proposals are, and their updates as changes move. */
  readonly threads: ChangeThreads;
  /** Users' App Homes, published again as changes wait for approval and are decided. */
  readonly homes: AppHomes;
  /** Requests doing device work that a Cancel press may stop. */
  readonly running: RunningRequests;
  readonly logger: Logger;
  /** Least time before the first live-status update of a root message; each later one waits twice as long. */
  readonly statusIntervalMs: number;
  /** Aborted when the front end stops: cancels device work still running. */
  readonly signal: AbortSignal;
  /** Runs work after the ack, keeping it until it settles so stop() can wait for it. Never rejects. */
  track(requestId: string, work: () => Promise<void>): void;
}

/** Who asked, where, and how to answer them privately. */
export interface Asker {
  readonly userId: string;
  readonly userName?: string | undefined;
  readonly channelId: string;
  /** The command's or button's response_url (absent for modal submissions and App Home presses). */
  readonly respond?: RespondFn | undefined;
  /**
   * The press came from the user's App Home, which is in no channel: `channelId` is then the user's
   * id, private answers go to their direct messages with the bot, and channel grants do not apply.
   */
  readonly fromHome?: boolean;
}
