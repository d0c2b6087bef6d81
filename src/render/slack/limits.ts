/**
 * Slack's limits (docs.slack.dev reference/block-kit; chat.postMessage) and the budgets clab-bot
 * builds to, which stay under them with a margin: Slack refuses an oversize message outright
 * (`invalid_blocks`, `msg_blocks_too_long`), so a renderer must never rely on reaching the edge.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  sectionText: 3000,
  /** Slack truncates `text` above this. */
  messageText: 40_000,
  /** Text summed over a message's blocks: `msg_blocks_too_long` was observed at about 13,200 (undocumented). */
  blocksTextObserved: 13_200,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewBlocks: 100,
  privateMetadata: 3000,
  optionText: 75,
  /** plain_text_input max_length. */
  textInput: 3000,
} as const;

/** What one message may use. */
export const MESSAGE_BUDGET = {
  blocks: 45,
  /** Sum of `text` over all blocks. */
  chars: 11_000,
  /** One section's mrkdwn, fences and escapes included. */
  sectionChars: 2900,
  /** The notification fallback `text`. */
  fallbackChars: 3000,
} as const;

/** At most this many nodes get their output inline; more get a summary table and a file. */
export const INLINE_MAX_NODES = 5;

/** Rows of a summary table shown in a message; the attached file always holds every node. */
export const TABLE_MAX_ROWS = 100;

/**
 * What the App Home may use: Slack allows 100 blocks in a view; a few stay free for the lines that
 * say what was left out. Views have no documented cap on total text; this keeps the page readable.
 */
export const HOME_BUDGET = {
  blocks: 96,
  chars: 30_000,
  /** Changes listed with their buttons (three blocks each). */
  changes: 20,
  /** Lab lines and request lines shown. */
  labs: 60,
  requests: 10,
} as const;
