import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * What Slack POSTs to an HTTP-mode app. Slash commands are flat form fields; interactivity is one form field
 * `payload=<JSON>`; `raw` sends exactly the given text (for malformed-body tests).
 */
export type SignedBody =
  | { readonly slash: Record<string, string> }
  | { readonly interactive: Record<string, unknown> }
  | { readonly raw: string; readonly contentType?: string };

export interface SignOptions {
  /** Unix seconds for X-Slack-Request-Timestamp. Default now; use now − 360 for a stale request. */
  readonly timestamp?: number;
  /** Send this X-Slack-Signature instead of the correct one (a bad-signature test). */
  readonly signature?: string;
  /** Abort after this many ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Slack's retry of an Events API request: sent as X-Slack-Retry-Num and X-Slack-Retry-Reason (e.g. `http_timeout`). */
  readonly retry?: { readonly num: number; readonly reason: string };
}

export interface SignedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  /** Parsed JSON body when it is JSON, else undefined. */
  readonly json: unknown;
  /** Round trip in ms: how long the app took to ack. */
  readonly ms: number;
}

/** Slack's v0 signature: `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`)). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function encodeSignedBody(body: SignedBody): { text: string; contentType: string } {
  // Bolt parses a form body only when the content type is exactly this bare media type (no charset).
  const form = 'application/x-www-form-urlencoded';
  if ('slash' in body) return { text: new URLSearchParams(body.slash).toString(), contentType: form };
  if ('interactive' in body) {
    return { text: new URLSearchParams({ payload: JSON.stringify(body.interactive) }).toString(), contentType: form };
  }
  return { text: body.raw, contentType: body.contentType ?? form };
}

/** POSTs a body to an HTTP-mode app (e.g. `http://127.0.0.1:PORT/slack/events`) signed as Slack signs it. */
export async function signedRequest(
  url: string,
  body: SignedBody,
  signingSecret: string,
  opts: SignOptions = {},
): Promise<SignedResponse> {
  const { text, contentType } = encodeSignedBody(body);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': opts.signature ?? slackSignature(signingSecret, timestamp, text),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...(opts.retry ? { 'x-slack-retry-num': String(opts.retry.num), 'x-slack-retry-reason': opts.retry.reason } : {}),
    },
    body: text,
    redirect: 'error',
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const responseText = await res.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = responseText === '' ? undefined : JSON.parse(responseText);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), text: responseText, json, ms };
}
