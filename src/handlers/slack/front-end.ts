import { App as BoltApp, HTTPReceiver, LogLevel, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Server } from 'node:http';
import { ReplayGuard, refuseReplays } from './replay-guard.js';
import { sharedStateFor } from '../../ops/shared-state.js';
import { handleEachOnce } from './deliveries.js';
import { closeOrphans } from './orphans.js';
import type { AddressInfo } from 'node:net';
import type { App } from '../../app.js';
import { ClabBotError, SettingsError } from '../../errors.js';
import { boltLogger } from './bolt-logger.js';
import { AppHomes, registerAppHome } from './app-home.js';
import { registerCancelButton } from './cancel-button.js';
import { ChannelPacer } from './channel-pacer.js';
import { registerChangeButtons } from './change-buttons.js';
import { registerDriftButtons } from './drift-buttons.js';
import { startScheduledJobs, type ScheduledJobs } from './scheduled-jobs.js';
import { ChangeThreads } from './change-threads.js';
import { registerCommand } from './command.js';
import { registerConfigSubmission } from './config-modal-flow.js';
import type { SlackDeps } from './deps.js';
import { RunningRequests } from './running-requests.js';
import { SlackPoster } from './slack-poster.js';
import { policyNamesGroups, subjectOfUser } from './subjects.js';
import { SlackUserGroups, slackErrorCode } from './user-groups.js';

type RetryOptions = NonNullable<webApi.WebClientOptions['retryConfig']>;

/**
 * Web API retries: 429s wait for Retry-After (the SDK pauses its queue), 5xx and network errors back
 * off 0.5, 1, 2, 4 s. Bounded, so a dead Slack costs a request about 10 s, not the SDK's default 30 minutes.
 */
export const SLACK_RETRY: RetryOptions = { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true };

export interface SlackFrontEndOptions {
  /** The slash command. Default `/clab`. */
  readonly command?: string;
  /** Socket Mode: unit of the reconnect back-off and ping timeout (SDK clientPingTimeout). Default 5000 ms. */
  readonly clientPingTimeoutMs?: number;
  /** Least time before a root message's first live-status update; later ones back off, doubling. Default 2000 ms. */
  readonly statusIntervalMs?: number;
  /** HTTP mode: port (default settings.slack.port) and address (default every interface). */
  readonly httpPort?: number;
  readonly httpHost?: string;
  /** How long a user-group snapshot is trusted. Default 5 minutes. */
  readonly userGroupsTtlMs?: number;
  /** How long stop() lets running requests finish before cancelling them. Default 10 s. */
  readonly stopGraceMs?: number;
  readonly retryConfig?: RetryOptions;
  /** Run the scheduled jobs on their cron timers once started. Default true; tests call the jobs themselves. */
  readonly scheduleTimers?: boolean;
}

export interface SlackFrontEnd {
  /** Connects (Socket Mode) or listens (HTTP); resolves once Slack can reach the bot. */
  start(): Promise<void>;
  /** Stops taking events, lets running requests finish (then cancels them), and returns. */
  stop(): Promise<void>;
  readonly bolt: BoltApp;
  readonly mode: 'socket' | 'http';
  /** Scheduled backups and drift checks (settings), running while the front end is started. */
  readonly jobs: ScheduledJobs;
  /** HTTP mode, once started: where Slack sends commands and interactions. */
  readonly eventsUrl: string | undefined;
}

/**
 * The Slack front end over the core: a Bolt app in Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN)
 * or HTTP mode (SLACK_SIGNING_SECRET, signatures checked by Bolt). SLACK_API_URL redirects every
 * Web API call, and with it the Socket Mode connection. A missing token throws a SettingsError
 * naming the variable.
 */
