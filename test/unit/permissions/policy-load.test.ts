import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClabBotError } from '../../../src/errors.js';
import { PolicyError } from '../../../src/permissions/policy-error.js';
import { loadPolicy, parsePolicy, policyFromObject } from '../../../src/permissions/policy-load.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/policies');
const fixture = (name: string): string => join(FIXTURES, name);

/** `# expect: TEXT` comments in a bad fixture: the problem expected on that line. */
function expectations(file: string): { line: number; text: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((content, i) => {
      const match = /# expect: (.*)$/.exec(content);
      return match?.[1] === undefined ? [] : [{ line: i + 1, text: match[1].trim() }];
    });
}

function policyErrorOf(run: () => unknown): PolicyError {
  try {
    run();
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('loadPolicy: valid files', () => {
  it('accepts the DESIGN.md §7 shape as is, with defaults and the grant lines', () => {
    const file = fixture('design-example.yaml');
    const policy = loadPolicy(file);
    expect(Object.keys(policy.roles)).toEqual(['viewer', 'operator', 'approver', 'admin']);
    expect(policy.roles['operator']).toEqual({ exec: ['show *', 'ping *'], config: 'plan' });
    expect(policy.grants[0]).toEqual({
      role: 'viewer',
      subjects: ['group:netops', 'channel:C0LAB'],
      scope: { labs: ['dc1'] },
    });
    expect(policy.approvals).toEqual({ required: 1, self_approval: false });
    const grantLines = readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((l, i) => (l.startsWith('  - ') ? [i + 1] : []));
    expect(policy.source).toEqual({ file, grantLines });
    expect(policy.warnings).toEqual(['role `admin` is not granted to anyone']);
  });

  it('accepts the extensions: role scopes, nodes, labels, globs, descriptions, block style', () => {
    const policy = loadPolicy(fixture('extended.yaml'));
    expect(policy.roles['spine-operator']?.scope).toEqual({ labels: { role: 'spine' } });
    expect(policy.grants[2]?.scope).toEqual({ nodes: ['dc1/spine*', 'core1'] });
    expect(policy.approvals).toEqual({ required: 2, self_approval: false });
    expect(policy.warnings).toEqual([]);
  });

  it('defaults approvals when left out, collapses pattern whitespace and turns label values into strings', () => {
    const policy = parsePolicy(
      'roles:\n  v: { exec: ["  show    version  "], scope: { labels: { tier: 1, edge: true } } }\ngrants:\n  - { role: v, subjects: ["*"] }\n',
      'inline.yaml',
    );
    expect(policy.approvals).toEqual({ required: 1, self_approval: false });
    expect(policy.roles['v']?.exec).toEqual(['show version']);
    expect(policy.roles['v']?.scope?.labels).toEqual({ tier: '1', edge: 'true' });
  });

  it('warns about powerful roles granted to everyone', () => {
    const policy = parsePolicy('roles:\n  a: { admin: true, config: apply }\ngrants:\n  - { role: a, subjects: ["*"] }\n', 'p.yaml');
    expect(policy.warnings).toEqual(['grants[0] gives `a` (admin, config apply) to everyone (*)']);
  });

  it('warns about scope kinds that match no kind containerlab knows', () => {
    const policy = parsePolicy(
      'roles:\n  v: { scope: { kinds: [junipr_*, srl] } }\ngrants:\n  - { role: v, subjects: ["*"], scope: { kinds: [vjunosrouter, cesos] } }\n',
      'p.yaml',
    );
    expect(policy.warnings).toEqual([
      'roles.v.scope.kinds: `junipr_*` matches no kind containerlab knows; only nodes of exactly that kind will match',
      'grants[0].scope.kinds: `cesos` matches no kind containerlab knows; only nodes of exactly that kind will match',
    ]);
  });

  it('returns a frozen policy', () => {
    const policy = loadPolicy(fixture('design-example.yaml'));
    expect(Object.isFrozen(policy.roles)).toBe(true);
    expect(Object.isFrozen(policy.grants[0]?.subjects)).toBe(true);
  });
});

describe('loadPolicy: every problem, at its line', () => {
  const bad = ['bad-keys.yaml', 'bad-references.yaml', 'bad-values.yaml', 'bad-yaml.yaml', 'bad-shape.yaml'];
  it.each(bad)('%s', (name) => {
    const file = fixture(name);
    const error = policyErrorOf(() => loadPolicy(file));
    const expected = expectations(file);
    expect(expected.length).toBeGreaterThan(0);
    for (const { line, text } of expected) {
      const onLine = error.problems.filter((p) => p.line === line);
      expect(onLine.map((p) => p.message).join(' / '), `line ${line}`).toContain(text);
    }
    // Nothing reported that the fixture does not expect.
    expect(error.problems.map((p) => p.line).sort((a, b) => a - b)).toEqual(expected.map((e) => e.line));
    // The message lists each problem as FILE:LINE:COLUMN, so editors can jump to it.
    for (const p of error.problems) expect(error.message).toContain(`${file}:${p.line}:${p.column}: `);
    expect(error.file).toBe(file);
  });

  it('points at the offending key or value column', () => {
    const text = 'roles:\n  viewer: { exec: ["show *"], cfg: 1 }\ngrants:\n  - { role: viewer, subjects: ["user:bob"] }\n';
    const error = policyErrorOf(() => parsePolicy(text, 'p.yaml'));
    expect(error.problems).toEqual([
      { line: 2, column: text.split('\n')[1]!.indexOf('cfg') + 1, path: 'roles.viewer.cfg', message: expect.stringContaining('unknown key `cfg`') },
      { line: 4, column: text.split('\n')[3]!.indexOf('"user:bob"') + 1, path: 'grants[0].subjects[0]', message: expect.stringContaining('not a Slack user ID') },
    ]);
  });

  it('reports a missing grants: key on the document', () => {
    const error = policyErrorOf(() => parsePolicy('roles:\n  v: { exec: ["show *"] }\n', 'p.yaml'));
    expect(error.problems).toEqual([{ line: 1, column: 1, path: 'grants', message: expect.stringContaining('`grants` is missing') }]);
  });

  it('does not take Object.prototype names for roles', () => {
    const error = policyErrorOf(() =>
      parsePolicy('roles:\n  v: {}\ngrants:\n  - { role: constructor, subjects: ["*"] }\n  - { role: toString, subjects: ["*"] }\n', 'p.yaml'),
    );
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'grants[0].role'],
      [5, 'grants[1].role'],
    ]);
  });

  it('refuses an empty file', () => {
    const error = policyErrorOf(() => parsePolicy('# nothing yet\n', 'empty.yaml'));
    expect(error.problems[0]?.message).toContain('the file is empty');
  });

  it('is a ClabBotError with code policy and a hint naming the check command', () => {
    const error = policyErrorOf(() => parsePolicy('roles: 1\ngrants: []\n', 'p.yaml'));
    expect(error).toBeInstanceOf(ClabBotError);
    expect(error.code).toBe('policy');
    expect(error.hint).toContain('clab-bot policy check p.yaml');
    expect(error.message).toContain('p.yaml:1:8: roles: roles must be a mapping');
  });
});

