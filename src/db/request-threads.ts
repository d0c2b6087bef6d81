import type { Kysely } from 'kysely';
import { redactText } from '../redact/index.js';
import type { Database } from './schema.js';

/** Where one chat request was answered: its thread's root message. */
export interface RequestThread {
  readonly requestId: string;
  readonly userId: string;
  readonly channel: string;
  readonly ts: string;
  /** The request as typed, redacted. */
  readonly what: string;
  readonly at: Date;
}

/** The threads of chat requests (migrations/0011_request_threads.ts), newest first per user. */
export class RequestThreadsRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async record(thread: RequestThread): Promise<void> {
    await this.#db
      .insertInto('request_threads')
      .values({
        request_id: thread.requestId,
        user_id: thread.userId,
        channel: thread.channel,
        ts: thread.ts,
        what: redactText(thread.what),
        at: thread.at.toISOString(),
      })
      .onConflict((oc) => oc.column('request_id').doNothing())
      .execute();
  }

  /** The thread of one request, if it had one. */
  async get(requestId: string): Promise<RequestThread | undefined> {
    const r = await this.#db.selectFrom('request_threads').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    return r === undefined ? undefined : { requestId: r.request_id, userId: r.user_id, channel: r.channel, ts: r.ts, what: r.what, at: new Date(r.at) };
  }

  /** The user's last `limit` requests, newest first. */
  async recentFor(userId: string, limit: number): Promise<RequestThread[]> {
    const rows = await this.#db
      .selectFrom('request_threads')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('at', 'desc')
      .orderBy('request_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ requestId: r.request_id, userId: r.user_id, channel: r.channel, ts: r.ts, what: r.what, at: new Date(r.at) }));
  }
}
