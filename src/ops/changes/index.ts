export { ChangeService, type ChangeServiceOptions, type WithDriver } from './change-service.js';
export {
  AlreadyApprovedError,
  CancelNotAllowedError,
  ChangeConflictError,
  ChangeModifiedError,
  ChangeNotFoundError,
  CheckNotAuthorizedError,
  IllegalTransitionError,
  NotApprovableError,
  SelfApprovalRefusedError,
  type FailingNode,
  type LockHolder,
} from './errors.js';
export { commitComment } from './apply-node.js';
export { finalState } from './final-state.js';
export { assertTransition, canTransition, CHANGE_STATES, isTerminal, OPEN_STATES, type ChangeState } from './state-machine.js';
export type * from './types.js';
