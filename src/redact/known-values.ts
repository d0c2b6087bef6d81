/**
 * Value masking: every secret value the process knows (credentials it holds, secrets seen in a
 * node's configuration) is replaced wherever it appears, whatever the format and whatever a pipe
 * cut away around it. Process-wide and in memory only: values are never written anywhere, and a
 * restart fills the registry again (credentials at start, node secrets from the running config:
 * the exec path reads it before a piped command, src/ops/exec-output.ts).
 */

export const REDACTED = '<redacted>';

/** The marker as it reads after escaping for Slack mrkdwn, HTML or XML. */
export const REDACTED_ESCAPED = '&lt;redacted&gt;';

/** Whether a value (quotes removed) is already the marker, in any spelling. */
export function isRedacted(value: string): boolean {
  return value === REDACTED || value === REDACTED_ESCAPED;
}

/** Shorter values are not registered: replacing them everywhere would shred ordinary words. */
export const MIN_SECRET_LENGTH = 6;

/** A bound on the registry; a device with more secrets than this is not a lab device. */
export const MAX_KNOWN_SECRETS = 20_000;

const registry = new Set<string>();
let pattern: RegExp | null | undefined;

/**
 * Remembers a secret value so every later redaction removes it, in plain, URL-encoded,
 * JSON-escaped and XML/HTML-escaped spelling. Returns false for values too short to register,
 * already-redacted text, or when the registry is full.
 */
export function registerSecret(value: string | undefined | null): boolean {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || value.includes(REDACTED)) return false;
  if (registry.has(value)) return true;
  if (registry.size >= MAX_KNOWN_SECRETS) return false;
  for (const spelling of spellings(value)) registry.add(spelling);
  pattern = undefined;
  return true;
}

/** Forgets every registered secret (tests). */
export function clearRegisteredSecrets(): void {
  registry.clear();
  pattern = undefined;
}

/** How many spellings are registered (diagnostics, tests). */
export function knownSecretCount(): number {
  return registry.size;
}

/** Replaces registered secrets and `extra` values only; no pattern matching. */
export function redactKnownSecrets(text: string, extra: readonly string[] = []): string {
  const more = extra.filter((v) => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH && !registry.has(v)).flatMap(spellings);
  const re = more.length > 0 ? compile([...registry, ...more]) : (pattern === undefined ? (pattern = compile([...registry])) : pattern);
  if (re === null) return text;
  re.lastIndex = 0;
  return text.replace(re, REDACTED);
}

/** One alternation, longest first so a secret that contains another is removed whole. */
function compile(values: string[]): RegExp | null {
  if (values.length === 0) return null;
  const sorted = [...new Set(values)].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The ways a value shows up in output: as is, in a URL, inside JSON, escaped for XML, Slack or HTML. */
export function spellings(value: string): string[] {
  const out = new Set([value]);
  out.add(encodeURIComponent(value));
  out.add(JSON.stringify(value).slice(1, -1));
  const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  out.add(html);
  out.add(html.replace(/"/g, '&quot;').replace(/'/g, '&apos;'));
  return [...out].filter((s) => s.length >= MIN_SECRET_LENGTH);
}
