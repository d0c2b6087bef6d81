import type { Request } from '../../grammar/request.js';
import type { Policy } from '../../permissions/policy-schema.js';
import { slackSubject, type Subject } from '../../permissions/subject.js';
import type { Asker, SlackDeps } from './deps.js';
import { UserGroupsError } from './user-groups.js';

/** Whether any grant names a Slack user group: only then is membership worth a Web API call. */
export function policyNamesGroups(policy: Policy | null): boolean {
  return policy?.grants.some((g) => g.subjects.some((s) => s.startsWith('group:'))) ?? false;
}

export interface ResolveOptions {
  /** Read the groups even when no grant names one (`whoami` shows them). */
  readonly showGroups?: boolean;
  /** The request being decided: when the groups cannot be read, its refusal is audited under this id. */
  readonly request?: Request;
  readonly requestId?: string;
}

/**
 * The policy subject for a Slack user in a channel. Group handles are resolved when the policy has
 * group grants (or `whoami` asks to see them); a failure to resolve throws UserGroupsError rather
 * than carrying on as if the user had no groups, after auditing the refusal of `opts.request`.
 */
export async function resolveSubject(deps: SlackDeps, asker: Asker, opts: ResolveOptions = {}): Promise<Subject> {
  const needGroups = opts.showGroups === true || policyNamesGroups(deps.app.policy());
  // The App Home is in no channel: only the user's own and their groups' grants apply there.
  const identity = { channelId: asker.fromHome ? undefined : asker.channelId, displayName: asker.userName };
  let groups: readonly string[] = [];
  if (needGroups) {
    try {
      groups = await deps.groups.groupsOf(asker.userId);
    } catch (err) {
      if (err instanceof UserGroupsError && opts.request !== undefined) {
        await deps.app.runner.recordRefusal(
          opts.request,
          {
            ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
            subject: slackSubject(asker.userId, identity),
            ...(asker.userName !== undefined ? { actorName: asker.userName } : {}),
            channel: asker.channelId,
            source: 'slack',
          },
          { code: err.code, message: err.message },
        );
      }
      throw err;
    }
  }
  return slackSubject(asker.userId, { ...identity, groups });
}

/**
 * Another user's policy subject, as of now (their groups read again): the requester of a change
 * being approved, whose --check command is authorized once more for them. `channel` is the
 * change's channel; none when it was proposed from a terminal.
 */
export function subjectOfUser(deps: Pick<SlackDeps, 'app' | 'groups'>): (userId: string, channel: string | undefined) => Promise<Subject> {
  return async (userId, channel) => {
    const groups = policyNamesGroups(deps.app.policy()) ? await deps.groups.groupsOf(userId) : [];
    return slackSubject(userId, { channelId: channel, groups });
  };
}
