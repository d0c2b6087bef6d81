import type { Policy } from '../../permissions/policy-schema.js';
import { slackSubject, type Subject } from '../../permissions/subject.js';
import type { Asker, SlackDeps } from './deps.js';

/** Whether any grant names a Slack user group: only then is membership worth a Web API call. */
export function policyNamesGroups(policy: Policy | null): boolean {
  return policy?.grants.some((g) => g.subjects.some((s) => s.startsWith('group:'))) ?? false;
}

/**
 * The policy subject for a Slack user in a channel. Group handles are resolved when the policy has
 * group grants (or `whoami` asks to see them); a failure to resolve throws UserGroupsError rather
 * than carrying on as if the user had no groups.
 */
export async function resolveSubject(deps: SlackDeps, asker: Asker, opts: { readonly showGroups?: boolean } = {}): Promise<Subject> {
  const needGroups = opts.showGroups === true || policyNamesGroups(deps.app.policy());
  const groups = needGroups ? await deps.groups.groupsOf(asker.userId) : [];
  return slackSubject(asker.userId, { channelId: asker.channelId, groups, displayName: asker.userName });
}
