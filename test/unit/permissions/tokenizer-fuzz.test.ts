import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/grammar/index.js';
import { authorize } from '../../../src/permissions/authorize.js';
import { CLI_DIALECTS, type CliDialect } from '../../../src/permissions/cli-dialect.js';
import { normaliseCommand } from '../../../src/permissions/command-normalise.js';
import { DIALECTS } from '../../../src/permissions/dialects/index.js';
import { parsePolicy } from '../../../src/permissions/policy-load.js';
import { PIPE_RULES } from '../../../src/permissions/safe-pipes.js';
import { slackSubject } from '../../../src/permissions/subject.js';

/**
 * Generated attack commands against the tokenizer, the normaliser and the whole policy check:
 * quotes of both kinds, pipes, unicode look-alikes of `|`, `;` and quotes, control characters.
 * The property is about what the DEVICE would run: for every command the bot accepts, each way the
 * device could split it into pipe stages gives only stages the bot knows to be safe.
 */

/** mulberry32: seeded, so a failure is reproducible from its iteration number. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

const PIECES = [
  'show', 'sh', 'version', 'ver', 'configuration', 'request', 'req', 'system', 'reboot', 'file', 'copy',
  'match', 'm', 'except', 'count', 'display', 'dis', 'xml', 'set', 'last', 'trim', '5',
  'save', 'sa', 'tee', 'append', 'request', 'hold', 'refresh', 'redirect', 'bash', 'grep', 'as', 'json', 'include', 'i', 'utility',
  'run', 'ru', 'admin', 'section', 'sec', 'begin', 'exclude', 'e', 'ipv4', 'int', 'br', 'tclsh', 'conf', 't', 'format',
  '/var/tmp/x', 'flash:x', 'x', 'a b', '-i', '-f', '/etc/passwd', 'ge-0/0/0',
  '|', '|', '|', ' | ', '||', '"', '"', "'", "'", ' ', ' ', '\t', ';', '&', '&&', '$(', '`', '$', '>', '<', '\\', '(', ')', '{',
  // look-alikes and invisible characters
  '\uFF5C', '\u01C0', '\u2223', '\u05C0', '\u00A6', '\uFF1B', '\u037E', '\u201C', '\u201D', '\u2018', '\u2019', '\uFF02',
  '\u200B', '\u00A0', '\u2028', '\u202E', '\uFEFF', '\u0455', '\uD83D\uDE00', '\uD800',
  // control characters
  '\n', '\r', '\0', '\u0007', '\u001b', '\u007f', '\u0085',
];

function command(r: () => number): string {
  if (r() < 0.15) {
    // The shape of the reported attack: a safe stage with an unsafe one hidden inside quotes.
    const q = pick(r, ['"', "'"]);
    return `${pick(r, ['show version', 'sh ver', 'show configuration'])} | ${pick(r, ['match', 'm', 'include', 'grep', 'except'])} ${q}${pick(r, ['x', 'a b', ''])} ${pick(r, ['|', '\uFF5C', ';', '\n'])} ${pick(r, ['save /var/tmp/pwned', 'request message all message hi', 'redirect flash:x', 'bash', 'tee x'])}${q}`;
  }
  if (r() < 0.5) {
    // Mostly well-formed: a show command and a few stages, with an occasional piece of junk.
    const stages = [pick(r, ['show version', 'sh ver', 'show interfaces terse', 'show configuration', 'request system reboot'])];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const arg = pick(r, ['x', '"a b"', "'a b'", '"a|b"', "'a|b'", '5', 'xml', '-i x', '"x" y', '']);
      stages.push(`${pick(r, ['match', 'm', 'except', 'count', 'display', 'last', 'trim', 'save', 'include', 'grep', 'as', 'json', 'no-more'])} ${arg}${r() < 0.2 ? pick(r, PIECES) : ''}`);
    }
    return stages.join(pick(r, [' | ', '|', ' |', '| ']));
  }
  const parts: string[] = [];
  const count = 1 + Math.floor(r() * 12);
  for (let i = 0; i < count; i++) parts.push(pick(r, PIECES), r() < 0.6 ? ' ' : '');
  return parts.join('');
}

/**
 * Every way a device might split the text into stages. Where the dialect's quoting is confirmed,
 * that reading; otherwise also a CLI that honours no quote at all and one that honours both.
 */
function deviceReadings(text: string, dialect: CliDialect): string[][] {
  const spec = DIALECTS[dialect];
  const quoteSets: (readonly string[])[] = spec.quoting.pipeInQuotesIsText ? [spec.quoting.quotes] : [[], ['"'], ["'"], ['"', "'"]];
  return quoteSets.map((quotes) => {
    const stages: string[] = [];
    let current = '';
    let open: string | undefined;
    for (const ch of text) {
      if (open !== undefined) {
        if (ch === open) open = undefined;
        current += ch;
      } else if (quotes.includes(ch)) {
        open = ch;
        current += ch;
      } else if (ch === '|') {
        stages.push(current);
        current = '';
      } else current += ch;
    }
    stages.push(current);
    return stages;
  });
}

