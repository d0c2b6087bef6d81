import type { App as BoltApp } from '@slack/bolt';
import { configHints } from '../../drivers/registry.js';
import { randomUUID } from 'node:crypto';
import { CONFIG_METHOD_CHOICES, formatRequest, parse, type RequestConfigMethod, type RequestOf } from '../../grammar/index.js';
import type { RequestResult } from '../../ops/results.js';
import { CONFIG_MODAL, SLACK_LIMITS, configModal, noticeMessage, renderSlackResult, type SlackMessage } from '../../render/slack/index.js';
import type { Asker, SlackDeps } from './deps.js';
import { answering, runRequest } from './request-flow.js';
import { resolveSubject } from './subjects.js';
import { UserGroupsError } from './user-groups.js';

/** How long the quick checks (unknown node, denial) may take before the form opens regardless. */
const PRECHECK_MS = 1000;

/** What the form carries from the command to its submission (Slack returns it untouched). */
interface FormState {
  readonly v: 1;
  /** The request as text (formatRequest), parsed again on submission. */
  readonly r: string;
  /** The channel the command came from, where the thread goes. */
  readonly c: string;
}

export function encodeFormState(requestText: string, channelId: string): string {
  return JSON.stringify({ v: 1, r: requestText, c: channelId } satisfies FormState);
}

export function decodeFormState(text: string | undefined): FormState | undefined {
  try {
    const s = JSON.parse(text ?? '') as Partial<FormState>;
    return s.v === 1 && typeof s.r === 'string' && typeof s.c === 'string' ? { v: 1, r: s.r, c: s.c } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `config` without a source: opens the form within the trigger's 3 s. Quick checks (unknown node,
 * permission) run first, bounded so the trigger cannot expire: when they answer in time with a
 * refusal the form is not opened; when they are slow the form opens and the refusal follows.
 */
export async function openConfigModal(
  deps: SlackDeps,
  request: RequestOf<'config'>,
  asker: Asker,
  opts: { readonly requestId: string; readonly triggerId: string; readonly receivedAt: number },
): Promise<void> {
  const ctx = { requestId: opts.requestId };
  const requestText = formatRequest(request);
  const state = encodeFormState(requestText, asker.channelId);
  if (state.length > SLACK_LIMITS.privateMetadata) {
    await deps.poster.reply(
      asker,
      noticeMessage(':warning:', 'This request is too long to carry through the form: give the configuration with --file PATH instead.'),
      ctx,
    );
    return;
  }
  const check = precheck(deps, request, asker, opts.requestId);
  const early = await within(check, opts.receivedAt + PRECHECK_MS - Date.now());
  if (early !== undefined && early.kind !== 'needs-config') {
    await deps.poster.reply(asker, precheckMessage(early), ctx);
    return;
  }
  const view = configModal({
    requestText,
    method: request.method,
    methods: CONFIG_METHOD_CHOICES,
    dryRun: request.dryRun,
    privateMetadata: state,
    formats: configHints(),
  });
  if (!(await deps.poster.openView(opts.triggerId, view, ctx))) {
    await deps.poster.reply(asker, noticeMessage(':x:', 'Could not open the form to paste the configuration; give it with --file PATH instead.'), ctx);
    return;
  }
  if (early === undefined) {
    const late = await check;
    if (late.kind !== 'needs-config') await deps.poster.reply(asker, precheckMessage(late), ctx);
  }
}

type Precheck = RequestResult | { readonly kind: 'groups'; readonly error: UserGroupsError };

async function precheck(deps: SlackDeps, request: RequestOf<'config'>, asker: Asker, requestId: string): Promise<Precheck> {
  try {
    const subject = await resolveSubject(deps, asker, { request, requestId });
    // Without inlineConfig the core stops at `needs-config` once the targets are known and allowed.
    return await deps.app.runner.run(request, { requestId, subject, channel: asker.channelId, source: 'slack' });
  } catch (err) {
    if (err instanceof UserGroupsError) return { kind: 'groups', error: err };
    throw err;
  }
}

function precheckMessage(p: Precheck): SlackMessage {
  if (p.kind === 'groups') return noticeMessage(':no_entry:', `Denied: ${p.error.message}.`);
  const rendering = renderSlackResult(p);
  return rendering.kind === 'reply' ? rendering.message : noticeMessage(':x:', 'Unexpected answer before the configuration was given; run the command again.');
}

/** The promise's value if it settles within `ms`, else undefined (it keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The form's submission: validates, closes the form, and runs the request with the pasted text. */
export function registerConfigSubmission(bolt: BoltApp, deps: SlackDeps): void {
  bolt.view(CONFIG_MODAL.callbackId, async ({ ack, body, view }) => {
    const values = view.state.values;
    const text = values[CONFIG_MODAL.textBlock]?.[CONFIG_MODAL.textAction]?.value ?? '';
    const picked = values[CONFIG_MODAL.methodBlock]?.[CONFIG_MODAL.methodAction]?.selected_option?.value;
    const state = decodeFormState(view.private_metadata);
    const parsed = state === undefined ? undefined : parse(state.r, { source: 'terminal' });
    if (state === undefined || parsed === undefined || !parsed.ok || parsed.request.verb !== 'config') {
      await ack({ response_action: 'errors', errors: { [CONFIG_MODAL.textBlock]: 'This form is out of date: run the /clab command again.' } });
      return;
    }
    if (text.trim() === '') {
      await ack({ response_action: 'errors', errors: { [CONFIG_MODAL.textBlock]: 'Paste the configuration to load.' } });
      return;
    }
    await ack();
    const method = (CONFIG_METHOD_CHOICES as readonly string[]).includes(picked ?? '') ? (picked as RequestConfigMethod) : parsed.request.method;
    const requestId = randomUUID();
    const asker: Asker = { userId: body.user.id, userName: body.user.name, channelId: state.c };
    const request = { ...parsed.request, method };
    deps.track(requestId, () => answering(deps, asker, requestId, () => runRequest(deps, request, asker, { requestId, inlineConfig: text })));
  });
}
