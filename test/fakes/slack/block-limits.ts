/**
 * Block Kit limits as Slack enforces them (docs.slack.dev reference/block-kit, @slack/types JSDoc).
 * Slack answers an oversize message with `invalid_blocks` and a list of `[ERROR] … [json-pointer:…]`
 * messages; the fake does the same so the bot is caught exceeding a limit in tests, not in production.
 */

export const LIMITS = {
  messageText: 40_000,
  messageBlocks: 50,
  viewBlocks: 100,
  attachments: 100,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  markdownText: 12_000,
  imageAltText: 2000,
  imageTitle: 2000,
  url: 3000,
  tableRows: 100,
  tableCells: 20,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  accessibilityLabel: 75,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  selectOptions: 100,
  choiceOptions: 10,
  overflowOptions: 5,
  textInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

export interface LimitViolation {
  /** Slack's error code: invalid_blocks, invalid_blocks_format, msg_too_long, msg_blocks_too_long, … */
  readonly error: string;
  /** Slack-style `[ERROR] reason [json-pointer:/blocks/0/text/text]` lines for response_metadata.messages. */
  readonly messages: readonly string[];
}

const BLOCK_TYPES = new Set([
  'actions', 'alert', 'call', 'card', 'carousel', 'container', 'context', 'context_actions', 'data_table',
  'divider', 'file', 'header', 'image', 'input', 'markdown', 'plan', 'rich_text', 'section', 'table',
  'task_card', 'video',
]);

/** Elements with no limit beyond action_id/placeholder worth checking here. */
const SIMPLE_ELEMENTS = new Set([
  'channels_select', 'conversations_select', 'datepicker', 'datetimepicker', 'email_text_input', 'external_select',
  'feedback_buttons', 'file_input', 'icon_button', 'image', 'multi_channels_select', 'multi_conversations_select',
  'multi_external_select', 'multi_users_select', 'number_input', 'rich_text_input', 'timepicker', 'url_text_input',
  'users_select', 'workflow_button',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly issues: string[] = [];

  fail(pointer: string, reason: string): void {
    this.issues.push(`[ERROR] ${reason} [json-pointer:${pointer}]`);
  }

  maxLen(value: unknown, pointer: string, max: number): void {
    if (typeof value === 'string' && value.length > max) {
      this.fail(pointer, `must be at most ${max} characters (got ${value.length})`);
    }
  }

  maxItems(value: unknown, pointer: string, max: number, min = 0): value is unknown[] {
    if (!Array.isArray(value)) {
      this.fail(pointer, 'must be an array');
      return false;
    }
    if (value.length > max) this.fail(pointer, `no more than ${max} items allowed (got ${value.length})`);
    if (value.length < min) this.fail(pointer, `at least ${min} item(s) required`);
    return true;
  }

  text(value: unknown, pointer: string, max: number, opts: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (value === undefined) {
      if (opts.required ?? true) this.fail(pointer, 'is required');
      return;
    }
    if (!isRecord(value)) {
      this.fail(pointer, 'must be a text object');
      return;
    }
    const okType = value.type === 'plain_text' || (!opts.plainOnly && value.type === 'mrkdwn');
    if (!okType) this.fail(`${pointer}/type`, opts.plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn');
    if (typeof value.text !== 'string' || value.text.length === 0) {
      this.fail(`${pointer}/text`, 'must be a non-empty string');
      return;
    }
    this.maxLen(value.text, `${pointer}/text`, max);
  }

  confirm(value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (!isRecord(value)) return this.fail(pointer, 'must be a confirmation object');
    this.text(value.title, `${pointer}/title`, LIMITS.confirmTitle, { plainOnly: true, required: false });
    this.text(value.text, `${pointer}/text`, LIMITS.confirmText);
    this.text(value.confirm, `${pointer}/confirm`, LIMITS.confirmButton, { plainOnly: true, required: false });
    this.text(value.deny, `${pointer}/deny`, LIMITS.confirmButton, { plainOnly: true, required: false });
  }

  options(value: unknown, pointer: string, max: number, plainOnly: boolean): void {
    if (!this.maxItems(value, pointer, max, 1)) return;
    value.forEach((option, i) => {
      const p = `${pointer}/${i}`;
      if (!isRecord(option)) return this.fail(p, 'must be an option object');
      this.text(option.text, `${p}/text`, LIMITS.optionText, { plainOnly });
      this.maxLen(option.value, `${p}/value`, LIMITS.optionValue);
      this.text(option.description, `${p}/description`, LIMITS.optionDescription, { plainOnly: true, required: false });
      this.maxLen(option.url, `${p}/url`, LIMITS.url);
    });
  }

  element(value: unknown, pointer: string): void {
    if (!isRecord(value)) return this.fail(pointer, 'must be an element object');
    const type = value.type;
    if (typeof type !== 'string') return this.fail(`${pointer}/type`, 'is required');
    this.maxLen(value.action_id, `${pointer}/action_id`, LIMITS.actionId);
    this.text(value.placeholder, `${pointer}/placeholder`, LIMITS.placeholder, { plainOnly: true, required: false });
    this.confirm(value.confirm, `${pointer}/confirm`);
    switch (type) {
      case 'button':
        this.text(value.text, `${pointer}/text`, LIMITS.buttonText, { plainOnly: true });
        this.maxLen(value.value, `${pointer}/value`, LIMITS.buttonValue);
        this.maxLen(value.url, `${pointer}/url`, LIMITS.url);
        this.maxLen(value.accessibility_label, `${pointer}/accessibility_label`, LIMITS.accessibilityLabel);
        if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
          this.fail(`${pointer}/style`, 'must be primary or danger');
        }
        return;
      case 'static_select':
      case 'multi_static_select':
        if (value.options !== undefined) this.options(value.options, `${pointer}/options`, LIMITS.selectOptions, true);
        else if (value.option_groups !== undefined) this.maxItems(value.option_groups, `${pointer}/option_groups`, LIMITS.selectOptions, 1);
        else this.fail(pointer, 'options or option_groups is required');
        return;
      case 'overflow':
        this.options(value.options, `${pointer}/options`, LIMITS.overflowOptions, true);
        return;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(value.options, `${pointer}/options`, LIMITS.choiceOptions, false);
        return;
      case 'plain_text_input':
        for (const key of ['min_length', 'max_length'] as const) {
          const n = value[key];
          if (typeof n === 'number' && n > LIMITS.textInputLength) this.fail(`${pointer}/${key}`, `must be at most ${LIMITS.textInputLength}`);
        }
        return;
      default:
        if (!SIMPLE_ELEMENTS.has(type)) this.fail(`${pointer}/type`, `unsupported element type ${type}`);
    }
  }

  block(value: unknown, pointer: string, seenBlockIds: Set<string>): void {
    if (!isRecord(value)) return this.fail(pointer, 'must be a block object');
    const type = value.type;
    if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
      return this.fail(`${pointer}/type`, `unsupported block type ${String(type)}`);
    }
    if (value.block_id !== undefined) {
      if (typeof value.block_id !== 'string') this.fail(`${pointer}/block_id`, 'must be a string');
      else {
        this.maxLen(value.block_id, `${pointer}/block_id`, LIMITS.blockId);
        if (seenBlockIds.has(value.block_id)) this.fail(`${pointer}/block_id`, `duplicate block_id ${value.block_id}`);
        seenBlockIds.add(value.block_id);
      }
    }
    switch (type) {
      case 'section':
        if (value.text === undefined && value.fields === undefined) this.fail(pointer, 'must have text or fields');
        this.text(value.text, `${pointer}/text`, LIMITS.sectionText, { required: false });
        if (value.fields !== undefined && this.maxItems(value.fields, `${pointer}/fields`, LIMITS.sectionFields, 1)) {
          value.fields.forEach((f, i) => this.text(f, `${pointer}/fields/${i}`, LIMITS.sectionFieldText));
        }
        if (value.accessory !== undefined) this.element(value.accessory, `${pointer}/accessory`);
        return;
      case 'header':
        this.text(value.text, `${pointer}/text`, LIMITS.headerText, { plainOnly: true });
        return;
      case 'context':
        if (this.maxItems(value.elements, `${pointer}/elements`, LIMITS.contextElements, 1)) {
          value.elements.forEach((e, i) => {
            const p = `${pointer}/elements/${i}`;
            if (isRecord(e) && e.type === 'image') this.maxLen(e.alt_text, `${p}/alt_text`, LIMITS.imageAltText);
            else this.text(e, p, LIMITS.sectionText);
          });
        }
        return;
      case 'actions':
        if (this.maxItems(value.elements, `${pointer}/elements`, LIMITS.actionsElements, 1)) {
          const actionIds = new Set<string>();
          value.elements.forEach((e, i) => {
            const p = `${pointer}/elements/${i}`;
            this.element(e, p);
            if (isRecord(e) && typeof e.action_id === 'string') {
              if (actionIds.has(e.action_id)) this.fail(`${p}/action_id`, `duplicate action_id ${e.action_id}`);
              actionIds.add(e.action_id);
            }
          });
        }
        return;
      case 'input':
        this.text(value.label, `${pointer}/label`, LIMITS.inputLabel, { plainOnly: true });
        this.text(value.hint, `${pointer}/hint`, LIMITS.inputHint, { plainOnly: true, required: false });
        if (value.element === undefined) this.fail(`${pointer}/element`, 'is required');
        else this.element(value.element, `${pointer}/element`);
        return;
      case 'markdown':
        if (typeof value.text !== 'string') this.fail(`${pointer}/text`, 'is required');
        else this.maxLen(value.text, `${pointer}/text`, LIMITS.markdownText);
        return;
      case 'image':
        if (typeof value.alt_text !== 'string') this.fail(`${pointer}/alt_text`, 'is required');
        this.maxLen(value.alt_text, `${pointer}/alt_text`, LIMITS.imageAltText);
        this.maxLen(value.image_url, `${pointer}/image_url`, LIMITS.url);
        this.text(value.title, `${pointer}/title`, LIMITS.imageTitle, { plainOnly: true, required: false });
        return;
      case 'table':
        if (this.maxItems(value.rows, `${pointer}/rows`, LIMITS.tableRows, 1)) {
          value.rows.forEach((row, i) => this.maxItems(row, `${pointer}/rows/${i}`, LIMITS.tableCells));
        }
        return;
      default:
        return;
    }
  }

  blocks(value: unknown, pointer: string, max: number): void {
    if (!this.maxItems(value, pointer, max)) return;
    const seen = new Set<string>();
    value.forEach((b, i) => this.block(b, `${pointer}/${i}`, seen));
  }
}

/** Sum of every `text` string inside the blocks: Slack caps the total (msg_blocks_too_long). */
function blocksTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + blocksTextLength(v), 0);
  if (!isRecord(value)) return 0;
  let sum = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text' && typeof v === 'string') sum += v.length;
    else sum += blocksTextLength(v);
  }
  return sum;
}

