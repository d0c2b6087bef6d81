/**
 * Secret redaction for everything that leaves the process: log lines, Slack messages, terminal
 * and JSON output, audit rows, stored diffs. Two layers, both always on:
 *
 *  - structure: secret-bearing fields found by their place in the text, per format (curly-brace
 *    and set configuration, `show | compare` diffs, XML, JSON) from the dialect tables in
 *    dialects/ (data, one table per CLI dialect), plus vendor-neutral shapes (shapes.ts: hashes,
 *    tokens, `secret X`, private keys);
 *  - values: every secret the process holds or has seen in a node's configuration is replaced
 *    wherever it appears (known-values.ts), so pipes that cut the context away
 *    (`| match community`, `| trim 9`) still show none. The exec path reads a node's configuration before a
 *    piped command (src/ops/exec-output.ts); plans, config sources and snapshots are learnt too.
 */
export {
  MAX_KNOWN_SECRETS,
  MIN_SECRET_LENGTH,
  REDACTED,
  clearRegisteredSecrets,
  knownSecretCount,
  redactKnownSecrets,
  registerSecret,
} from './known-values.js';
export { learnSecrets, redactText, redactTextAsync, type RedactOptions } from './redact-text.js';
export { redactObject } from './redact-object.js';
export { DIALECT_SECRETS, type DialectSecrets, type SecretField } from './dialects/index.js';
