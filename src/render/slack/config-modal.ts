import type { ConfigMethod } from '../../drivers/contract.js';
import { redactText } from '../../redact/index.js';
import type { ModalView, SelectOption } from './block-types.js';
import { context, plain, section } from './blocks.js';
import { SLACK_LIMITS } from './limits.js';
import { inlineCode } from './mrkdwn.js';

/** Ids the view submission reads back. */
export const CONFIG_MODAL = {
  callbackId: 'clab_config',
  textBlock: 'config',
  textAction: 'config_text',
  methodBlock: 'method',
  methodAction: 'config_method',
} as const;

const METHOD_HELP: Readonly<Record<ConfigMethod, string>> = {
  merge: 'add to the running configuration',
  override: 'replace the whole configuration',
  replace: 'replace the sections marked replace:',
  set: 'set / delete commands',
};

function option(method: ConfigMethod): SelectOption {
  return { text: plain(method, SLACK_LIMITS.optionText), value: method, description: plain(METHOD_HELP[method], SLACK_LIMITS.optionText) };
}

export interface ConfigModalInput {
  /** The request as typed (formatRequest), shown at the top. */
  readonly requestText: string;
  readonly method: ConfigMethod;
  readonly methods: readonly ConfigMethod[];
  readonly dryRun: boolean;
  /** Opaque state carried to the submission (at most 3000 characters). */
  readonly privateMetadata: string;
  /** What the drivers take as input (drivers/registry.ts configHints()), for the field's hint. */
  readonly formats: readonly string[];
}

/** The modal `config` without a source opens: paste the configuration, pick the load method. */
export function configModal(input: ConfigModalInput): ModalView {
  return {
    type: 'modal',
    callback_id: CONFIG_MODAL.callbackId,
    title: plain('Paste configuration', SLACK_LIMITS.viewTitle),
    submit: plain(input.dryRun ? 'Dry run' : 'Plan change', SLACK_LIMITS.viewTitle),
    close: plain('Cancel', SLACK_LIMITS.viewTitle),
    private_metadata: input.privateMetadata,
    blocks: [
      section(inlineCode(`/clab ${redactText(input.requestText)}`, 600)),
      context(
        input.dryRun
          ? 'Loaded into a private candidate on each node, diffed and checked, then discarded: nothing is committed.'
          : 'Planned on each node; the change is committed only after approval.',
      ),
      {
        type: 'input',
        block_id: CONFIG_MODAL.textBlock,
        label: plain('Configuration', 2000),
        hint: plain(
          `${input.formats.join('; ') || 'the configuration as the device takes it'}; up to ${SLACK_LIMITS.textInput} characters; for more, use --file PATH.`,
          2000,
        ),
        element: {
          type: 'plain_text_input',
          action_id: CONFIG_MODAL.textAction,
          multiline: true,
          max_length: SLACK_LIMITS.textInput,
          placeholder: plain('configuration text, as the nodes take it', 150),
        },
      },
      {
        type: 'input',
        block_id: CONFIG_MODAL.methodBlock,
        label: plain('Load method', 2000),
        element: {
          type: 'static_select',
          action_id: CONFIG_MODAL.methodAction,
          options: input.methods.map(option),
          initial_option: option(input.method),
        },
      },
    ],
  };
}