export function createSlackFrontEnd(app: App, opts: SlackFrontEndOptions = {}): SlackFrontEnd {
  const s = app.settings.slack;
  const botToken = required('SLACK_BOT_TOKEN', s.botToken, 'the bot token (xoxb-…) from the Slack app\'s "OAuth & Permissions" page');
  const clientOptions: webApi.WebClientOptions = {
    ...(s.apiUrl !== undefined ? { slackApiUrl: s.apiUrl } : {}),
    retryConfig: opts.retryConfig ?? SLACK_RETRY,
    timeout: 15_000,
  };
  const logger = app.logger.child({ component: 'slack' });
  const sdkLogger = boltLogger(logger, LogLevel.WARN);
  // What replicas share (CLAB_BOT_REDIS): deliveries handled, requests seen, requests running.
  const shared = sharedStateFor(app.settings.redis, logger);

  let receiver: SocketModeReceiver | HTTPReceiver;
  if (s.mode === 'socket') {
    const appToken = required(
      'SLACK_APP_TOKEN',
      s.appToken,
      'an app-level token (xapp-…) with connections:write, for Socket Mode (or set SLACK_SIGNING_SECRET and slack.mode: http)',
    );
    if (!appToken.startsWith('xapp-')) throw new SettingsError('SLACK_APP_TOKEN', 'must be an app-level token (xapp-…), not a bot or user token');
    // A copy: the socket client writes into its options, which must not leak into the bot's client.
    receiver = new SocketModeReceiver({
      appToken,
      logger: sdkLogger,
      clientPingTimeout: opts.clientPingTimeoutMs ?? 5000,
      installerOptions: { clientOptions: { ...clientOptions } },
    });
  } else {
    const signingSecret = required('SLACK_SIGNING_SECRET', s.signingSecret, 'the signing secret from the Slack app\'s "Basic Information" page, for HTTP mode');
    const http = new HTTPReceiver({ signingSecret, endpoints: '/slack/events', logger: sdkLogger, processBeforeResponse: false });
    // Bolt reads this property for every request, so the guard sees each one before Bolt does.
    http.requestListener = refuseReplays(
      http.requestListener,
      new ReplayGuard(shared),
      () => logger.warn('refused a replayed Slack request (same timestamp and signature seen within 5 minutes)'),
      (err) => logger.warn({ err: err.message }, 'could not check a Slack request for a replay (Redis); Bolt still checks its signature and age'),
    );
    receiver = http;
  }
  const bolt = new BoltApp({ token: botToken, receiver, logger: sdkLogger, clientOptions, deferInitialization: true });

  const abort = new AbortController();
  const inflight = new Set<Promise<void>>();
  const pacer = new ChannelPacer({ perSec: app.settings.limits.slack_calls_per_sec_per_channel, ...(app.shared ? { shared: app.shared.bottleneck } : {}) });
  const poster = new SlackPoster(bolt.client, pacer, logger);
  const groups = new SlackUserGroups(bolt.client, { ...(opts.userGroupsTtlMs !== undefined ? { ttlMs: opts.userGroupsTtlMs } : {}) });
  const track = (requestId: string, work: () => Promise<void>): void => {
    const task: Promise<void> = work()
      .catch((err: unknown) => {
        logger.error({ requestId, err }, 'slack request failed');
      })
      .finally(() => inflight.delete(task));
    inflight.add(task);
  };
  const ofUser = subjectOfUser({ app, groups });
  const homes = new AppHomes({ app, poster, logger, track, shared, subjectOf: (user) => ofUser(user, undefined) });
  const threads = new ChangeThreads({ app, poster, logger, track, onShown: (change) => homes.changed(change) });
  const deps: SlackDeps = {
    app,
    poster,
    groups,
    threads,
    homes,
    running: new RunningRequests(shared, { logger, ttlMs: (app.settings.limits.request_deadline_sec + 60) * 1000 }),
    logger,
    statusIntervalMs: opts.statusIntervalMs ?? 2000,
    signal: abort.signal,
    track,
  };

  // First: a retried delivery of an action already handled (here or on another replica) stops here.
  bolt.use(handleEachOnce(shared, logger));
  registerCommand(bolt, deps, opts.command);
  registerConfigSubmission(bolt, deps);
  registerChangeButtons(bolt, deps);
  registerDriftButtons(bolt, deps);
  // Timers start with start(); until then (and in tests) the jobs run only when called.
  let jobs = startScheduledJobs(deps, { timers: false });
  registerCancelButton(bolt, deps);
  registerAppHome(bolt, homes, logger);
  bolt.error(async (error) => {
    logger.error({ err: error, code: error.code }, 'slack listener failed');
  });

  let eventsUrl: string | undefined;
  let started = false;
  let orphanTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    bolt,
    mode: s.mode,
    get jobs() {
      return jobs;
    },
    get eventsUrl() {
      return eventsUrl;
    },
    async start() {
      try {
        await bolt.init();
      } catch (err) {
        throw new ClabBotError(
          'slack_auth',
          `Slack refused the bot token (${slackErrorCode(err)}): check SLACK_BOT_TOKEN${s.apiUrl ? ` and SLACK_API_URL (${s.apiUrl})` : ''}`,
          { cause: err },
        );
      }
      // Subscribed before recovery, so changes a crash left applying are reported in their threads.
      const unsubscribeThreads = app.changes.onTransition(threads.listener);
      const unsubscribeHomes = app.changes.onTransition(homes.listener);
      unsubscribe = () => {
        unsubscribeThreads();
        unsubscribeHomes();
      };
      try {
        await app.recoverChanges();
      } catch (err) {
        logger.error({ err }, 'recovering change requests at start failed');
      }
      if (policyNamesGroups(app.policy())) {
        // Warm the membership cache so the first request does not wait; a failure is retried per request.
        await groups.refresh().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'could not read Slack user groups at start'));
      }
      try {
        if (receiver instanceof HTTPReceiver) {
          const server = (await bolt.start({ port: opts.httpPort ?? s.port, ...(opts.httpHost !== undefined ? { host: opts.httpHost } : {}) })) as Server;
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          eventsUrl = `http://${host}:${address.port}/slack/events`;
        } else {
          await bolt.start();
        }
      } catch (err) {
        unsubscribe();
        unsubscribe = undefined;
        throw err;
      }
      // Cancels pressed on other replicas; not awaited: with Redis away the front end still serves.
      deps.running.listen().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'not listening for cancels from other replicas'));
      // This replica's heartbeat, and the check for requests a dead replica left running (on one replica
      // at a time), on the agents' timing: heartbeat_sec, and lost after lost_after_sec.
      const { heartbeatSec, lostAfterSec } = app.settings.agents;
      await deps.running.beat(heartbeatSec * 1000, lostAfterSec * 1000);
      orphanTimer = setInterval(() => {
        app.exclusive
          .run('orphaned-requests', async () => void (await closeOrphans(deps, `orphans-${Date.now()}`)))
          .catch((err: unknown) => logger.error({ err }, 'closing requests of a replica that went away failed'));
      }, lostAfterSec * 1000);
      orphanTimer.unref();
      started = true;
      jobs.stop();
      jobs = startScheduledJobs(deps, { timers: opts.scheduleTimers ?? true });
    },
    async stop() {
      jobs.stop();
      if (started) {
        started = false;
        await bolt.stop().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'stopping the Slack receiver failed'));
      }
      // Running requests (an apply included) may finish and report; then the rest is cancelled.
      if (!(await settled(inflight, opts.stopGraceMs ?? 10_000))) {
        abort.abort(new ClabBotError('cancelled', 'clab-bot is shutting down'));
        await settled(inflight, 5000);
      }
      unsubscribe?.();
      unsubscribe = undefined;
      pacer.stop();
      clearInterval(orphanTimer);
      await deps.running.stop();
      await shared.close();
    },
  };
}

function required(key: string, value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new SettingsError(key, `is not set: ${what}`);
  return value;
}

/** Waits for every task (including ones added meanwhile) up to `ms`; true when none is left. */
async function settled(tasks: Set<Promise<void>>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (tasks.size > 0 && Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...tasks]), new Promise((r) => (timer = setTimeout(r, Math.max(1, deadline - Date.now()))))]);
    clearTimeout(timer);
  }
  return tasks.size === 0;
}
