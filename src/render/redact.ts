/**
 * Secret redaction for everything that leaves the process: log lines, Slack messages, audit rows,
 * config diffs. Two layers:
 *  - known values: passwords and tokens the process holds (registered at start, or passed per call)
 *    are replaced wherever they appear;
 *  - shapes: config statements that carry secrets (Junos, EOS/IOS, SR Linux), password hashes,
 *    Slack tokens, bearer headers, URL credentials and private keys, found without knowing the value.
 * The key of a statement and a diff's +/- marker are kept, so `+ encrypted-password "$6$…";`
 * reads `+ encrypted-password "<redacted>";`. Redaction is idempotent.
 */

export const REDACTED = '<redacted>';

/** Shorter values are not registered: replacing them everywhere would shred ordinary words. */
export const MIN_SECRET_LENGTH = 6;

export interface RedactOptions {
  /** Secret values to remove in this call, on top of the registered ones. */
  readonly secrets?: readonly string[];
}

const registry = new Set<string>();
let registrySorted: readonly string[] | undefined;

/**
 * Remembers a secret value (device password, Slack token, database password) so every later
 * redaction removes it, in plain, URL-encoded and JSON-escaped spelling.
 * Returns false for values too short to register (see MIN_SECRET_LENGTH).
 */
export function registerSecret(value: string | undefined | null): boolean {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return false;
  for (const spelling of spellings(value)) registry.add(spelling);
  registrySorted = undefined;
  return true;
}

/** Forgets every registered secret (settings reload; tests). */
export function clearRegisteredSecrets(): void {
  registry.clear();
  registrySorted = undefined;
}

/** Replaces registered secrets and `extra` values only; no pattern matching. */
export function redactKnownSecrets(text: string, extra: readonly string[] = []): string {
  let values = registrySorted ?? (registrySorted = sortLongestFirst([...registry]));
  if (extra.length > 0) {
    const more = extra.filter((v) => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH).flatMap(spellings);
    if (more.length > 0) values = sortLongestFirst([...new Set([...values, ...more])]);
  }
  let out = text;
  // Longest first so a secret that contains another is removed whole.
  for (const value of values) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out;
}

/** Known secrets plus every secret-looking shape. Use on any text leaving the process. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  let out = redactKnownSecrets(text, opts.secrets ?? []);
  return redactLines(redactPrivateKeys(out));
}

/**
 * Deep copy of `value` with every string passed through redactText and every value under a
 * secret-named key (password, token, secret, authorization, …) replaced by REDACTED.
 * Errors become plain records `{ type, message, stack, code?, cause?, … }` (the shape pino logs);
 * cycles become '[Circular]'; nesting deeper than 32 levels becomes '[MaxDepth]'.
 */
export function redactObject<T>(value: T, opts: RedactOptions = {}): T {
  return walk(value, opts, new WeakSet<object>(), 0) as T;
}

// ---------------------------------------------------------------------------------------------

const MAX_DEPTH = 32;

/** Keys whose scalar values are secrets whatever they look like. */
const SECRET_KEY = /(?:password|passwd|passphrase|secret|token|api[-_]?key|(?:secret|private|access)[-_]?key|authorization|cookie)s?$/i;

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
      return new Map([...value].map(([k, v]) => [k, typeof k === 'string' && SECRET_KEY.test(k) ? hide(v, opts, seen, depth) : walk(v, opts, seen, depth + 1)]));
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

