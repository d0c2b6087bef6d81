export { ChangeService, SYSTEM_ACTOR, type ChangeServiceOptions, type WithDriver } from './change-service.js';
export { ChangeSweeper } from './sweeper.js';
export {
  AlreadyApprovedError,
  CancelNotAllowedError,
  ChangeConflictError,
  ChangeModifiedError,
  ChangeNotFoundError,
  ChangeRequestError,
  changeRef,
  CheckFailedError,
  CheckNotAuthorizedError,
  CommitOutcomeUnknownError,
  describeState,
  IllegalTransitionError,
  NodeUnavailableError,
  NotApprovableError,
  NotResolvableError,
  SelfApprovalRefusedError,
  type FailingNode,
  type LockHolder,
} from './errors.js';
export { ConfirmFailedError, commitComment } from './apply-node.js';
export { finalState } from './final-state.js';
export { assertTransition, canTransition, CHANGE_STATES, isChangeState, isTerminal, OPEN_STATES, TRANSITIONS, type ChangeState } from './state-machine.js';
export type * from './types.js';
