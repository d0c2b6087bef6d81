import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { formatRequest, parse, parseArgv, requestSchema, VERBS, flagsOf, type ParseResult } from '../../../src/grammar/index.js';

/** mulberry32: a small seeded generator, so a failure is reproducible from its seed. */
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

const ALL_FLAGS = [...new Set(VERBS.flatMap((v) => flagsOf(v).map((f) => f.name)))];
const PIECES = [
  ...VERBS,
  ...ALL_FLAGS,
  '--',
  '-',
  '-h',
  '=',
  ',',
  '"',
  "'",
  '\\',
  '\u201C',
  '\u201D',
  '\u2018',
  '\u2019',
  '\u2014',
  '&amp;',
  '&lt;',
  '&gt;',
  '<http://r1.lab|r1.lab>',
  '<@U123|alice>',
  '<#C1|ops>',
  '<!here>',
  '<',
  '>',
  '|',
  'r1',
  'router1,router2',
  'dc1/r3',
  'srl',
  'role=spine',
  'show',
  'version',
  '0',
  '1',
  '49',
  '-5',
  '99999999999999999999',
  'json',
  'merge',
  'approve',
  '#42',
  '\u0000',
  '\n',
  '\t',
  '\u001b',
  '\u202E',
  '\u00A0',
  '\uFEFF',
  '\uD83D\uDE00',
  '\uD800',
  'é',
  ' ',
  '  ',
];

function junk(r: () => number): string {
  const kind = r();
  if (kind < 0.1) {
    // raw code units, any value
    return Array.from({ length: Math.floor(r() * 60) }, () => String.fromCharCode(Math.floor(r() * 0x10000))).join('');
  }
  if (kind < 0.12) return pick(r, PIECES).repeat(Math.floor(r() * 12_000));
  const count = Math.floor(r() * 14);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(pick(r, PIECES), r() < 0.7 ? ' ' : '');
  return parts.join('');
}

function expectWellFormed(result: ParseResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(requestSchema.safeParse(result.request).success).toBe(true);
    return;
  }
  expect(result.error).toBeInstanceOf(UsageError);
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.message).not.toContain('\n');
  expect(result.error.message.length).toBeLessThan(400);
  expect(result.error.usage).toBeDefined();
}

describe('parse never throws', () => {
  it('returns ok or a UsageError for 2,000 seeded junk strings, both sources, text and argv', () => {
    const r = rng(20240611);
    let oks = 0;
    for (let i = 0; i < 2000; i++) {
      const text = junk(r);
      for (const source of ['slack', 'terminal'] as const) {
        let result: ParseResult | undefined;
        expect(() => {
          result = parse(text, { source });
        }, `seed iteration ${i}: ${JSON.stringify(text.slice(0, 200))}`).not.toThrow();
        if (result === undefined) throw new Error('unreachable');
        expectWellFormed(result);
        if (result.ok) oks++;
      }
      const argv = text.split(' ');
      let fromArgv: ParseResult | undefined;
      expect(() => {
        fromArgv = parseArgv(argv);
      }).not.toThrow();
      if (fromArgv === undefined) throw new Error('unreachable');
      expectWellFormed(fromArgv);
    }
    // The junk is shaped from the grammar's own words, so some of it parses.
    expect(oks).toBeGreaterThan(50);
  });

  it('survives inputs that are not strings at all (JavaScript callers)', () => {
    for (const value of [undefined, null, 42, {}, ['exec']]) {
      const result = parse(value as unknown as string);
      expect(result.ok).toBe(false);
    }
    const result = parseArgv([1, 2] as unknown as string[]);
    expect(result.ok).toBe(false);
  });
});

describe('formatRequest round trip', () => {
  /** Commands built from the grammar's own parts, most of them valid. */
  function command(r: () => number): string {
    const verb = pick(r, VERBS);
    const words: string[] = [verb];
    const flags = flagsOf(verb).filter((f) => f.name !== '--help');
    if (r() < 0.5 && verb !== 'help') words.push(pick(r, ['r1', 'r1,r2', 'dc1/r3', 'clab-dc1-r4']));
    for (let i = 0; i < 3; i++) {
      const flag = pick(r, flags.length > 0 ? flags : [undefined]);
      if (flag === undefined) break;
      const v = flag.value;
      const value =
        v === undefined
          ? undefined
          : v.type === 'choice'
            ? pick(r, v.choices)
            : v.type === 'int'
              ? String(v.min + Math.floor(r() * Math.min(50, v.max - v.min + 1)))
              : v.type === 'label'
                ? pick(r, ['role=spine', '"graph-icon=a b"', 'k=v=w'])
                : v.type === 'text'
                  ? pick(r, ['x', '"two words"', "'it\"s'", '"-starts with dash"', '"back\\\\slash"'])
                  : pick(r, ['r1', 'srl', 'dc1', 'g1', 'r1,r2']);
      words.push(value === undefined ? flag.name : r() < 0.3 ? `${flag.name}=${value}` : `${flag.name} ${value}`);
    }
    if (verb === 'exec') words.push(pick(r, ['show version', 'show route | match "10.0.0.1"', '-- ls --all', 'ping 10.0.0.1 count 2', "show log | match 'a  b'"]));
    if (verb === 'rollback' && r() < 0.5) words.push(String(1 + Math.floor(r() * 49)));
    if (verb === 'change') words.splice(1, words.length - 1, pick(r, ['42', '#7']), ...(r() < 0.5 ? [pick(r, ['approve', 'reject', 'cancel'])] : []));
    if (verb === 'help' && r() < 0.5) words.push(pick(r, ['exec', 'selectors', 'config']));
    return words.join(' ');
  }

  it('parse(formatRequest(r)) gives r back for 1,000 generated commands', () => {
    const r = rng(7);
    let checked = 0;
    for (let i = 0; i < 1000; i++) {
      const text = command(r);
      const first = parse(text);
      if (!first.ok) continue;
      const canonical = formatRequest(first.request);
      const again = parse(canonical);
      expect(again, `${text} → ${canonical}`).toMatchObject({ ok: true, request: first.request });
      if (again.ok) expect(again.request).toEqual(first.request);
      expect(formatRequest(first.request)).toBe(canonical);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});
