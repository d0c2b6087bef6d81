import type { ClabBotError } from './errors.js';
import type { RequestResult } from './ops/results.js';

/**
 * The one map from what happened to the process exit code, for every command (grammar verbs,
 * the console's piped lines, serve/migrate/policy/...):
 *   0  everything asked for succeeded
 *   1  something failed at run time (a node, a change, an unexpected error): retrying may help
 *   2  the request itself cannot work: fix what was typed, the settings, the policy or the database
 *   3  `drift` read every node and found some drifted (as diff(1) exits 1 on differences; kept
 *      apart from 1 so a script can tell "drift found" from "the check failed")
 */
export type ExitCode = 0 | 1 | 2 | 3;

/** Error codes that mean "fix the request or the setup", not "a node failed". */
const FIX_THE_REQUEST: ReadonlySet<string> = new Set([
  'usage', // unknown verb, node, option; bad value
  'config_path', // config file outside the lab directory, missing, too large
  'settings', // clab-bot.yaml or environment
  'policy', // the permission policy file
  'database', // the database cannot be opened or written (read-only, not a database)
  'migration', // the database schema cannot be brought up to date
  'no_labs', // no labs found where the bot looked
  'not_resolvable', // `change N resolve` on a change whose outcome is known
  'backup_not_found', // `backup show|diff` of a node or version never saved
  'template_undefined', // a template reads a name that does not exist (or prints an empty one)
  'template_syntax', // a template that does not parse
  'template_refused', // include/import/extends, a sandbox escape, a runaway loop
  'template_render', // a template that fails otherwise or renders nothing for a node
]);

/** A ClabBotError's exit code. */
export function exitCodeForError(error: Pick<ClabBotError, 'code'>): ExitCode {
  return FIX_THE_REQUEST.has(error.code) ? 2 : 1;
}

/** A request's exit code. */
export function exitCodeForResult(result: RequestResult): ExitCode {
  switch (result.kind) {
    case 'usage':
    case 'denied':
    case 'needs-config':
      return 2;
    case 'error':
      return exitCodeForError(result.error);
    case 'exec':
      return result.outcomes.every((o) => o.status === 'ok') ? 0 : 1;
    case 'plan':
      return result.outcomes.every((o) => o.status === 'ok' && o.value?.check.ok) ? 0 : 1;
    case 'labs':
      return result.labs.length === 0 ? 2 : 0;
    case 'backup':
      if (result.backup.action === 'save') return result.backup.outcomes.every((o) => o.status === 'ok') ? 0 : 1;
      return result.backup.action === 'export' && result.backup.missing.length > 0 ? 1 : 0;
    case 'drift':
      // A node not read means the check is incomplete: that wins over drift found (3), so 0 and 3 both mean "every node read".
      if (result.outcomes.some((o) => o.status !== 'ok')) return 1;
      return result.outcomes.some((o) => o.value?.status === 'drifted') ? 3 : 0;
    case 'node-facts':
      // A node that could not be read (now, or the last time) is shown with its old facts, but it failed.
      return result.rows.some((r) => r.error !== undefined) ? 1 : 0;
    case 'change':
      // Recording an outcome succeeded, whatever the outcome was.
      if (result.event === 'resolved') return 0;
      return ['failed', 'partial', 'stale', 'unknown'].includes(result.change.state) || (result.change.state === 'planned' && !result.change.approvable)
        ? 1
        : 0;
    default:
      return 0;
  }
}

/** The exit codes as `--help` lists them. */
export const EXIT_CODES_HELP = `exit codes:
  0  every node ok (a dry run: planned and passed its commit check); help, lists, a change shown, proposed or committed
  1  some node failed, or a change ended failed, partial, stale or unknown; an unexpected error
  2  usage mistake, permission denied, bad settings or policy, a database that cannot be used, no labs found: fix the request and run it again
  3  drift: every node was read and at least one drifted from its baseline`;
