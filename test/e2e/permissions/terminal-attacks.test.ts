import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimLab, type SimLab } from '../../../src/sim/lab.js';
import { runCli, type CliRun } from '../../helpers/cli.js';

/**
 * Issue 11 through a terminal bound to a Slack user (terminal_subject): the same engineer's grants
 * as in Slack, the same refusals, and change records and commit comments naming the bound user.
 */
const POLICY = `roles:
  engineer: { exec: ["show *"], config: apply, approve: true }
grants:
  - { role: engineer, subjects: ["user:U0TERM"] }
approvals: { required: 1, self_approval: true }
`;

describe('issue 11 attacks from a terminal bound to a Slack user', () => {
  let dir: string;
  let lab: SimLab;
  let bound: string;
  let trusted: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-term-attacks-'));
    lab = await startSimLab({ lab: 'dc1', kind: 'vjunosrouter', count: 1, dir: join(dir, 'labs'), prefix: 'r', baseIp: '127.21.84.1' });
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'labs', 'desc.conf'), 'interfaces {\n    ge-0/0/0 {\n        description "from the terminal";\n    }\n}\n');
    bound = join(dir, 'bound.yaml');
    writeFileSync(bound, 'labs: [labs]\npolicy: policy.yaml\nterminal_subject: user:U0TERM\n');
    trusted = join(dir, 'trusted.yaml');
    writeFileSync(trusted, 'labs: [labs]\npolicy: policy.yaml\n');
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_POLICY: '', CLAB_BOT_CONFIG: '' };
  }, 30_000);

  afterAll(async () => {
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = (settings: string, [verb, ...rest]: readonly string[]): Promise<CliRun> => runCli([verb!, '--config', settings, ...rest], { env });

  it('--check outside the exec patterns is refused at proposal, before anything is planned', async () => {
    for (const [check, why] of [
      ['request system reboot', 'denied: --check: no role grants you exec `request system reboot`'],
      ['show version | save /var/tmp/x', 'save writes a file on the device'],
    ] as const) {
      const r = await as(bound, ['config', 'r1', '--file', 'desc.conf', '--check', check, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(why);
    }
  }, 120_000);

  it('a single-quoted pipe and containerlab\'s generated files are refused', async () => {
    const quoted = await as(bound, ['exec', 'r1', 'show', 'version', '|', 'match', "'x | save /var/tmp/x'"]);
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).toContain('Junos quotes only with double quotes');
    const inventory = await as(bound, ['config', 'r1', '--file', 'clab-dc1/nornir-simple-inventory.yml', '--dry-run']);
    expect(inventory.code).not.toBe(0);
    expect(inventory.stderr).toContain('the directory containerlab generates');
    expect(inventory.stdout + inventory.stderr).not.toContain('admin@123');
  }, 120_000);

  it('the commit comment and the change record name the bound Slack user, not the OS user', async () => {
    const r = await as(bound, ['config', 'r1', '--file', 'desc.conf', '--check', 'show interfaces terse', '--yes', '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const commits = await as(trusted, ['exec', 'r1', 'show', 'system', 'commit']);
    expect(commits.code, commits.stderr).toBe(0);
    const line = commits.stdout.split('\n').find((l) => l.includes('clab-bot #'));
    expect(line).toMatch(/clab-bot #\d+ by U0TERM approved by U0TERM/);
    const os = process.env['USER'];
    if (os !== undefined && os !== '') expect(line).not.toContain(` by ${os} `);
  }, 120_000);
});
