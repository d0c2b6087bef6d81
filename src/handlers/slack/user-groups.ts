import { ClabBotError } from '../../errors.js';

/** The two Web API methods this needs (a structural slice of WebClient, so tests can pass a fake). */
export interface UserGroupsClient {
  readonly usergroups: {
    list(args: { include_users?: boolean; include_disabled?: boolean }): Promise<{ usergroups?: readonly RawUsergroup[] }>;
    users: { list(args: { usergroup: string }): Promise<{ users?: readonly string[] }> };
  };
}

interface RawUsergroup {
  readonly id?: string;
  readonly handle?: string;
  readonly users?: readonly string[];
  readonly date_delete?: number;
}

/** The caller's user groups could not be read: group grants cannot be evaluated, so the request is refused. */
export class UserGroupsError extends ClabBotError {
  constructor(detail: string, cause: unknown) {
    super(
      'slack_user_groups',
      `could not read your Slack user groups (${detail}), so grants to groups cannot be checked; try again, or ask an admin to check the app's usergroups:read scope`,
      { cause },
    );
  }
}

export interface UserGroupsOptions {
  /** How long a membership snapshot is trusted. Default 5 minutes. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

interface Snapshot {
  readonly at: number;
  /** user id → group handles */
  readonly byUser: ReadonlyMap<string, readonly string[]>;
}

/**
 * Slack user group membership, for `group:HANDLE` grants. One `usergroups.list` (with members
 * included; groups whose members are missing are completed with `usergroups.users.list`) builds a
 * snapshot of every group, cached for the TTL and shared by all users; concurrent lookups share
 * one refresh. A failure is never read as "no groups": it throws UserGroupsError.
 */
export class SlackUserGroups {
  readonly #client: UserGroupsClient;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #snapshot: Snapshot | undefined;
  #refreshing: Promise<Snapshot> | undefined;

  constructor(client: UserGroupsClient, opts: UserGroupsOptions = {}) {
    this.#client = client;
    this.#ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Handles (without @) of the groups `userId` belongs to. Throws UserGroupsError when Slack cannot tell. */
  async groupsOf(userId: string): Promise<readonly string[]> {
    const snapshot = await this.#current();
    return snapshot.byUser.get(userId) ?? [];
  }

  /** Loads the snapshot now (at start, so the first request does not wait for it). */
  async refresh(): Promise<void> {
    this.#snapshot = undefined;
    await this.#current();
  }

  async #current(): Promise<Snapshot> {
    const s = this.#snapshot;
    if (s !== undefined && this.#now() - s.at < this.#ttlMs) return s;
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #load(): Promise<Snapshot> {
    let groups: readonly RawUsergroup[];
    try {
      groups = (await this.#client.usergroups.list({ include_users: true, include_disabled: false })).usergroups ?? [];
    } catch (err) {
      throw new UserGroupsError(`usergroups.list: ${slackErrorCode(err)}`, err);
    }
    const byUser = new Map<string, string[]>();
    for (const g of groups) {
      if (g.id === undefined || g.handle === undefined || (g.date_delete ?? 0) > 0) continue;
      let users = g.users;
      if (users === undefined) {
        try {
          users = (await this.#client.usergroups.users.list({ usergroup: g.id })).users ?? [];
        } catch (err) {
          throw new UserGroupsError(`usergroups.users.list ${g.handle}: ${slackErrorCode(err)}`, err);
        }
      }
      for (const u of users) byUser.set(u, [...(byUser.get(u) ?? []), g.handle]);
    }
    const snapshot = { at: this.#now(), byUser };
    this.#snapshot = snapshot;
    return snapshot;
  }
}

/** `missing_scope`, `ratelimited`, … from a Web API error; else the error's message. */
export function slackErrorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const data = (err as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : undefined;
    if (message !== undefined) return message;
    if (typeof code === 'string') return code;
  }
  return String(err);
}
