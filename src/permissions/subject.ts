import { SettingsError } from '../errors.js';

/** Who is asking, as the policy sees them. Group handles are resolved by the front end beforehand. */
export interface PolicySubject {
  /** Slack user ID (`U0ALICE`). */
  readonly userId: string;
  /** Slack channel the request came from, if any (`C0LAB`). */
  readonly channelId?: string | undefined;
  /** Slack user group handles the user belongs to (`netops`, with or without `@`). */
  readonly groups: readonly string[];
  /** For messages only; never used to decide. */
  readonly displayName?: string | undefined;
}

/**
 * A Slack user, or the terminal. The terminal runs as the host's operator, who can read the lab
 * files anyway, so it is trusted unless settings bind it to a policy subject (`terminal_subject`).
 */
export type Subject =
  | ({ readonly kind: 'slack' } & PolicySubject)
  | ({ readonly kind: 'terminal'; readonly trusted: false } & PolicySubject)
  | {
      readonly kind: 'terminal';
      readonly trusted: true;
      /** Who approved or requested, in change records (`terminal`, or `terminal:alice` from the OS user). */
      readonly id?: string | undefined;
      readonly displayName?: string | undefined;
    };

export function slackSubject(
  userId: string,
  options: { channelId?: string | undefined; groups?: readonly string[]; displayName?: string | undefined } = {},
): Subject {
  return { kind: 'slack', userId, channelId: options.channelId, groups: options.groups ?? [], displayName: options.displayName };
}

/**
 * The terminal's subject: trusted when `binding` (settings `terminal_subject`) is unset, otherwise the
 * bound Slack user (`user:U…`), with the groups the caller resolved for that user.
 */
export function terminalSubject(
  binding: string | undefined,
  options: { groups?: readonly string[]; displayName?: string | undefined; id?: string | undefined } = {},
): Subject {
  if (binding === undefined || binding === '') {
    return { kind: 'terminal', trusted: true, id: options.id, displayName: options.displayName };
  }
  const match = /^user:([UW][A-Z0-9]{2,})$/.exec(binding);
  if (match?.[1] === undefined) {
    throw new SettingsError('terminal_subject', `\`${binding}\` is not a Slack user; write user:U… (the member ID from the Slack profile)`);
  }
  return { kind: 'terminal', trusted: false, userId: match[1], groups: options.groups ?? [], displayName: options.displayName };
}

/** Whether the policy applies to this subject (everything but the unbound terminal). */
export function isPolicySubject(subject: Subject): subject is Subject & PolicySubject {
  return !(subject.kind === 'terminal' && subject.trusted);
}

/** The identity recorded for requests and approvals: the Slack user ID, or the terminal's id. */
export function subjectId(subject: Subject): string {
  return isPolicySubject(subject) ? subject.userId : (subject.id ?? 'terminal');
}

function normaliseGroup(handle: string): string {
  return handle.replace(/^@/, '').toLowerCase();
}

/** Whether one `subjects:` entry of a grant names this subject. */
export function grantSubjectMatches(grantSubject: string, subject: PolicySubject): boolean {
  if (grantSubject === '*') return true;
  const cut = grantSubject.indexOf(':');
  const type = grantSubject.slice(0, cut);
  const value = grantSubject.slice(cut + 1);
  switch (type) {
    case 'user':
      return subject.userId === value;
    case 'channel':
      return subject.channelId !== undefined && subject.channelId === value;
    case 'group':
      return subject.groups.some((g) => normaliseGroup(g) === normaliseGroup(value));
    default:
      return false;
  }
}

const SPECIFICITY = ['user:', 'group:', 'channel:', '*'];

/** The most specific entry of a grant's subjects naming this subject (user, then group, channel, `*`). */
export function matchingGrantSubject(subjects: readonly string[], subject: PolicySubject): string | undefined {
  const matches = subjects.filter((s) => grantSubjectMatches(s, subject));
  const rank = (s: string): number => SPECIFICITY.findIndex((prefix) => s.startsWith(prefix));
  return matches.sort((a, b) => rank(a) - rank(b))[0];
}

/** `user:U0ALICE (alice) in channel:C0LAB, groups: netops` / `the terminal operator (trusted)`. */
export function describeSubjectIdentity(subject: Subject): string {
  if (!isPolicySubject(subject)) {
    return `the terminal operator${subject.displayName === undefined ? '' : ` (${subject.displayName})`}, trusted`;
  }
  const parts = [`user:${subject.userId}${subject.displayName === undefined ? '' : ` (${subject.displayName})`}`];
  if (subject.kind === 'terminal') parts.push('at the terminal (terminal_subject)');
  if (subject.channelId !== undefined) parts.push(`channel:${subject.channelId}`);
  parts.push(`groups: ${subject.groups.length === 0 ? 'none' : subject.groups.map(normaliseGroup).join(', ')}`);
  return parts.join(', ');
}
