import type { CheckResult, Facts, OutputFormat } from '../contract.js';
import { describeRpcError, replyInnerXml, type RpcError, type RpcReply } from '../netconf/reply.js';
import { attr, child, children, elementNames, findAll, path, text } from '../netconf/xml-tree.js';

/** Pure readers of Junos replies. None of them does IO or throws for device errors. */

/**
 * Strips the blank lines devices put around text output, keeping inner whitespace as sent.
 * trimEnd() rather than /\s+$/: the regex retries at every run of spaces, slow on a 2 MB diff.
 */
export function trimBlankLines(value: string): string {
  return value.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

/** Messages of error-severity entries, one line each with path and element. */
export function errorMessages(errors: readonly RpcError[]): string[] {
  return errors.map(describeRpcError);
}

export function warningMessages(reply: RpcReply): string[] {
  return reply.warnings.map(describeRpcError);
}

export interface CommandOutput {
  readonly output: string;
  readonly format: OutputFormat;
}

/**
 * Output of `<command>`. Text comes in `<output>` (possibly several), in
 * `<configuration-information><configuration-output>` (show configuration), or not at all
 * (`<rpc-reply/>` = empty output). A command that has no JSON/XML rendering answers in text.
 */
export function commandOutput(reply: RpcReply, requested: OutputFormat): CommandOutput {
  const outputs = children(reply.body, 'output').map((o) => text(o) ?? '');
  const textual = outputs.length > 0 ? outputs.join('\n') : text(path(reply.body, 'configuration-information', 'configuration-output'));
  if (textual !== undefined) return { output: trimBlankLines(textual), format: 'text' };
  const bare = bareText(reply);
  switch (requested) {
    case 'json':
      return { output: (bare ?? '').trim(), format: 'json' };
    case 'text':
      // Text was asked for but the device answered with elements: show them rather than nothing.
      if (bare !== undefined) return { output: trimBlankLines(bare), format: 'text' };
      return { output: replyInnerXml(reply.raw).trim(), format: 'xml' };
    case 'xml':
      return { output: replyInnerXml(reply.raw).trim(), format: 'xml' };
    default:
      return requested satisfies never;
  }
}

/** The reply's own text when it has no data elements (JSON output, or a plain-text error). */
function bareText(reply: RpcReply): string | undefined {
  const elements = elementNames(reply.body).filter((name) => name !== 'cli');
  if (elements.length > 0) return undefined;
  return text(reply.body);
}

/**
 * Junos sometimes reports a failed `<command>` as bare text in the reply instead of an rpc-error
 * (`protocol: operation-failed` / `error: device asdf not found`). Returns those `error:` lines.
 */
export function bareTextErrors(reply: RpcReply): string[] {
  const body = bareText(reply);
  if (body === undefined) return [];
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  return lines.flatMap((line) => {
    const match = /^error:\s*(.+)$/.exec(line);
    return match?.[1] === undefined ? [] : [match[1]];
  });
}

/** Text of `get-configuration compare="rollback"`: '' when nothing changes (device sends "\n" or no element). */
export function diffText(reply: RpcReply): string {
  const output = text(path(reply.body, 'configuration-information', 'configuration-output')) ?? text(child(reply.body, 'configuration-output'));
  return output === undefined ? '' : trimBlankLines(output);
}

/**
 * Text of `get-configuration format="text"`: Junos answers `<configuration-text>`; the CLI-shaped
 * `<configuration-information><configuration-output>` is accepted too. Undefined when the reply
 * holds neither (an `<ok/>` alone is no configuration).
 */
export function configurationText(reply: RpcReply): string | undefined {
  const textual =
    text(child(reply.body, 'configuration-text')) ?? text(path(reply.body, 'configuration-information', 'configuration-output'));
  return textual === undefined ? undefined : trimBlankLines(textual);
}

export { diffHash, normaliseDiff } from '../diff-hash.js';

/** commit check: failure is data here. Errors of severity error fail it; warnings never do. */
export function checkResult(reply: RpcReply, extraWarnings: readonly string[] = []): CheckResult {
  return {
    ok: reply.errors.length === 0,
    errors: errorMessages(reply.errors),
    warnings: [...extraWarnings, ...warningMessages(reply)],
  };
}

/**
 * Identity of the active configuration (rollback 0) from `get-commit-information`: the newest
 * commit-history entry's time in epoch seconds, user and client. Stable until the next commit.
 */
export function activeCommitIdentity(reply: RpcReply): string | undefined {
  const entries = findAll(reply.body, 'commit-history');
  const newest = entries.find((e) => text(child(e, 'sequence-number'))?.trim() === '0') ?? entries[0];
  if (newest === undefined) return undefined;
  const dateTime = child(newest, 'date-time');
  const when = attr(dateTime, 'seconds') ?? text(dateTime)?.trim();
  const revision = text(child(newest, 'commit-revision'))?.trim();
  const user = text(child(newest, 'user'))?.trim();
  const client = text(child(newest, 'client'))?.trim();
  const parts = [revision ?? when, user, client].filter((p): p is string => p !== undefined && p !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

/** A commit-revision in `<commit-results>` (newer releases), if the device sent one. */
export function commitRevision(reply: RpcReply): string | undefined {
  const revision = findAll(reply.body, 'commit-revision')[0];
  const value = text(revision)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The first `name` element either at the top of the reply or inside the first
 * `<multi-routing-engine-item>` that has one (dual-RE and virtual-chassis devices).
 */
export function perRoutingEngine(reply: RpcReply, name: string): unknown {
  const direct = child(reply.body, name);
  if (direct !== undefined) return direct;
  for (const item of children(child(reply.body, 'multi-routing-engine-results'), 'multi-routing-engine-item')) {
    const found = child(item, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface SoftwareFacts {
  readonly hostname: string;
  readonly model: string;
  readonly version: string;
}

/** From get-software-information; undefined when the reply holds no software-information. */
export function softwareFacts(reply: RpcReply): SoftwareFacts | undefined {
  const info = perRoutingEngine(reply, 'software-information');
  if (info === undefined) return undefined;
  const value = (name: string) => text(child(info, name))?.trim() ?? '';
  return {
    hostname: value('host-name'),
    model: value('product-model') || value('product-name'),
    version: value('junos-version') || versionFromPackages(info),
  };
}

/** Old releases have no `<junos-version>`: the `[x.y]` of the junos package comment holds it. */
function versionFromPackages(info: unknown): string {
  const packages = children(info, 'package-information');
  const ordered = [
    ...packages.filter((p) => /^junos/i.test(text(child(p, 'name'))?.trim() ?? '')),
    ...packages,
  ];
  for (const pkg of ordered) {
    const match = /\[([^\]]+)\]/.exec(text(child(pkg, 'comment')) ?? '');
    if (match?.[1] !== undefined) return match[1];
  }
  return '';
}

/** Chassis serial number from get-chassis-inventory ('' when absent, e.g. some virtual platforms). */
export function chassisSerial(reply: RpcReply): string {
  const inventory = perRoutingEngine(reply, 'chassis-inventory');
  return text(path(inventory, 'chassis', 'serial-number'))?.trim() ?? '';
}

/** Seconds since boot from get-system-uptime-information, preferring the booted-time span. */
export function uptimeSeconds(reply: RpcReply): number | undefined {
  const info = perRoutingEngine(reply, 'system-uptime-information');
  if (info === undefined) return undefined;
  const candidates = [
    attr(path(info, 'system-booted-time', 'time-length'), 'seconds'),
    attr(path(info, 'uptime-information', 'up-time'), 'seconds'),
  ];
  for (const candidate of candidates) {
    const seconds = candidate === undefined ? NaN : Number(candidate);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  }
  const booted = Number(attr(path(info, 'system-booted-time', 'date-time'), 'seconds'));
  const now = Number(attr(path(info, 'current-time', 'date-time'), 'seconds'));
  return Number.isFinite(booted) && Number.isFinite(now) && now >= booted ? now - booted : undefined;
}

export function buildFacts(software: SoftwareFacts, serial: string, uptime: number | undefined): Facts {
  return { ...software, serial, uptimeSeconds: uptime, vendor: 'Juniper' };
}
