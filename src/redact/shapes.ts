import { REDACTED, isRedacted } from './known-values.js';
import type { Found } from './config-text.js';

/**
 * The vendor-neutral shape layer: secrets recognised by their look, without a dialect table or
 * a known value. Statements that carry secrets in any CLI (`secret X`, `password 7 X`,
 * `snmp-server community X`, `key-string X`), password hashes, Slack tokens, bearer headers,
 * URL credentials, `key: value` pairs and PEM private keys. The key of a statement and a diff's
 * +/- marker are kept, so `+ encrypted-password "$6$…";` reads `+ encrypted-password "<redacted>";`.
 */

// --- shapes -------------------------------------------------------------------------------------

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----/g;

/**
 * PEM private keys (`-----BEGIN [RSA |OPENSSH |EC ]PRIVATE KEY-----` … END): the body goes, the
 * armour stays. Found with indexOf rather than one lazy regex so text with many BEGIN lines and
 * no END stays linear. A BEGIN without its END is redacted to the end of the text.
 */
export function redactPrivateKeys(text: string): string {
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
const VALUE = String.raw`(?:&lt;redacted&gt;|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|(?![|])[^\s;{}\[\]"']+)`;
/**
 * Words between a keyword and its value: encryption type, key id, hash algorithm, and Cisco's
 * `level N` (`enable password level 5 X`) and `password` (IOS-XR `key-string password X`).
 */
const TYPE_WORD = String.raw`(?:\d{1,3}|sha256|sha512|md5|ascii-text|hexadecimal|encrypted|clear|cleartext|plaintext|unencrypted|hidden|password|level)`;
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
  'chap-secret',
  'pap-password',
  'shared-secret',
  'secret',
  'key-string',
  'message-digest-key',
  'server-key',
].join('|');

