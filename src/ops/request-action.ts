import type { Request } from '../grammar/request.js';
import type { Action } from '../permissions/authorize.js';

/**
 * What a request asks of the policy. `config: plan` allows dry runs; proposing a change that
 * will commit (config without --dry-run, rollback) needs `config: apply`; committing it then
 * needs someone with `approve`. Change actions are authorized by the change service against the
 * change's own targets and requester.
 */
export function actionFor(request: Request): Action {
  switch (request.verb) {
    case 'help':
    case 'whoami':
    case 'labs':
    case 'nodes':
    case 'history':
      return { type: 'read', what: request.verb };
    case 'graph':
      // A picture of what `nodes` lists; --check ospf|bgp also runs show commands, authorized like exec (ops/graph-ops.ts).
      return { type: 'read', what: 'nodes' };
    case 'changes':
    case 'change':
      return { type: 'read', what: 'history' };
    case 'exec':
      return { type: 'exec', command: request.command };
    case 'config':
      // --check runs on the devices after the commit: it is authorized like exec, for every target.
      return { type: 'config', stage: request.dryRun ? 'plan' : 'apply', ...(request.check === undefined ? {} : { check: request.check }) };
    case 'rollback':
      return { type: 'config', stage: 'apply' };
    case 'drift':
    case 'backup':
      // Saved configurations are device configuration: readable by whoever may see a dry run's diff.
      return { type: 'config', stage: 'plan' };
    case 'render':
      // No device is read, but the lab directory's files are, and the output is configuration for
      // these nodes: the same right as a dry run of config --template, not a mere read.
      return { type: 'config', stage: 'plan' };
    default:
      return request satisfies never;
  }
}
