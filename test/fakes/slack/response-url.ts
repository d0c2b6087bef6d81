import { checkMessage } from './block-limits.js';
import type { MessageSource } from './types.js';
import { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS, type Workspace } from './workspace.js';

export interface ResponseOutcome {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface Target {
  readonly channel: string;
  readonly user: string;
  readonly messageTs: string | undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Applies a message response (a response_url POST, or a slash command's ack payload) the way Slack shows it:
 * delete_original / replace_original act on the message acted upon, `in_channel` posts to the channel,
 * anything else is an ephemeral message to the user.
 */
export function applyResponse(
  ws: Workspace,
  target: Target,
  body: Record<string, unknown>,
  source: MessageSource,
): ResponseOutcome {
  const original = target.messageTs === undefined ? undefined : ws.findMessage(target.channel, target.messageTs);
  if (flag(body.delete_original)) {
    if (original !== undefined) ws.deleteMessage(original.channel, original.ts);
    return { status: 200, body: { ok: true } };
  }
  const violation = checkMessage(
    { text: body.text, blocks: body.blocks, attachments: body.attachments },
    { blocksTextLimit: ws.config.blocksTextLimit, requireContent: true },
  );
  if (violation !== undefined) return { status: 400, body: { ok: false, error: violation.error, errors: [...violation.messages] } };
  const text = typeof body.text === 'string' ? body.text : '';
  const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
  const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
  if (flag(body.replace_original) && original !== undefined) {
    original.text = text;
    original.blocks = blocks;
    original.updates += 1;
  } else if (body.response_type === 'in_channel') {
    ws.addMessage({ channel: target.channel, text, blocks, thread_ts: threadTs, source });
  } else {
    ws.addEphemeral({ channel: target.channel, user: target.user, thread_ts: threadTs, text, blocks, source });
  }
  return { status: 200, body: { ok: true } };
}

/** POST /response/<id>: JSON only, at most 5 posts within 30 minutes (Slack's documented allowance). */
export function handleResponseUrlPost(ws: Workspace, id: string, raw: Buffer): ResponseOutcome {
  const context = ws.responseUrl(id);
  let outcome: ResponseOutcome;
  let body: Record<string, unknown> = {};
  if (context === undefined) {
    outcome = { status: 404, body: { ok: false, error: 'no_such_url' } };
  } else if (Date.now() - context.issuedAt > RESPONSE_URL_TTL_MS) {
    outcome = { status: 404, body: { ok: false, error: 'expired_url' } };
  } else if (context.uses >= RESPONSE_URL_MAX_USES) {
    outcome = { status: 404, body: { ok: false, error: 'used_url' } };
  } else {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      context.uses += 1;
      outcome = applyResponse(ws, context, body, 'response_url');
    } catch {
      outcome = { status: 400, body: { ok: false, error: 'invalid_payload' } };
    }
  }
  ws.recordResponsePost({ id, at: Date.now(), status: outcome.status, body });
  return outcome;
}
