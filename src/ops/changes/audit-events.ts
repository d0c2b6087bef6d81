import type { ChangeState } from '../../model/change.js';
import type { ChangeAction, ChangeView } from './types.js';

/** Audit log `event` for a change action (plan / approve / apply / commit / rollback / failure / …). */
export function auditEvent(action: ChangeAction, view: ChangeView): string {
  switch (action) {
    case 'propose':
    case 'replan':
    case 'no-changes':
      return 'plan';
    case 'approve':
      return 'approve';
    case 'apply':
      return 'apply';
    case 'finish':
    case 'recover':
      if (view.source.type === 'rollback') return 'rollback';
      return view.state === 'committed' || view.state === 'partial' ? 'commit' : 'failure';
    case 'reject':
      return 'reject';
    case 'cancel':
      return 'cancel';
    case 'expire':
      return 'expire';
    case 'resolve':
      return 'resolve';
    default:
      return action satisfies never;
  }
}

/** Audit log `outcome` for a change action that moved the change to `to`. */
export function auditOutcome(action: ChangeAction, to: ChangeState): string {
  if (action === 'no-changes') return 'no-changes';
  if (action === 'apply') return 'started';
  return to === 'committed' || to === 'planned' || to === 'approved' ? 'ok' : to;
}
