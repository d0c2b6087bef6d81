import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** Fields @slack/web-api JSON-stringifies into a form field; the fake decodes them back. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'view', 'metadata']);

/** Large enough for any upload a test makes; guards the fake against a runaway client. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Web API arguments as the SDK sends them: a form body whose non-scalar fields are JSON strings,
 * or a JSON body. A field named in JSON_FIELDS that does not parse stays a string, so the method
 * can answer `invalid_blocks_format` the way Slack does.
 */
export function parseApiArgs(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  const type = mediaType(contentType);
  if (raw.length === 0) return {};
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
  }
  const fields = parseQuery(raw.toString('utf8'));
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const single = Array.isArray(value) ? value[value.length - 1] : value;
    if (single === undefined) continue;
    args[key] = JSON_FIELDS.has(key) ? tryJson(single) : single;
  }
  return args;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Bytes posted to an upload URL. files.uploadV2 sends multipart/form-data with one part named `body`;
 * a plain POST of raw bytes is accepted too, as Slack does.
 */
export async function parseUploadBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer> {
  if (mediaType(contentType) !== 'multipart/form-data') return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
  const part = form.get('body') ?? form.get('file');
  if (part === null) return Buffer.alloc(0);
  if (typeof part === 'string') return Buffer.from(part, 'utf8');
  return Buffer.from(await part.arrayBuffer());
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