/** The stage name as the device would expand it, when it is a safe stage; undefined otherwise. */
function safeStageName(stage: string, dialect: CliDialect): string | undefined {
  const rules = PIPE_RULES[dialect];
  const word = stage.trim().split(/[ \t]+/)[0]?.toLowerCase() ?? '';
  if (word === '') return undefined;
  const names = Object.keys(rules.stages).filter((n) => (rules.prefixes ? n.startsWith(word) : n === word));
  const name = names.includes(word) ? word : names.length === 1 ? names[0] : undefined;
  if (name === undefined) return undefined;
  return rules.stages[name]?.safe === true ? name : undefined;
}

const ITERATIONS = 3000;
/** The whole path parses and authorizes on six nodes per command: fewer commands, as many checks. */
const PATH_ITERATIONS = 2000;

describe('tokenizer fuzz: no crash, no unsafe pipe through', () => {
  it(`normaliseCommand over ${ITERATIONS} generated commands × every dialect`, () => {
    const r = rng(0x5ec);
    let accepted = 0;
    let refused = 0;
    let withPipes = 0;
    const failures: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const text = command(r);
      for (const dialect of CLI_DIALECTS) {
        const where = (): string => `iteration ${i} ${dialect}: ${JSON.stringify(text)}`;
        let result: ReturnType<typeof normaliseCommand>;
        try {
          result = normaliseCommand(text, dialect);
        } catch (error) {
          throw new Error(`${where()} threw ${String(error)}`);
        }
        if (!result.ok) {
          refused++;
          if (result.reason.length === 0) failures.push(`${where()}: refused without a reason`);
          continue;
        }
        accepted++;
        // What is sent is plain printable ASCII: no look-alike or control character survives.
        if (!/^[\x20-\x7e]*$/.test(result.text)) failures.push(`${where()}: sends ${JSON.stringify(result.text)}`);
        const unsafe = result.pipes.some((stage) => PIPE_RULES[dialect].stages[stage[0] ?? '']?.safe !== true);
        if (unsafe) continue; // matchCommand refuses it; the authorize test below proves that end to end.
        if (result.pipes.length > 0) withPipes++;
        for (const reading of deviceReadings(result.text, dialect)) {
          for (const stage of reading.slice(1)) {
            if (safeStageName(stage, dialect) === undefined) failures.push(`${where()} sent as ${JSON.stringify(result.text)}: device may run ${JSON.stringify(stage)}`);
          }
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The generator must exercise both sides, or the property proves nothing.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
    expect(withPipes).toBeGreaterThan(100);
  });

  it(`the whole path: parse → authorize for a viewer with exec "show *", ${PATH_ITERATIONS} commands on 6 CLIs`, () => {
    const policy = parsePolicy('roles:\n  viewer: { exec: ["show *"] }\ngrants:\n  - { role: viewer, subjects: ["user:U0V"] }\n', 'fuzz.yaml');
    const viewer = slackSubject('U0V', {});
    const nodes = [
      { lab: 'dc1', name: 'r1', kind: 'juniper_vjunosrouter', labels: {} },
      { lab: 'dc1', name: 'e1', kind: 'arista_ceos', labels: {} },
      { lab: 'dc1', name: 's1', kind: 'nokia_srlinux', labels: {} },
      { lab: 'dc1', name: 'h1', kind: 'linux', labels: {} },
      { lab: 'dc1', name: 'x1', kind: 'cisco_xrd', labels: {} },
      { lab: 'dc1', name: 'i1', kind: 'cisco_iol', labels: {} },
    ];
    const r = rng(0xbadc0de);
    let allowed = 0;
    const failures: string[] = [];
    for (let i = 0; i < PATH_ITERATIONS; i++) {
      const text = command(r);
      for (const source of ['slack', 'terminal'] as const) {
        const parsed = parse(`exec r1 ${text}`, { source });
        if (!parsed.ok || parsed.request.verb !== 'exec') continue;
        const typed = parsed.request.command;
        for (const node of nodes) {
          const decision = authorize(policy, viewer, { type: 'exec', command: typed }, [node]);
          if (!decision.allowed) continue;
          allowed++;
          const sent = decision.perTarget?.[0]?.command ?? '';
          const dialect = decision.perTarget?.[0]?.dialect ?? 'unknown';
          const where = `iteration ${i}: ${JSON.stringify(typed)} on ${node.kind} sent as ${JSON.stringify(sent)}`;
          for (const reading of deviceReadings(sent, dialect)) {
            if (reading[0]?.trim().split(/[ \t]+/)[0] !== 'show') failures.push(`${where}: not a show command`);
            for (const stage of reading.slice(1)) {
              if (safeStageName(stage, dialect) === undefined) failures.push(`${where}: device may run ${JSON.stringify(stage)}`);
            }
          }
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(allowed).toBeGreaterThan(200);
  });
});
