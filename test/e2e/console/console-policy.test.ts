import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../../src/sim/demo-lab.js';
import { runCli } from '../../helpers/cli.js';

// `clab-bot console --as user:U…`: the console acts as a policy user, and the core decides.
describe('clab-bot console as a policy user', { timeout: 60_000 }, () => {
  let dir: string;
  let lab: DemoLab;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-console-policy-'));
    lab = await startDemoLab({ routers: 2 });
    const policy = join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      [
        'roles:',
        '  operator: { exec: ["show *"], config: apply }',
        '  approver: { approve: true }',
        'grants:',
        '  - { role: operator, subjects: ["user:U0ALICE", "user:U0BOB"] }',
        '  - { role: approver, subjects: ["user:U0ALICE", "user:U0BOB"] }',
        'approvals: { required: 1, self_approval: false }',
        '',
      ].join('\n'),
    );
    env = { CLAB_BOT_POLICY: policy, CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_BOT_CONFIG: '', CLAB_LABS: '', CLAB_BOT_HISTORY: '' };
  });
  afterAll(async () => {
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const console_ = (as: string, input: string) => runCli(['console', '--labs', lab.labDir, '--as', as], { env, input, timeoutMs: 45_000 });

  it('allows what the role grants and refuses the rest, naming the missing rule', async () => {
    const r = await console_('user:U0ALICE', 'whoami\nexec router1 show version\nexec router1 request system reboot\n');
    expect(r.stdout).toMatch(/you are user:U0ALICE/);
    expect(r.stdout).toMatch(/^== router1 \(demo, juniper_vjunosrouter\)  ok/m);
    expect(r.stderr).toMatch(/^denied: .*request system reboot/m);
    expect(r.code).toBe(2);
  });

  it('a proposal by a user who may not approve their own change says so instead of asking', async () => {
    const r = await console_('user:U0ALICE', 'config router2 --file configs/ntp-ospf.conf\nchange 1 approve\n');
    expect(r.stdout).toMatch(/^change #1 planned \(proposed\)/m);
    expect(r.stdout).not.toMatch(/\[y\/N\]/);
    expect(r.stderr).toMatch(/change #1 waits for an approver: you requested this change and the policy does not allow approving your own changes/);
    // Typed as a command it is refused too: the core authorizes again.
    expect(r.stderr).toMatch(/^denied: you requested this change/m);
    expect(r.code).toBe(2);

    const bob = await console_('user:U0BOB', 'change 1 approve\n');
    expect(bob.stdout).toMatch(/^change #1 committed \(approved\)/m);
    expect(bob.code).toBe(0);
  });

  it('a malformed --as is a usage error that shows the expected form', async () => {
    const r = await console_('alice', 'whoami\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as alice: not a Slack user/);
    expect(r.stderr).toMatch(/user:U/);
  });
});