export interface MessageContent {
  readonly text?: unknown;
  readonly blocks?: unknown;
  readonly attachments?: unknown;
}

/**
 * Checks a chat.postMessage / chat.update / response_url body. `requireContent` is false for chat.update
 * only when the caller keeps the old content.
 */
export function checkMessage(
  content: MessageContent,
  opts: { blocksTextLimit: number; requireContent: boolean },
): LimitViolation | undefined {
  const { text, blocks, attachments } = content;
  if (typeof text === 'string' && text.length > LIMITS.messageText) {
    return { error: 'msg_too_long', messages: [`[ERROR] text must be at most ${LIMITS.messageText} characters (got ${text.length})`] };
  }
  if (blocks !== undefined && !Array.isArray(blocks)) {
    return { error: 'invalid_blocks_format', messages: ['[ERROR] blocks must be a JSON array [json-pointer:/blocks]'] };
  }
  if (attachments !== undefined && Array.isArray(attachments) && attachments.length > LIMITS.attachments) {
    return { error: 'too_many_attachments', messages: [] };
  }
  const hasText = typeof text === 'string' && text.length > 0;
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (opts.requireContent && !hasText && !hasBlocks && !hasAttachments) {
    return { error: 'no_text', messages: [] };
  }
  if (blocks === undefined) return undefined;
  const checker = new Checker();
  checker.blocks(blocks, '/blocks', LIMITS.messageBlocks);
  if (checker.issues.length > 0) return { error: 'invalid_blocks', messages: checker.issues };
  const total = blocksTextLength(blocks);
  if (total > opts.blocksTextLimit) {
    return { error: 'msg_blocks_too_long', messages: [`[ERROR] text across blocks is ${total} characters, over ${opts.blocksTextLimit}`] };
  }
  return undefined;
}