describe('loadPolicy: the file itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clab-bot-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says how to point at a policy when the file does not exist', () => {
    const missing = join(dir, 'nope.yaml');
    const error = policyErrorOf(() => loadPolicy(missing));
    expect(error.message).toContain(missing);
    expect(error.message).toContain('CLAB_BOT_POLICY');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('reads a file written elsewhere', () => {
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'roles:\n  v: { exec: ["show *"] }\ngrants:\n  - { role: v, subjects: ["user:U0ABC"] }\n');
    expect(loadPolicy(file).grants[0]?.subjects).toEqual(['user:U0ABC']);
  });
});

describe('policyFromObject', () => {
  it('validates a policy built in code', () => {
    const policy = policyFromObject({ roles: { v: { exec: ['show *'] } }, grants: [{ role: 'v', subjects: ['*'] }] });
    expect(policy.source).toBeUndefined();
    expect(policy.approvals.required).toBe(1);
  });

  it('reports problems by path without lines', () => {
    const error = policyErrorOf(() => policyFromObject({ roles: {}, grants: [{ role: 'x', subjects: ['*'] }] }, 'code'));
    expect(error.problems).toEqual([{ line: 0, column: 0, path: 'grants[0].role', message: expect.stringContaining('role `x` is not defined') }]);
    expect(error.message).toContain('code: grants[0].role');
  });
});
