import type { Driver } from '../../drivers/contract.js';
import { ClabBotError } from '../../errors.js';
import type { LabNode } from '../../inventory/types.js';
import type { NodeSource } from '../../model/config-source.js';
import { nodeKey, type NodeRef } from '../../model/node-ref.js';
import { REDACTED, learnSecrets, redactTextAsync } from '../../redact/index.js';

/** A candidate holds a masked secret the running configuration has no counterpart for. */
export class MaskedSecretError extends ClabBotError {
  constructor(node: NodeRef, line: string) {
    super(
      'masked_secret',
      `${nodeKey(node)}: the configuration to load has a masked secret (${line.trim()}) that the running configuration does not have at the same place, and clab-bot never stores secrets`,
      { hint: 'enter the secret in the configuration and load it with `config`, or change the node by hand' },
    );
  }
}

/**
 * A text candidate holding masked values (`<redacted>`, as in a stored backup) gets each masked
 * line from the device's running configuration, read now: the raw line whose redacted form is
 * the same line under the same enclosing lines. So a restored backup keeps the secrets the device
 * has, and no secret is ever stored with the change. Other sources pass through unchanged.
 */
export async function withRunningSecrets(driver: Driver, source: NodeSource, signal: AbortSignal | undefined): Promise<NodeSource> {
  if (source.type !== 'text' || !source.content.includes(REDACTED)) return source;
  const raw = await driver.runningConfig(signal === undefined ? {} : { signal });
  learnSecrets(raw);
  const redacted = await redactTextAsync(raw, { secrets: [driver.node.credentials.password] });
  const { sha256: _stored, ...rest } = source;
  return { ...rest, content: fillMaskedLines(driver.node, source.content, raw, redacted) };
}

/** The candidate with each masked line replaced by the running configuration's raw line at the same place. */
export function fillMaskedLines(node: LabNode | NodeRef, candidate: string, runningRaw: string, runningRedacted: string): string {
  const raw = runningRaw.split('\n');
  const red = runningRedacted.split('\n');
  const filled = new Map<string, string>();
  // Redaction masks values within a line, so the two texts pair line by line.
  if (raw.length === red.length) {
    const paths = enclosing(red);
    red.forEach((line, i) => {
      if (line !== raw[i] && line.includes(REDACTED)) filled.set(`${paths[i]}\u0000${line}`, raw[i]!);
    });
  }
  const lines = candidate.split('\n');
  const paths = enclosing(lines);
  return lines
    .map((line, i) => {
      if (!line.includes(REDACTED)) return line;
      const found = filled.get(`${paths[i]}\u0000${line}`);
      if (found === undefined) throw new MaskedSecretError(node, line);
      return found;
    })
    .join('\n');
}

/** For each line, the lines that enclose it (each earlier line of smaller indentation), joined. */
function enclosing(lines: readonly string[]): string[] {
  const stack: { indent: number; text: string }[] = [];
  return lines.map((line) => {
    const indent = line.length - line.trimStart().length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const path = stack.map((s) => s.text).join('\u0001');
    if (line.trim() !== '') stack.push({ indent, text: line.trim() });
    return path;
  });
}
