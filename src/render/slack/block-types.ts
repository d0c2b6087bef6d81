/**
 * The subset of Block Kit that clab-bot builds. Declared here rather than imported from the Slack
 * SDK so renderers stay free of Bolt (DESIGN.md §1); the shapes follow docs.slack.dev reference/block-kit.
 */

export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

export interface Mrkdwn {
  readonly type: 'mrkdwn';
  readonly text: string;
}

export type TextObject = PlainText | Mrkdwn;

export interface ConfirmDialog {
  readonly title: PlainText;
  readonly text: TextObject;
  readonly confirm: PlainText;
  readonly deny: PlainText;
  readonly style?: 'primary' | 'danger';
}

export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: PlainText;
  readonly value?: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}

export interface SelectOption {
  readonly text: PlainText;
  readonly value: string;
  readonly description?: PlainText;
}

export interface StaticSelectElement {
  readonly type: 'static_select';
  readonly action_id: string;
  readonly options: readonly SelectOption[];
  readonly initial_option?: SelectOption;
  readonly placeholder?: PlainText;
}

export interface PlainTextInputElement {
  readonly type: 'plain_text_input';
  readonly action_id: string;
  readonly multiline?: boolean;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly placeholder?: PlainText;
  readonly initial_value?: string;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly block_id?: string;
  readonly text: TextObject;
}

export interface HeaderBlock {
  readonly type: 'header';
  readonly text: PlainText;
}

export interface ContextBlock {
  readonly type: 'context';
  readonly elements: readonly TextObject[];
}

export interface DividerBlock {
  readonly type: 'divider';
}

export interface ActionsBlock {
  readonly type: 'actions';
  readonly block_id?: string;
  readonly elements: readonly ButtonElement[];
}

export interface InputBlock {
  readonly type: 'input';
  readonly block_id: string;
  readonly label: PlainText;
  readonly element: PlainTextInputElement | StaticSelectElement;
  readonly hint?: PlainText;
  readonly optional?: boolean;
}

export type MessageBlock = SectionBlock | HeaderBlock | ContextBlock | DividerBlock | ActionsBlock;
export type ViewBlock = MessageBlock | InputBlock;

/** A message as chat.postMessage / chat.update / respond take it: `text` is the notification fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly MessageBlock[];
}

/** A file to share in a thread (files.uploadV2), with the message posted alongside it. */
export interface SlackFile {
  readonly filename: string;
  readonly title: string;
  /**
   * The text, or its pieces in order (large results: redacted and encoded piece by piece when sent),
   * or bytes made when the file is sent (a picture, rendered after the request's own work).
   */
  readonly content: string | readonly string[] | { readonly bytes: () => Promise<Buffer> };
  /** Slack's snippet type: `diff` makes Slack highlight the file's `+` and `-` lines. */
  readonly snippetType?: 'diff';
}

/** One post in a request's thread: a message, optionally carrying a file. */
export interface ThreadPost {
  readonly message: SlackMessage;
  readonly file?: SlackFile;
}

export interface ModalView {
  readonly type: 'modal';
  readonly callback_id: string;
  readonly title: PlainText;
  readonly submit: PlainText;
  readonly close: PlainText;
  readonly private_metadata: string;
  readonly blocks: readonly ViewBlock[];
}

/** The App Home tab of one user (views.publish). */
export interface HomeView {
  readonly type: 'home';
  readonly callback_id: string;
  readonly blocks: readonly MessageBlock[];
}
