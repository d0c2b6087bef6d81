import { REDACTED } from './known-values.js';
import { redactText, type RedactOptions } from './redact-text.js';

const MAX_DEPTH = 32;

/** Keys whose scalar values are secrets whatever they look like. */
const SECRET_KEY = /(?:password|passwd|passphrase|secret|token|api[-_]?key|(?:secret|private|access)[-_]?key|authorization|cookie)s?$/i;

/**
 * Deep copy of `value` with every string passed through redactText and every value under a
 * secret-named key (password, token, secret, authorization, …) replaced by REDACTED.
 * Errors become plain records `{ type, message, stack, code?, cause?, … }` (the shape pino logs);
 * cycles become '[Circular]'; nesting deeper than 32 levels becomes '[MaxDepth]'.
 */
export function redactObject<T>(value: T, opts: RedactOptions = {}): T {
  return walk(value, opts, new WeakSet<object>(), 0) as T;
}

function walk(value: unknown, opts: RedactOptions, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value, opts);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[MaxDepth]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, opts, seen, depth + 1));
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    if (value instanceof Map) {
      return new Map(
        [...value].map(([k, v]) => [k, typeof k === 'string' && SECRET_KEY.test(k) ? hide(v, opts, seen, depth) : walk(v, opts, seen, depth + 1)]),
      );
    }
    if (value instanceof Set) return new Set([...value].map((v) => walk(v, opts, seen, depth + 1)));
    const source: Record<string, unknown> = value instanceof Error ? errorRecord(value) : (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(source)) {
      out[key] = SECRET_KEY.test(key) ? hide(v, opts, seen, depth) : walk(v, opts, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Under a secret-named key: scalars are hidden whole, arrays item by item; objects are walked. */
function hide(v: unknown, opts: RedactOptions, seen: WeakSet<object>, depth: number): unknown {
  if (typeof v === 'string') return v.length === 0 ? v : REDACTED;
  if (typeof v === 'number' || typeof v === 'bigint') return REDACTED;
  if (Array.isArray(v) && depth < MAX_DEPTH) return v.map((item) => hide(item, opts, seen, depth + 1));
  return walk(v, opts, seen, depth + 1);
}

function errorRecord(err: Error): Record<string, unknown> {
  const record: Record<string, unknown> = { type: err.name, message: err.message };
  if (err.stack !== undefined) record['stack'] = err.stack;
  for (const [k, v] of Object.entries(err)) record[k] = v;
  if (err.cause !== undefined) record['cause'] = err.cause;
  return record;
}
