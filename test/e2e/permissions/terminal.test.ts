import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimLab, type SimLab } from '../../../src/sim/lab.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { designPolicy } from './design-policy.js';

/** DESIGN.md §7's policy plus an admin, and a viewer grant for the terminal's bound user. */
const POLICY = designPolicy(['{ role: viewer,   subjects: ["user:U0TERM"], scope: { labs: ["dc1"] } }']);

/** Each problem on a known line: an unknown key (2), an undefined role (5), a bad subject (6), an empty scope (6), a bad count (7). */
const BROKEN = `roles:
  viewer: { exec: ["show *"], reboot: true }
grants:
  - { role: viewer, subjects: ["group:netops"] }
  - { role: operatr, subjects: ["user:U0ALICE"] }
  - { role: viewer, subjects: ["alice"], scope: { labs: [] } }
approvals: { required: 0 }
`;

interface HistoryJson {
  readonly everyone: boolean;
  readonly records: readonly { actor: string; event: string; outcome: string; verb?: string; command: string; targets: string[]; channel: string; requestId: string }[];
}

/** `clab-bot policy …` and `clab-bot history` as a user runs them, against simulated labs dc1 and dc2. */
describe('permissions from the terminal', () => {
  let dir: string;
  let labs: SimLab[];
  let env: NodeJS.ProcessEnv;
  const settings: Record<'bound' | 'outsider' | 'trusted', string> = { bound: '', outsider: '', trusted: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-perm-cli-'));
    labs = [
      await startSimLab({ lab: 'dc1', kind: 'vjunosrouter', count: 1, dir: join(dir, 'labs'), prefix: 'r', baseIp: '127.21.54.1' }),
      await startSimLab({ lab: 'dc2', kind: 'vjunosrouter', count: 1, dir: join(dir, 'labs'), prefix: 's', baseIp: '127.21.55.1' }),
    ];
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'broken.yaml'), BROKEN);
    const base = 'labs: [labs]\npolicy: policy.yaml\n';
    settings.bound = join(dir, 'bound.yaml');
    writeFileSync(settings.bound, `${base}terminal_subject: user:U0TERM\n`);
    settings.outsider = join(dir, 'outsider.yaml');
    writeFileSync(settings.outsider, `${base}terminal_subject: user:U0OUT\n`);
    settings.trusted = join(dir, 'trusted.yaml');
    writeFileSync(settings.trusted, base);
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_POLICY: '', CLAB_BOT_CONFIG: '' };
  }, 30_000);

  afterAll(async () => {
    for (const lab of labs ?? []) await lab.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Run from the repository (where tsx resolves); every path given is absolute.
  const cli = (args: readonly string[]): Promise<CliRun> => runCli(args, { env });
  const at = (name: string): string => join(dir, name);
  // Host flags go right after the verb: from the command's first word on, exec sends the text to the device.
  const as = (who: keyof typeof settings, [verb, ...rest]: readonly string[]): Promise<CliRun> => cli([verb!, '--config', settings[who], ...rest]);
  const history = async (who: keyof typeof settings, extra: readonly string[] = []): Promise<HistoryJson> => {
    const r = await as(who, ['history', ...extra, '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as HistoryJson;
  };

  describe('clab-bot policy check', () => {
    it('accepts the DESIGN.md shape and sums it up', async () => {
      const r = await cli(['policy', 'check', at('policy.yaml')]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${at('policy.yaml')}: ok (4 roles, 5 grants, 1 approval(s) required, self-approval off)\n`);
    });

    it('lists every problem of a broken file with its line and column, and exits 2', async () => {
      const file = at('broken.yaml');
      const r = await cli(['policy', 'check', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const problems = r.stderr.split('\n').filter((l) => l.startsWith(`  ${file}:`));
      expect(problems.map((l) => /:(\d+):\d+: (\S+):/.exec(l.slice(file.length + 2))?.slice(1, 3))).toEqual([
        ['2', 'roles.viewer.reboot'],
        ['5', 'grants[1].role'],
        ['6', 'grants[2].subjects[0]'],
        ['6', 'grants[2].scope.labs'],
        ['7', 'approvals.required'],
      ]);
      expect(r.stderr).toContain('role `operatr` is not defined in roles (defined: viewer)');
      expect(r.stderr).toContain('`alice` is not a subject; use user:U…, group:HANDLE, channel:C… or *');
      expect(r.stderr.startsWith(`error: policy file ${file} has 5 problems:`)).toBe(true);
    });
  });

  describe('clab-bot policy explain', () => {
    const explain = (who: string[], request: string): Promise<CliRun> =>
      cli(['policy', 'explain', '--policy', at('policy.yaml'), '--labs', at('labs'), ...who, request]);

    it('allows a netops member show version on dc1, naming the role, the subject and the pattern (exit 0)', async () => {
      const r = await explain(['--user', 'U0VIEW', '--channel', 'C0OPS', '--groups', 'netops'], 'exec r1 show version');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('subject: user:U0VIEW, channel:C0OPS, groups: netops');
      expect(r.stdout).toMatch(/roles:\n {2}viewer via group:netops \(grant 1, \S+\/policy\.yaml:7\): exec show \*; only on lab dc1/);
      expect(r.stdout).toContain('read on Junos as: `show version`');
      expect(r.stdout).toContain('dc1/r1 (juniper_vjunosrouter): allowed by viewer via group:netops (exec `show *`)');
      expect(r.stdout).toMatch(/^decision: allowed \(granted\)/m);
    });

    it('denies a reboot, another lab and a non-member, each with the missing grant (exit 1)', async () => {
      const reboot = await explain(['--user', 'U0VIEW', '--groups', 'netops'], 'exec r1 request system reboot');
      expect(reboot.code).toBe(1);
      expect(reboot.stdout).toContain('decision: denied (not-granted): no role grants you exec `request system reboot`; your roles: viewer via group:netops');
      expect(reboot.stdout).toContain('missing: exec `request system reboot`');

      const dc2 = await explain(['--user', 'U0VIEW', '--groups', 'netops'], 'exec s1 show version');
      expect(dc2.code).toBe(1);
      expect(dc2.stdout).toContain('missing: exec `show *` on lab dc2 (node s1)');

      const save = await explain(['--user', 'U0VIEW', '--groups', 'netops'], 'exec r1 show version | save /tmp/x');
      expect(save.code).toBe(1);
      expect(save.stdout).toMatch(/decision: denied \(unsafe-pipe\): `\| save \/tmp\/x` is not allowed/);

      const outsider = await explain(['--user', 'U0OUT', '--channel', 'C0OPS'], 'exec r1 show version');
      expect(outsider.code).toBe(1);
      expect(outsider.stdout).toContain('roles: none');
      expect(outsider.stdout).toContain('decision: denied (no-role)');
    }, 120_000);

    it('explains config stages and approvals: the operator may plan but not apply', async () => {
      const plan = await explain(['--user', 'U0ALICE'], 'config r1 --file x.conf --dry-run');
      expect(plan.code).toBe(0);
      const apply = await explain(['--user', 'U0ALICE'], 'config r1 --file x.conf');
      expect(apply.code).toBe(1);
      expect(apply.stdout).toContain('missing: config apply');
    });
  });

  describe('clab-bot history', () => {
    it('a terminal bound to a user sees that user\'s rows, denials included; the trusted terminal sees everyone\'s', async () => {
      const ok = await as('bound', ['exec', 'r1', 'show', 'version']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('Hostname: r1');
      const reboot = await as('bound', ['exec', 'r1', 'request', 'system', 'reboot']);
      expect(reboot.code).toBe(2);
      expect(reboot.stderr).toContain('denied: no role grants you exec `request system reboot`; your roles: viewer via user:U0TERM (exec show *; only on lab dc1)');
      const dc2 = await as('bound', ['exec', 's1', 'show', 'version']);
      expect(dc2.code).toBe(2);
      const outsider = await as('outsider', ['exec', 'r1', 'show', 'version']);
      expect(outsider.code).toBe(2);
      expect(outsider.stderr).toContain('denied: you have no role');

      const mine = await history('bound');
      expect(mine.everyone).toBe(false);
      expect(new Set(mine.records.map((r) => r.actor))).toEqual(new Set(['U0TERM']));
      expect(mine.records.map((r) => [r.event, r.outcome, r.command])).toEqual([
        ['decision', 'denied', 'exec s1 show version'],
        ['decision', 'denied', 'exec r1 request system reboot'],
        ['exec', 'ok', 'exec r1 show version'],
        ['request', 'allowed', 'exec r1 show version'],
      ]);
      expect(mine.records.every((r) => r.channel === 'terminal' && r.requestId.length > 0)).toBe(true);

      const theirs = await history('outsider');
      expect(theirs.records.map((r) => [r.actor, r.event, r.outcome, r.command])).toEqual([['U0OUT', 'decision', 'denied', 'exec r1 show version']]);

      const all = await history('trusted');
      expect(all.everyone).toBe(true);
      expect(new Set(all.records.map((r) => r.actor))).toEqual(new Set(['U0TERM', 'U0OUT']));
      // The five rows above, plus the two history requests themselves (audited after they read).
      expect(all.records).toHaveLength(7);
      expect(all.records.filter((r) => r.verb === 'history').map((r) => [r.actor, r.event, r.outcome])).toEqual([
        ['U0OUT', 'request', 'allowed'],
        ['U0TERM', 'request', 'allowed'],
      ]);
    }, 120_000);

    it('filters by selector and --limit, and prints a table by default', async () => {
      const s1 = await history('trusted', ['s1']);
      expect(s1.records.map((r) => [r.actor, r.command, r.targets])).toEqual([['U0TERM', 'exec s1 show version', ['dc2/s1']]]);
      expect((await history('trusted', ['--limit', '2'])).records).toHaveLength(2);
      // A user's selector narrows their own rows; it never widens them.
      expect((await history('outsider', ['--lab', 'dc2'])).records).toEqual([]);

      const table = await as('trusted', ['history', 'r1']);
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^WHEN\s+WHO\s+EVENT\s+OUTCOME\s+COMMAND$/);
      expect(lines.slice(2).map((l) => l.replace(/^\S+ \S+\s+\S+\s+/, '').replace(/\s+/g, ' '))).toEqual([
        'decision denied exec r1 show version',
        'decision denied exec r1 request system reboot',
        'exec ok exec r1 show version',
        'request allowed exec r1 show version',
      ]);
    }, 120_000);
  });
});