/** Checks a views.open / views.update `view`; Slack answers these with `invalid_arguments`. */
export function checkView(view: unknown): LimitViolation | undefined {
  const checker = new Checker();
  if (!isRecord(view)) {
    checker.fail('/view', 'is required and must be a view object');
    return { error: 'invalid_arguments', messages: checker.issues };
  }
  if (view.type !== 'modal' && view.type !== 'home') checker.fail('/view/type', 'must be modal or home');
  if (view.type === 'modal') checker.text(view.title, '/view/title', LIMITS.viewTitle, { plainOnly: true });
  checker.text(view.submit, '/view/submit', LIMITS.viewButton, { plainOnly: true, required: false });
  checker.text(view.close, '/view/close', LIMITS.viewButton, { plainOnly: true, required: false });
  checker.maxLen(view.private_metadata, '/view/private_metadata', LIMITS.privateMetadata);
  checker.maxLen(view.callback_id, '/view/callback_id', LIMITS.callbackId);
  checker.maxLen(view.external_id, '/view/external_id', LIMITS.externalId);
  checker.blocks(view.blocks, '/view/blocks', LIMITS.viewBlocks);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
  if (view.type === 'modal' && hasInput && view.submit === undefined) {
    checker.fail('/view/submit', 'is required when the view has input blocks');
  }
  return checker.issues.length > 0 ? { error: 'invalid_arguments', messages: checker.issues } : undefined;
}
