/** Block Kit rendering with size budgets: pure functions from results to Slack messages, no Bolt. */
export type { HomeView, MessageBlock, ModalView, SlackFile, SlackMessage, ThreadPost } from './block-types.js';
export { HOME_VIEW, homeView, threadKey, type Permalinks } from './home-view.js';
export { CONFIG_MODAL, configModal, type ConfigModalInput } from './config-modal.js';
export { HOME_BUDGET, SLACK_LIMITS } from './limits.js';
export { CANCEL_ACTION, rootMessage, type CancelNote, type RootExtras, type RootInfo, type RootState } from './root-message.js';
export { cancelNote, cancelRefusal, cancelTooLate } from './cancel-blocks.js';
export { noticeMessage, renderSlackResult, type SlackRendering } from './result.js';
export { textReply } from './reply-blocks.js';
export {
  CHANGE_BUTTONS,
  changeNotice,
  changeOutcome,
  changeProposal,
  changeStateLine,
  decisionMessage,
  parseChangeButtonValue,
  type ChangeButton,
} from './change-blocks.js';
export { mention } from './root-message.js';
export { DRIFT_BUTTONS, driftPosts, parseDriftButtonValue, type DriftButton } from './drift-blocks.js';
