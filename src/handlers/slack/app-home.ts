import type { App as BoltApp } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { ChangeState } from '../../ops/changes/state-machine.js';
import type { ChangeView, TransitionInfo } from '../../ops/changes/types.js';
import type { App } from '../../app.js';
import type { Subject } from '../../permissions/subject.js';
import { HOME_BUDGET, homeView, threadKey } from '../../render/slack/index.js';
import type { SharedState } from '../../ops/shared-state.js';
import type { SlackPoster } from './slack-poster.js';

const MAX_LINKS = 5000;
/** Shared-state names: users who opened their home, and the changes each one's home last listed. */
const VIEWERS = 'home-viewers';
const SHOWN = 'home-shown';

export interface AppHomesDeps {
  readonly app: App;
  readonly poster: SlackPoster;
  readonly logger: Logger;
  /** The policy subject of a user on their App Home (groups read; no channel: the Home tab is in none). */
  readonly subjectOf: (userId: string) => Promise<Subject>;
  /** Background work the front end waits for on stop. */
  readonly track: (requestId: string, work: () => Promise<void>) => void;
  /** Where the viewers and what their homes list are kept for every replica (this process's memory alone). */
  readonly shared?: SharedState;
  readonly now?: () => Date;
}

/**
 * Every user's App Home (views.publish): built when they open it, and published again to the
 * people who may approve a change when it starts waiting for approval, and to everyone it was
 * shown to once it is decided. Users reached: those who opened their home since the bot started
 * and the users the policy names (`user:U…`); a group or channel grant names no one to publish to
 * until they open it. Publishes of one user go out in order.
 *
 * Who opened their home and which changes it listed are kept in the shared state too, so with
 * several replicas the one that sees a change move republishes the homes another replica published.
 */
export class AppHomes {
  readonly #deps: AppHomesDeps;
  /** Users known to have a home: they opened it, or the policy names them. */
  readonly #viewers = new Set<string>();
  /** The changes each user's last published home listed. */
  readonly #shown = new Map<string, ReadonlySet<number>>();
  readonly #queues = new Map<string, Promise<void>>();
  /** Permalinks never change: asked once per message. */
  readonly #links = new Map<string, string>();

  constructor(deps: AppHomesDeps) {
    this.#deps = deps;
  }

  /** A user opened their Home tab. */
  opened(userId: string): void {
    this.#viewers.add(userId);
    const requestId = `home-${randomUUID()}`;
    this.#share(requestId, (s) => s.addMember(VIEWERS, userId));
    this.#publishLater(userId, requestId);
  }

  /** The ChangeService listener (subscribe with app.changes.onTransition). */
  readonly listener = (from: ChangeState | undefined, to: ChangeState, change: ChangeView, _info: TransitionInfo): void => {
    if (from !== 'planned' && to !== 'planned') return;
    this.changed(change);
  };

  /**
   * A change appeared, moved or was decided: the homes that listed it, and (while it waits) the
   * homes of whoever may approve it now, are published again.
   */
  changed(change: ChangeView): void {
    this.#deps.track(change.requestId, async () => {
      const shown = await this.#sharedShown(change.requestId);
      const users = new Set([...shown].filter(([, ids]) => ids.has(change.id)).map(([user]) => user));
      if (change.state === 'planned') {
        for (const user of await this.#candidates(change.requestId)) {
          if (users.has(user)) continue;
          if (this.#deps.app.runner.mayApprove(await this.#deps.subjectOf(user), change)) users.add(user);
        }
      }
      for (const user of users) this.#publishLater(user, change.requestId);
    });
  }

  async #candidates(requestId: string): Promise<Set<string>> {
    const named = (this.#deps.app.policy()?.grants ?? []).flatMap((g) => g.subjects.filter((s) => s.startsWith('user:')).map((s) => s.slice('user:'.length)));
    const elsewhere = await this.#read(requestId, (s) => s.members(VIEWERS), []);
    return new Set([...this.#viewers, ...elsewhere, ...named]);
  }

  /** What each home listed, as recorded by any replica (this process's record when the shared state cannot answer). */
  async #sharedShown(requestId: string): Promise<Map<string, ReadonlySet<number>>> {
    const shared = await this.#read(requestId, (s) => s.fields(SHOWN), {});
    // The shared record is the newest (every replica writes it after each publish).
    const all = new Map(this.#shown);
    for (const [user, ids] of Object.entries(shared)) all.set(user, new Set(JSON.parse(ids) as number[]));
    return all;
  }

  /** A shared read; without an answer (Redis away) this process's own record serves. */
  async #read<T>(requestId: string, read: (s: SharedState) => Promise<T>, otherwise: T): Promise<T> {
    if (this.#deps.shared === undefined) return otherwise;
    try {
      return await read(this.#deps.shared);
    } catch (err) {
      this.#deps.logger.warn({ requestId, err: (err as Error).message }, 'could not read App Home viewers from the shared state');
      return otherwise;
    }
  }

  #share(requestId: string, write: (s: SharedState) => Promise<void>): void {
    const shared = this.#deps.shared;
    if (shared === undefined) return;
    this.#deps.track(requestId, () =>
      write(shared).catch((err: unknown) => this.#deps.logger.warn({ requestId, err: (err as Error).message }, 'could not share App Home viewers')),
    );
  }

  #publishLater(userId: string, requestId: string): void {
    const previous = (this.#queues.get(userId) ?? Promise.resolve()).catch(() => undefined);
    const next = previous.then(() => this.#publish(userId, requestId));
    this.#queues.set(userId, next);
    this.#deps.track(requestId, async () => {
      await next;
      if (this.#queues.get(userId) === next) this.#queues.delete(userId);
    });
  }

  async #publish(userId: string, requestId: string): Promise<void> {
    const ctx = { requestId };
    const subject = await this.#deps.subjectOf(userId);
    const summary = await this.#deps.app.home.summary(subject, userId, { recentLimit: HOME_BUDGET.requests });
    const places = [
      ...summary.awaiting.flatMap((c) => (c.thread ? [{ channel: c.thread.channel, ts: c.thread.threadTs }] : [])),
      ...summary.recent.map((r) => ({ channel: r.channel, ts: r.ts })),
    ];
    await Promise.all(
      places.map(async ({ channel, ts }) => {
        const key = threadKey(channel, ts);
        if (this.#links.has(key)) return;
        const link = await this.#deps.poster.permalink(channel, ts, ctx);
        if (link === undefined) return;
        // Bounded: a long-running bot forgets old links and asks again when one is shown.
        if (this.#links.size >= MAX_LINKS) this.#links.clear();
        this.#links.set(key, link);
      }),
    );
    const now = this.#deps.now?.() ?? new Date();
    if (await this.#deps.poster.publishHome(userId, homeView(summary, this.#links, { now }), ctx)) {
      const ids = summary.awaiting.map((c) => c.id);
      this.#shown.set(userId, new Set(ids));
      this.#share(requestId, (s) => s.setField(SHOWN, userId, JSON.stringify(ids)));
    }
  }
}

/** `app_home_opened`: the Home tab is published for its user (the Messages tab needs nothing). */
export function registerAppHome(bolt: BoltApp, homes: AppHomes, logger: Logger): void {
  bolt.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    logger.debug({ user: event.user }, 'app home opened');
    homes.opened(event.user);
  });
}