/** The ways a value shows up in output: as is, in a URL, inside JSON, escaped for Slack or HTML. */
function spellings(value: string): string[] {
  const out = new Set([value]);
  out.add(encodeURIComponent(value));
  out.add(JSON.stringify(value).slice(1, -1));
  out.add(value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  return [...out].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

function sortLongestFirst(values: string[]): string[] {
  return values.sort((a, b) => b.length - a.length);
}

// --- shapes -------------------------------------------------------------------------------------

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----/g;

/**
 * PEM private keys (`-----BEGIN [RSA |OPENSSH |EC ]PRIVATE KEY-----` … END): the body goes, the
 * armour stays. Found with indexOf rather than one lazy regex so text with many BEGIN lines and
 * no END stays linear. A BEGIN without its END is redacted to the end of the text.
 */
function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY-----')) return text;
  let out = '';
  let from = 0;
  PRIVATE_KEY_BEGIN.lastIndex = 0;
  for (let m = PRIVATE_KEY_BEGIN.exec(text); m !== null; m = PRIVATE_KEY_BEGIN.exec(text)) {
    const label = m[1] ?? '';
    const end = `-----END ${label}PRIVATE KEY-----`;
    const endAt = text.indexOf(end, PRIVATE_KEY_BEGIN.lastIndex);
    out += `${text.slice(from, m.index)}-----BEGIN ${label}PRIVATE KEY-----\n${REDACTED}\n`;
    if (endAt === -1) return out;
    out += end;
    from = endAt + end.length;
    PRIVATE_KEY_BEGIN.lastIndex = from;
  }
  return out + text.slice(from);
}

/** A statement value: double- or single-quoted string, or a bare word that is not syntax. */
const VALUE = String.raw`(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|(?![|])[^\s;{}\[\]"']+)`;
/** Words between a keyword and its value: encryption type, key id, hash algorithm. */
const TYPE_WORD = String.raw`(?:\d{1,3}|sha256|sha512|md5|ascii-text|hexadecimal|encrypted|clear|cleartext|plaintext|unencrypted|hidden)`;
const TYPES = String.raw`(?:${TYPE_WORD}\s+){0,3}`;
/** Start of a statement: indentation and a diff marker (`+`, `-`, `!` context, `>`). */
const LEAD = String.raw`^\s*[+\-!>]?\s*`;

/** Keywords whose following value is a secret wherever they appear. */
const ALWAYS_SECRET = [
  'encrypted-password',
  'plain-text-password-value',
  String.raw`[\w-]*authentication-key`,
  'authentication-password',
  'privacy-password',
  'pre-shared-key',
  'chap-secret',
  'pap-password',
  'shared-secret',
  'secret',
  'key-string',
  'message-digest-key',
].join('|');

interface Rule {
  /** Cheap substring test before running the regex. */
  readonly trigger: RegExp;
  /** Group 1 is kept; group 2 is the value replaced. */
  readonly re: RegExp;
}

const KEYWORD_RULES: readonly Rule[] = [
  {
    trigger: /password|secret|key/,
    re: new RegExp(String.raw`((?<![\w-])(?:${ALWAYS_SECRET})\s+${TYPES})(${VALUE})`, 'g'),
  },
  // Bare `password` only where it takes a value: a statement of its own (IOS `line vty`, SR Linux),
  // or after username/user/admin-user/enable/neighbor/ppp (IOS, EOS, SR Linux). Junos `password {`
  // and `authentication-order [ password radius ]` do not match.
  { trigger: /password/, re: new RegExp(String.raw`(${LEAD}password\s+${TYPES})(${VALUE})`, 'g') },
  {
    trigger: /password/,
    re: new RegExp(String.raw`((?:^|\s)(?:[\w-]*user(?:name)?|enable|neighbor|ppp)\s(?:[^\n]{0,200}?\s)?password\s+${TYPES})(${VALUE})`, 'g'),
  },
  // Junos `authentication md5 1 key "…"`; TACACS/RADIUS server keys; IKE keys.
  { trigger: /key/, re: new RegExp(String.raw`(\bmd5\s+\d+\s+key\s+)(${VALUE})`, 'g') },
  // The same secrets when a config is shown one level per block (`md5 { 1 { key …; } }`,
  // `pre-shared-key { ascii-text …; }`): a `key` leaf ending in `;`, an ascii-text/hexadecimal statement.
  { trigger: /key/, re: new RegExp(String.raw`(${LEAD}key\s+)(${VALUE})(?=\s*;)`, 'g') },
  { trigger: /ascii-text|hexadecimal/, re: new RegExp(String.raw`(${LEAD}(?:ascii-text|hexadecimal)\s+)(${VALUE})`, 'g') },
  {
    trigger: /key/,
    re: new RegExp(String.raw`(\b(?:tacacs-server|radius-server|tacacs|radius|server-private|isakmp)\s(?:[^\n]{0,200}?\s)?key\s+${TYPES})(${VALUE})`, 'g'),
  },
  // SNMP community written inline (Junos set form, IOS/EOS `snmp-server community`).
  {
    trigger: /community/,
    re: new RegExp(String.raw`(\bsnmp(?:-server)?\s(?:[^\n]{0,200}?\s)?community\s+)(${VALUE})`, 'g'),
  },
  // key: value / key=value (YAML, JSON, env files, URLs' query strings).
  {
    trigger: /pass|secret|token|key/i,
    re: new RegExp(
      String.raw`((?:^|[\s{,;"'(?&])["']?[\w.-]*(?:password|passwd|passphrase|secret|token|api[-_]?key)["']?\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;}\]"'&]+)`,
      'gi',
    ),
  },
];

/** Shapes that are secrets on their own, anywhere in a line. */
const TOKEN_RULES: readonly Rule[] = [
  // Slack bot/user/app/refresh tokens: keep the prefix so the reader knows which kind it was.
  { trigger: /xox|xapp/, re: /\b(xox[a-z](?:\.xox[a-z])?-|xapp-)([A-Za-z0-9-]{6,})/g },
  { trigger: /authorization/i, re: /((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token|Bot)\s+)([^\s"',;]+)/gi },
  { trigger: /bearer/i, re: /(\bBearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi },
  // user:password@ in URLs (postgres://clab:pw@db/...).
  { trigger: /:\/\//, re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)([^\s@/]+)(?=@)/gi },
];

/** crypt(3) and Junos `$9$` hashes: the whole hash goes. */
const HASH = /\$(?:1|2[abxy]?|5|6|7|9|y|gy|sha1|md5)\$[^\s"';,]{8,}/g;

/** Junos marks secret statements itself: `encrypted-password "…"; ## SECRET-DATA`. */
const SECRET_DATA = /##\s*SECRET-DATA/;

function redactLines(text: string): string {
  const lines = text.split('\n');
  const context = new JunosContext();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    const snmp = context.inSnmp(lines, i);
    for (const rule of TOKEN_RULES) {
      if (rule.trigger.test(line)) line = line.replace(rule.re, (_m, keep: string, value: string) => keep + redactValue(value));
    }
    if (line.includes('$')) line = line.replace(HASH, REDACTED);
    for (const rule of KEYWORD_RULES) {
      if (rule.trigger.test(line)) line = line.replace(rule.re, (_m, keep: string, value: string) => keep + redactValue(value));
    }
    if (snmp) line = line.replace(SNMP_COMMUNITY_STATEMENT, (_m, keep: string, value: string) => keep + redactValue(value));
    if (SECRET_DATA.test(line)) line = redactSecretData(line);
    lines[i] = line;
  }
  return lines.join('\n');
}

/** `community NAME {` or `community NAME;` inside Junos `snmp` (the name is the password). */
const SNMP_COMMUNITY_STATEMENT = new RegExp(String.raw`(${LEAD}community\s+)(${VALUE})(?=\s*[{;])`);

function redactValue(value: string): string {
  if (value === REDACTED) return value;
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) return `${first}${REDACTED}${first}`;
  return REDACTED;
}

function redactSecretData(line: string): string {
  const cut = line.search(SECRET_DATA);
  const head = line.slice(0, cut);
  const quoted = /"(?:[^"\\]|\\.)*"/g;
  const replaced = quoted.test(head)
    ? head.replace(quoted, (v) => redactValue(v))
    : head.replace(/(\S+)(\s*;\s*)$/, (_m, _v: string, tail: string) => REDACTED + tail);
  return replaced + line.slice(cut);
}

/**
 * Tracks where a line sits in a Junos curly-brace config or `show | compare` diff, to tell an SNMP
 * community (a password) from a BGP community (not secret): inside `snmp { … }`, under an
 * `[edit snmp …]` diff header, or a top-level `community X {` block whose body has SNMP-only
 * statements (output of `show configuration snmp`).
 */
class JunosContext {
  #stack: string[] = [];
  #editSnmp = false;

  inSnmp(lines: readonly string[], index: number): boolean {
    const body = stripDiffMarker(lines[index] ?? '');
    const header = /^\s*\[edit(?:\s+([^\]\s]+))?[^\]]*\]\s*$/.exec(body);
    if (header) {
      this.#editSnmp = header[1] === 'snmp';
      this.#stack = [];
      return false;
    }
    const inside = this.#editSnmp || this.#stack.includes('snmp');
    const open = /^\s*([\w.:/-]+)(?:\s+[^{};]*)?\{\s*(?:##.*)?$/.exec(body);
    if (open) {
      const word = open[1] ?? '';
      const result = inside || (word === 'community' && looksLikeSnmpBlock(lines, index));
      this.#stack.push(word);
      return result;
    }
    if (/^\s*\}/.test(body)) this.#stack.pop();
    return inside;
  }
}

function stripDiffMarker(line: string): string {
  return line.replace(/^\s*[+\-!>]/, '');
}

const SNMP_COMMUNITY_BODY = /^\s*(?:authorization|clients|client-list-name|view|routing-instance|logical-system)\b/;

/** Looks at most 40 lines into a `community X {` block for statements only SNMP communities have. */
function looksLikeSnmpBlock(lines: readonly string[], start: number): boolean {
  let depth = 0;
  const end = Math.min(lines.length, start + 40);
  for (let i = start; i < end; i++) {
    const body = stripDiffMarker(lines[i] ?? '');
    if (i > start && depth === 1 && SNMP_COMMUNITY_BODY.test(body)) return true;
    depth += (body.match(/\{/g) ?? []).length - (body.match(/\}/g) ?? []).length;
    if (depth <= 0) return false;
  }
  return false;
}