/** Keywords a Cisco value never is: `password inheritance-disable` (IOS-XR BGP), `lsp-password keychain K`. */
const NOT_A_VALUE = String.raw`(?!(?:inheritance-disable|keychain|key-chain)(?:\s|$))`;

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
  { trigger: /password/, re: new RegExp(String.raw`(${LEAD}password\s+${TYPES})${NOT_A_VALUE}(${VALUE})`, 'g') },
  {
    trigger: /password/,
    re: new RegExp(String.raw`((?:^|\s)(?:[\w-]*user(?:name)?|enable|neighbor|ppp|isis)\s(?:[^\n]{0,200}?\s)?password\s+${TYPES})(${VALUE})`, 'g'),
  },
  // `password 7 X` anywhere (IOS `l2tp tunnel password 7 X`): an encryption type says a value follows.
  { trigger: /password/, re: new RegExp(String.raw`((?<![\w-])password\s+(?:\d|encrypted)\s+)(${VALUE})`, 'g') },
  // IS-IS: IOS `area-password X`, `domain-password X`; IOS-XR `lsp-password hmac-md5 encrypted X`, `hello-password …`.
  {
    trigger: /password/,
    re: new RegExp(String.raw`((?<![\w-])(?:area|domain|lsp|hello)-password\s+(?:(?:hmac-md5|text)\s+)?${TYPES})${NOT_A_VALUE}(${VALUE})`, 'g'),
  },
  // IKE: Junos `pre-shared-key ascii-text X`, IOS IKEv2 `pre-shared-key [local|remote] X`, and the
  // IOS keyring's `pre-shared-key address A [MASK] key X`, where the word after is not the value.
  {
    trigger: /pre-shared-key/,
    re: new RegExp(String.raw`((?<![\w-])pre-shared-key\s+(?:(?:local|remote)\s+)?${TYPES})(?!(?:address|hostname)\s)(${VALUE})`, 'g'),
  },
  {
    trigger: /pre-shared-key/,
    re: new RegExp(String.raw`(\bpre-shared-key\s+(?:address|hostname)\s(?:[^\n]{0,100}?\s)?key\s+${TYPES})(${VALUE})`, 'g'),
  },
  // HSRP plain-text authentication: `standby 1 authentication [text] X` (md5 goes through key-string).
  {
    trigger: /authentication/,
    re: new RegExp(String.raw`(\bstandby\s+(?:\d+\s+)?authentication\s+(?:text\s+)?)(?!md5\s)(${VALUE})`, 'g'),
  },
  // Junos `authentication md5 1 key "…"`; TACACS/RADIUS server keys; IKE keys.
  { trigger: /key/, re: new RegExp(String.raw`(\bmd5\s+\d+\s+key\s+)(${VALUE})`, 'g') },
  // The same secrets when a config is shown one level per block (`md5 { 1 { key …; } }`,
  // `pre-shared-key { ascii-text …; }`): a `key` leaf ending in `;`, an ascii-text/hexadecimal statement.
  // (Not the `&lt` of a redacted value escaped for Slack, whose `;` is no statement end.)
  { trigger: /key/, re: new RegExp(String.raw`(${LEAD}key\s+)(?!&lt;redacted&gt;)(${VALUE})(?=\s*;)`, 'g') },
  { trigger: /ascii-text|hexadecimal/, re: new RegExp(String.raw`(${LEAD}(?:ascii-text|hexadecimal)\s+)(${VALUE})`, 'g') },
  {
    trigger: /key/,
    re: new RegExp(String.raw`(\b(?:tacacs-server|radius-server|tacacs|radius|server-private|isakmp)\s(?:[^\n]{0,200}?\s)?key\s+${TYPES})(${VALUE})`, 'g'),
  },
  // SNMP community written inline (Junos set form, IOS/EOS `snmp-server community`, IOS-XR `community-map`).
  {
    trigger: /community/,
    re: new RegExp(String.raw`(\bsnmp(?:-server)?\s(?:[^\n]{0,200}?\s)?community(?:-map)?\s+)(${VALUE})`, 'g'),
  },
  // The community as a trap host's argument: `snmp-server host A [vrf V] [traps|informs] [version 1|2c] [encrypted] COMMUNITY`
  // (SNMPv3 hosts name a user instead, and are left alone).
  {
    trigger: /snmp-server/,
    re: new RegExp(
      String.raw`(\bsnmp-server\s+host\s+\S+\s+(?:vrf\s+\S+\s+)?(?:(?:traps|informs)\s+)?(?:version\s+(?:1|2c)\s+)?(?:(?:encrypted|clear)\s+)?)(?!(?:version|traps|informs|vrf|udp-port)(?:\s|$))(${VALUE})`,
      'g',
    ),
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

/** The union of every rule's trigger, the hash's `$` and the SECRET-DATA mark. */
const ANY_TRIGGER = /pass|secret|key|ascii-text|hexadecimal|community|snmp-server|authentication|token|xox|xapp|authorization|bearer|:\/\/|\$|SECRET-DATA/i;

/** crypt(3) and Junos `$9$` hashes: the whole hash goes. */
const HASH = /\$(?:1|2[abxy]?|5|6|7|9|y|gy|sha1|md5)\$[^\s"';,]{8,}/g;

/** Junos marks secret statements itself: `encrypted-password "…"; ## SECRET-DATA`. */
const SECRET_DATA = /##\s*SECRET-DATA/;

/** One line through every shape; `found` hears each value replaced (for value masking). */
export function redactLineShapes(line: string, found?: Found): string {
  // One test for every rule's trigger: most lines of a long output hold none of them.
  if (!ANY_TRIGGER.test(line)) return line;
  const value = (_m: string, keep: string, v: string) => keep + redactValue(v, found);
  for (const rule of TOKEN_RULES) {
    if (rule.trigger.test(line)) line = line.replace(rule.re, value);
  }
  if (line.includes('$')) line = line.replace(HASH, (h) => (found?.(h), REDACTED));
  for (const rule of KEYWORD_RULES) {
    if (rule.trigger.test(line)) line = line.replace(rule.re, value);
  }
  if (SECRET_DATA.test(line)) line = redactSecretData(line, found);
  return line;
}

function redactValue(value: string, found?: Found): string {
  const first = value[0];
  if (isRedacted(value) || ((first === '"' || first === "'") && isRedacted(value.slice(1, -1)))) return value;
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) {
    if (value !== `${first}${REDACTED}${first}`) found?.(value.slice(1, -1));
    return `${first}${REDACTED}${first}`;
  }
  found?.(value);
  return REDACTED;
}

function redactSecretData(line: string, found?: Found): string {
  const cut = line.search(SECRET_DATA);
  const head = line.slice(0, cut);
  const quoted = /"(?:[^"\\]|\\.)*"/g;
  const replaced = quoted.test(head)
    ? head.replace(quoted, (v) => redactValue(v, found))
    : head.replace(/(\S+)(\s*;\s*)$/, (_m, v: string, tail: string) => redactValue(v, found) + tail);
  return replaced + line.slice(cut);
}

