/**
 * Benchmark 8: redaction cost. Every line of device output and every stored config passes the
 * redactor, so a quadratic or backtracking rule shows up here (the unit tests check what it
 * hides; this measures how long it takes): a 200-copy Junos configuration full of secrets and
 * the pathological inputs that once made a rule backtrack.
 */
import { redactText } from '../src/redact/index.js';

export interface RedactRow {
  readonly input: string;
  readonly bytes: number;
  readonly ms: number;
}

const BLOCK = [
  'system {',
  '    root-authentication {',
  '        encrypted-password "$6$lB5c6$Hj3Bd8qKxv0pN1y2z3A4b5C6d7E8f9"; ## SECRET-DATA',
  '    }',
  '    radius-server 10.0.0.5 secret "$9$dVbwgJZjqmTHk5Q"; ## SECRET-DATA',
  '}',
  'set snmp community public authorization read-only',
  'username admin privilege 15 secret 5 $1$abcd$0123456789abcdefghij',
  ' neighbor 10.0.0.1 password 7 0822455D0A16',
  'interfaces { ge-0/0/0 { description "uplink to core"; unit 0 { family inet { address 10.0.0.1/31; } } } }',
].join('\n');

/** The inputs of the redaction cost check, each built here so the bench stands alone. */
export function redactInputs(): readonly (readonly [string, string])[] {
  return [
    ['Junos/IOS configuration, 200 copies of a block with secrets', Array.from({ length: 200 }, () => BLOCK).join('\n')],
    ["'user ' × 40,000 then a password", 'user '.repeat(40_000) + 'password x'],
    ['100,000 double quotes', '"'.repeat(100_000)],
    ['20,000 private-key headers', '-----BEGIN PRIVATE KEY-----\n'.repeat(20_000)],
    ["'x://a:' × 40,000 (URL userinfo)", 'x://a:'.repeat(40_000)],
  ];
}

export function benchRedact(opts: { readonly repeats: number; readonly log: (line: string) => void }): RedactRow[] {
  opts.log(`redaction: ${redactInputs().length} inputs, best of ${opts.repeats}`);
  return redactInputs().map(([input, text]) => {
    let best = Infinity;
    for (let i = 0; i < opts.repeats; i += 1) {
      const start = performance.now();
      redactText(text);
      best = Math.min(best, performance.now() - start);
    }
    return { input, bytes: Buffer.byteLength(text), ms: best };
  });
}
