/**
 * eAPI request building and answer parsing (pure): `runCmds` version 1 params, the error object
 * (1002 invalid command, 1000 could not run, 1003 unconverted, JSON-RPC envelope codes) mapped to
 * the driver error tree with the failing command's own message, warnings, facts.
 */
import type { JsonRpcErrorObject } from '../http/json-rpc-client.js';
import { LockedError, RejectedError, type DriverError, type DriverErrorContext } from '../errors.js';
import type { Facts } from '../contract.js';

export type EapiFormat = 'json' | 'text';

export interface RunCmdsParams {
  readonly version: 1;
  readonly cmds: readonly string[];
  readonly format: EapiFormat;
  /** Unique prefixes (`sh ver`) are expanded only when true. */
  readonly autoComplete: boolean;
  readonly expandAliases: false;
  readonly timestamps: false;
}

export function runCmdsParams(cmds: readonly string[], format: EapiFormat, autoComplete: boolean): RunCmdsParams {
  return { version: 1, cmds, format, autoComplete, expandAliases: false, timestamps: false };
}

/** What a failed runCmds says: the failing command (1-based index in cmds) and its errors. */
export interface EapiFailure {
  readonly code: number;
  readonly message: string;
  /** 0-based index of the failing command, when the message names it. */
  readonly index: number | undefined;
  readonly command: string | undefined;
  readonly errors: readonly string[];
}

export function parseFailure(error: JsonRpcErrorObject): EapiFailure {
  const m = /^CLI command (\d+) of \d+ '(.*)' failed: /s.exec(error.message);
  const data = Array.isArray(error.data) ? (error.data as unknown[]) : [];
  const last = data[data.length - 1];
  const raw = typeof last === 'object' && last !== null ? (last as { errors?: unknown }).errors : undefined;
  const errors = Array.isArray(raw) ? raw.filter((e): e is string => typeof e === 'string' && e.trim() !== '') : [];
  return {
    code: error.code,
    message: error.message,
    index: m === null ? undefined : Number(m[1]) - 1,
    command: m?.[2],
    errors,
  };
}

/**
 * The driver error for a failed runCmds. A lock held by someone else is LockedError (matched on
 * the wording, the only signal eAPI gives); everything else is RejectedError carrying the device's
 * messages: the failing command's `errors` (1002/1000), else the error message (envelope errors).
 */
export function eapiError(error: JsonRpcErrorObject, ctx: DriverErrorContext, opts: { showCommand?: boolean } = {}): DriverError {
  const f = parseFailure(error);
  const messages = f.errors.length > 0 ? [...f.errors] : [f.message];
  if (messages.some((m) => /configuration is locked|locked by another session/i.test(m))) return new LockedError(ctx, messages.join('; '));
  if (f.code < 0) return new RejectedError(ctx, [`eAPI error ${f.code}: ${f.message}`]);
  const shown = opts.showCommand === true && f.command !== undefined ? messages.map((m) => `'${f.command}': ${m}`) : messages;
  return new RejectedError(ctx, shown);
}

/** Warnings and messages EOS attaches to results (`{"warnings": [...]}`), never failures. */
export function resultWarnings(results: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (typeof r !== 'object' || r === null) continue;
    const w = (r as { warnings?: unknown }).warnings;
    if (Array.isArray(w)) out.push(...w.filter((x): x is string => typeof x === 'string'));
  }
  return out;
}

/** The `output` of a text-format result. */
export function textOutput(result: unknown): string {
  if (typeof result === 'object' && result !== null && typeof (result as { output?: unknown }).output === 'string') {
    return (result as { output: string }).output;
  }
  return '';
}

/** Facts from `show version` and `show hostname` (json). */
export function eosFacts(version: unknown, hostname: unknown): Facts {
  const v = (typeof version === 'object' && version !== null ? version : {}) as Record<string, unknown>;
  const h = (typeof hostname === 'object' && hostname !== null ? hostname : {}) as Record<string, unknown>;
  const str = (x: unknown): string => (typeof x === 'string' ? x : '');
  const uptime = typeof v['uptime'] === 'number' && Number.isFinite(v['uptime']) ? Math.floor(v['uptime']) : undefined;
  return {
    hostname: str(h['hostname']),
    model: str(v['modelName']),
    version: str(v['version']),
    serial: str(v['serialNumber']),
    uptimeSeconds: uptime,
    vendor: str(v['mfgName']) || 'Arista',
  };
}

/** Seconds → `HH:MM:SS` as `commit timer` takes it. */
export function commitTimer(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

/** The longest commit timer EOS takes. */
export const MAX_COMMIT_TIMER_SECONDS = 24 * 3600;

/**
 * The session diff as the bot shows and hashes it: the device's unified diff with the session
 * name in the `+++` header made stable (`clab-bot-<node>`). Plan and apply stage in sessions with
 * different names by design; the approval must bind to the change, not to the name.
 */
export function canonicalSessionDiff(diff: string, node: string): string {
  return diff.replace(/^(--- system:\/running-config\n\+\+\+ session:\/)\S*-session-config\n/, `$1clab-bot-${node}-session-config\n`);
}
