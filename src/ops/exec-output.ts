import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Driver, ExecResult } from '../drivers/contract.js';
import { learnSecrets, redactTextAsync } from '../redact/index.js';

const MIB = 1024 * 1024;

/** What the bot keeps of exec output (settings `limits.max_output_per_node_mib`, `max_output_per_request_mib`). */
export interface OutputLimits {
  readonly perNodeBytes: number;
  readonly perRequestBytes: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { perNodeBytes: 16 * MIB, perRequestBytes: 64 * MIB };

/** Each node's share of a request: its own cap, or an equal part of the request's, whichever is smaller. */
export function nodeShare(limits: OutputLimits, nodes: number): number {
  return Math.max(1024, Math.min(limits.perNodeBytes, Math.floor(limits.perRequestBytes / Math.max(1, nodes))));
}

/** Room read past a node's share before redaction, so the final cut falls on a whole line. */
const LOOKAHEAD_BYTES = 64 * 1024;

/** How a node's output is guarded on its way into a result. */
export interface OutputGuard {
  readonly shareBytes: number;
}

/**
 * Before a command with a pipe runs on a node, its running configuration is read and its secrets
 * registered for value masking (src/redact): a pipe (`| match community`, `| trim 9`,
 * `| display json | match name`) is what cuts a secret away from the context the structure
 * rules need, so the value itself must be known. Read every time, not cached: the configuration
 * may have changed outside the bot, and the values live only in this process's memory (a restart
 * loses nothing that the next read does not bring back). Output without a pipe keeps its context
 * and is covered by the structure rules. A failed read does not stop the command.
 */
export async function learnNodeSecrets(driver: Driver, command: string, signal?: AbortSignal): Promise<void> {
  if (!command.includes('|')) return;
  try {
    learnSecrets(await driver.runningConfig(signal ? { signal } : {}));
  } catch {
    // Unsupported, refused or timed out: the structure rules still apply to the output.
  }
}

/**
 * What the bot keeps of one node's output: redacted (both layers, in slices that yield to the
 * event loop) and cut to the node's share at a line boundary, with the cut recorded so every
 * front end can say so. Redaction runs before the final cut, so no secret is split by it.
 */
export function keepOutput(result: ExecResult, guard: OutputGuard, credentials: readonly string[]): Promise<ExecResult> {
  // One output at a time: sixty outputs redacted at once would hold sixty outputs' lines in memory
  // and stretch garbage-collection pauses past Slack's ack deadline.
  const run = queue.then(() => keep(result, guard, credentials));
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let queue: Promise<void> = Promise.resolve();

async function keep(result: ExecResult, guard: OutputGuard, credentials: readonly string[]): Promise<ExecResult> {
  // Many nodes finish together: each step yields, so their work interleaves with other users' events.
  await yieldToEventLoop();
  const total = Buffer.byteLength(result.output, 'utf8');
  const over = total > guard.shareBytes;
  let text = over ? cutBytes(result.output, guard.shareBytes + LOOKAHEAD_BYTES) : result.output;
  await yieldToEventLoop();
  text = await redactTextAsync(text, { secrets: credentials });
  const warnings = await Promise.all(result.warnings.map((w) => redactTextAsync(w, { secrets: credentials })));
  if (!over) return { ...result, output: text, warnings };
  text = cutBytes(text, guard.shareBytes);
  return { ...result, output: text, warnings, cut: { shownBytes: Buffer.byteLength(text, 'utf8'), totalBytes: total } };
}

/** The start of `text` in at most `maxBytes` UTF-8 bytes, ending at a line break when one is near. */
export function cutBytes(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 4 || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let head = Buffer.from(text.slice(0, maxBytes), 'utf8').subarray(0, maxBytes).toString('utf8');
  if (head.endsWith('\uFFFD')) head = head.slice(0, -1);
  const nl = head.lastIndexOf('\n');
  if (nl >= head.length - LOOKAHEAD_BYTES && nl > 0) return head.slice(0, nl + 1);
  // One very long line: end at a word boundary so no partial word (or value) is left dangling.
  const space = head.search(/\s\S*$/);
  return space > 0 ? head.slice(0, space + 1) : head;
}

/** `1.5 MiB`, `640 KiB`, `900 B`. */
export function formatBytes(n: number): string {
  if (n >= MIB) return `${(n / MIB).toFixed(n >= 10 * MIB ? 0 : 1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} B`;
}

/** The sentence every front end shows under a cut output. */
export function cutNote(cut: { readonly shownBytes: number; readonly totalBytes: number }): string {
  return `output cut: showing the first ${formatBytes(cut.shownBytes)} of ${formatBytes(cut.totalBytes)} (the bot's output limit); run a narrower command or add | match PATTERN to see the rest`;
}
