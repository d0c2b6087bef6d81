import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sim/clock.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { waitFor } from '../../lab/run.js';
import { AgentHosts, agentHostsCanRun, type AgentHost } from '../../helpers/agent-hosts.js';
import { CLI, REPO, TSX, runCli } from '../../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const run = agentHostsCanRun('agent change tests');

/** Heartbeat every 0.5 s, lost after 3 s: the failure test ends in seconds. */
const TIMING = { CLAB_BOT_AGENT_HEARTBEAT_SEC: '0.5', CLAB_BOT_AGENT_LOST_AFTER_SEC: '3', CLAB_BOT_LOG_LEVEL: 'info' };

/** `show system commit` entries of a node, newest first, without their index: the entry's line and its comment ('' when none). */
function commitLog(output: string): { readonly line: string; readonly comment: string }[] {
  const entries: { line: string; comment: string }[] = [];
  for (const l of output.split('\n')) {
    if (/^\s*\d+\s+\d{4}-\d\d-\d\d /.test(l)) entries.push({ line: l.trim().replace(/^\d+\s+/, ''), comment: '' });
    else if (entries.length > 0 && l.trim() !== '' && entries[entries.length - 1]!.comment === '') entries[entries.length - 1]!.comment = l.trim();
  }
  return entries;
}

/**
 * Configuration work through the agents, from a terminal that has only CLAB_BOT_DB and
 * CLAB_BOT_REDIS: two containerlab hosts in their own network namespaces, both with a lab `dc` on
 * the same 172.20.20.x addresses, each with its agent. host-a also holds `hold/rh1`, a Junos
 * simulator in this test's process (reached from host-a's namespace over its link), whose commit
 * replies the test can hold back to kill host-a's agent mid-commit.
 */
describe.runIf(run)('config, rollback, backup, facts and drift through the agents', { timeout: 180_000 }, () => {
  let dir: string;
  let db: TestDatabase;
  let redis: TestRedis;
  let hosts: AgentHosts;
  let a: AgentHost;
  let hold: JunosSim;
  let env: NodeJS.ProcessEnv;
  // rh1's clock stands still: its commit confirmed rolls back only when the test says so.
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0));
  let n = 0;

  const cli = (args: string[], timeoutMs = 90_000) => runCli(args, { env, timeoutMs });
  /** A config file that changes something new each time. */
  const configFile = (): string => {
    n += 1;
    const file = join(dir, `desc${n}.conf`);
    writeFileSync(file, `interfaces {\n    ge-0/0/1 {\n        description "through the agent ${n}";\n    }\n}\n`);
    return file;
  };
  const commits = async (node: string) => {
    const r = await cli(['exec', node, 'show system commit']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return commitLog(r.stdout);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-agent-changes-'));
    db = await freshDatabase('postgres');
    redis = await startRedis();
    hosts = new AgentHosts();
    const common = { pgUrl: db.url, redisPort: redis.port, env: TIMING, lab: 'dc' };
    const holdDir = join(dir, 'hold');
    a = await hosts.start({
      ...common,
      index: 1,
      name: 'host-a',
      prefix: 'ra',
      count: 2,
      dir: join(dir, 'a'),
      extraLabs: [holdDir],
      beforeAgent: async (hostIp) => {
        hold = await startJunosSim({ hostname: 'rh1', host: hostIp, port: 0, clock });
        mkdirSync(holdDir, { recursive: true });
        writeFileSync(
          join(holdDir, 'hold.clab.yml'),
          `name: hold\ntopology:\n  nodes:\n    rh1:\n      kind: juniper_vjunosrouter\n      mgmt-ipv4: ${hold.host}\n      labels:\n        clab-bot.port: "${hold.port}"\n`,
        );
      },
    });
    await hosts.start({ ...common, index: 2, name: 'host-b', prefix: 'rb', count: 1, dir: join(dir, 'b') });
    env = { CLAB_BOT_DB: db.url, CLAB_BOT_REDIS: redis.url, ...TIMING, CLAB_BOT_LOG_LEVEL: 'error', CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  }, 240_000);

  afterAll(async () => {
    await hosts?.stop();
    await hold?.close();
    await redis?.dispose();
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('config --dry-run on a node behind host-a shows the device\'s diff and commits nothing', async () => {
    const before = await commits('host-a:dc/ra1');
    const file = configFile();
    const r = await cli(['config', 'host-a:dc/ra1', '--file', file, '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('== ra1 (host-a:dc, juniper_vjunosrouter)  ok');
    expect(r.stdout).toContain('[edit interfaces ge-0/0/1]\n-  description "link to router 2";\n+  description "through the agent 1";\ncommit check: ok');
    expect(r.stdout).toContain('1 of 1 nodes would change, 0 failing; nothing was committed');
    expect(await commits('host-a:dc/ra1')).toEqual(before);
  });

  it('propose, approve (commit confirmed and its confirm), then rollback 2 on a node behind host-b: the device logs exactly those commits', async () => {
    const node = 'host-b:dc/rb1';
    const before = await commits(node);
    const file = configFile();
    const proposed = await cli(['config', node, '--file', file, '--confirm', '5']);
    expect(proposed.code).toBe(0);
    const id = /^change #(\d+) planned \(proposed\)/m.exec(proposed.stdout)?.[1];
    expect(id, proposed.stdout).toBeDefined();
    expect(proposed.stdout).toContain(`== ${node}  plan ok\n[edit interfaces]\n+  ge-0/0/1 {\n+      description "through the agent ${n}";\n+  }\ncommit check: ok`);
    expect(await commits(node)).toEqual(before);

    const approved = await cli(['change', id!, 'approve']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^change #${id} committed \\(approved\\)`, 'm'));
    expect(approved.stdout).toContain('commit confirmed 5 min');
    expect(approved.stdout).toMatch(new RegExp(`== ${node}  plan ok, committed \\(commit re0-\\d+-\\d+\\)`));
    const comment = new RegExp(`^clab-bot #${id} by \\S+ approved by \\S+$`);
    const afterCommit = await commits(node);
    // The commit confirmed, then the commit that confirmed it, both with the change's comment.
    expect(afterCommit).toHaveLength(before.length + 2);
    expect(afterCommit[1]!.line).toContain('via netconf commit confirmed, rollback in 5mins');
    expect(afterCommit[1]!.comment).toMatch(comment);
    expect(afterCommit[0]!.line).not.toContain('commit confirmed');
    expect(afterCommit[0]!.comment).toMatch(comment);

    const rollback = await cli(['rollback', node, '2']);
    expect(rollback.code).toBe(0);
    const rid = /^change #(\d+) planned \(rollback proposed\): override, rollback 2/m.exec(rollback.stdout)?.[1];
    expect(rid, rollback.stdout).toBeDefined();
    expect(rollback.stdout).toContain(`[edit interfaces]\n-  ge-0/0/1 {\n-      description "through the agent ${n}";\n-  }`);
    const undone = await cli(['change', rid!, 'approve']);
    expect(undone.stdout).toMatch(new RegExp(`^change #${rid} committed \\(approved\\)`, 'm'));
    const afterRollback = await commits(node);
    expect(afterRollback).toHaveLength(before.length + 4);
    expect(afterRollback.slice(0, 2).map((c) => c.comment)).toEqual([afterRollback[0]!.comment, afterRollback[0]!.comment]);
    expect(afterRollback[0]!.comment).toMatch(new RegExp(`^clab-bot #${rid} by `));
    expect(afterRollback.slice(2)).toEqual(afterCommit);
    const running = await cli(['exec', node, 'show configuration interfaces']);
    expect(running.stdout).not.toContain('through the agent');
  });

  it('backup, drift and node facts read the devices behind both agents', async () => {
    const backup = await cli(['backup', 'host-a:dc/ra2']);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^host-a:dc\/ra2 {2}saved version 1 \(sha256 [0-9a-f]{12}, 2 KiB\)$/m);
    const drift = await cli(['drift', 'host-a:dc/ra2']);
    expect(drift.code).toBe(0);
    expect(drift.stdout).toContain('host-a:dc/ra2  in sync with version 1 (manual)');
    const facts = await cli(['nodes', '--all', '--facts']);
    expect(facts.stderr).toBe('');
    expect(facts.code).toBe(0);
    for (const [lab, name] of [['hold', 'rh1'], ['host-a:dc', 'ra1'], ['host-a:dc', 'ra2'], ['host-b:dc', 'rb1']]) {
      expect(facts.stdout).toMatch(new RegExp(`^${lab}\\s+${name}\\s+vmx\\s+23\\.2R1\\.14\\s+VM[0-9A-F]{10}\\s`, 'm'));
    }
  });

  it('host-a\'s agent killed -9 mid-commit: its node ends unknown with the device\'s own rollback time, host-b\'s commits; resolved, the node takes a new change', async () => {
    hold.setFaults({ holdCommitReplies: true });
    const file = configFile();
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'config', 'hold/rh1,host-b:dc/rb1', '--file', file, '--confirm', '7', '--yes'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    let id: string | undefined;
    try {
      await hold.whenCommitHeld();
      a.agent.kill('SIGKILL');
      const code = await exited;
      const out = `${stdout}\n--stderr--\n${stderr}`;
      id = /change #(\d+) planned/.exec(stdout)?.[1];
      expect(id, out).toBeDefined();
      expect(code, out).not.toBe(0);
      expect(stdout, out).toMatch(new RegExp(`^change #${id} unknown`, 'm'));
      expect(stdout, out).toMatch(/== host-b:dc\/rb1 {2}plan ok, committed/);
      expect(stdout, out).toMatch(
        new RegExp(
          `lost contact with hold/rh1 \\(agent lost: host-a \\(no heartbeat for \\d+ s\\)\\) while committing change #${id} with commit confirmed: ` +
            'it may or may not be committed; if it is, the device rolls back to the previous configuration by itself at \\d\\d:\\d\\d UTC unless confirmed',
        ),
      );
    } finally {
      hold.setFaults({ holdCommitReplies: false });
      child.kill('SIGKILL');
    }

    // host-b went on: its node committed and answers.
    const b1 = await commits('host-b:dc/rb1');
    expect(b1[0]!.comment).toMatch(new RegExp(`^clab-bot #${id} by `));
    const shown = await cli(['change', id!]);
    expect(shown.stdout).toMatch(new RegExp(`^change #${id} unknown`, 'm'));

    // Back on its host, the agent finds the commit confirmed waiting on the device, which rolls back by itself when its timer runs out.
    await a.restartAgent();
    const pending = await commits('hold/rh1');
    expect(pending[0]!.line).toContain('commit confirmed, rollback in 7mins');
    expect(pending[0]!.comment).toMatch(new RegExp(`^clab-bot #${id} by `));
    clock.advance(7 * 60_000);
    const after = await cli(['exec', 'hold/rh1', 'show configuration interfaces']);
    expect(after.stdout).not.toContain(`through the agent ${n}`);

    const resolved = await cli(['change', id!, 'resolve', '--not-committed', '--reason', 'rolled back by itself at 00:07']);
    expect(resolved.code, resolved.stdout + resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('as not committed: rolled back by itself at 00:07');
    const next = await cli(['config', 'hold/rh1', '--file', configFile(), '--yes']);
    expect(next.stderr).not.toMatch(/held by change/);
    expect(next.stdout).toMatch(/^change #\d+ committed/m);
    expect(next.code).toBe(0);
    const nextId = /^change #(\d+) committed/m.exec(next.stdout)![1];
    expect((await commits('hold/rh1'))[0]!.comment).toMatch(new RegExp(`^clab-bot #${nextId} by `));
  }, 180_000);

  it('the terminal running a change killed -9 mid-commit: the next change verb, in another process, asks the device through its agent and ends the change in the device\'s words', async () => {
    hold.setFaults({ holdCommitReplies: true });
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'config', 'hold/rh1', '--file', configFile(), '--confirm', '7', '--yes'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<unknown>((resolve) => child.once('close', resolve));
    let id: string | undefined;
    try {
      await hold.whenCommitHeld();
      id = /change #(\d+) planned/.exec(stdout)?.[1];
      child.kill('SIGKILL');
      await exited;
    } finally {
      // The commit confirmed lands on the device; its confirm never comes.
      hold.setFaults({ holdCommitReplies: false });
    }
    expect(id, stdout).toBeDefined();

    const list = await cli(['changes', '--all']);
    expect(list.stderr).toContain(`note: change #${id} was left applying by a process that stopped; it is now unknown:`);
    expect(list.stderr).toMatch(new RegExp(`hold/rh1: committed with commit confirmed at 2026-01-01 00:07:00 UTC; the confirm did not arrive: the device rolls back at 00:14 UTC unless confirmed`));
    expect(list.stdout).toMatch(new RegExp(`^#${id}\\s+unknown\\s`, 'm'));
    expect(list.stdout).not.toMatch(/^#\d+\s+applying\s/m);
  });

  // Last: the device is left answering a request slowly.
  it('Ctrl-C of an exec reaches the agent: its job ends now, not when the slow device answers', async () => {
    hold.setFaults({ latencyMs: 20_000 });
    const watcher = new Redis(redis.url);
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'exec', 'hold/rh1', 'show version'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<unknown>((resolve) => child.once('close', resolve));
    try {
      await waitFor('rh1 to hold the request', async () => (hold.rpcsAwaitingReply() > 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
      expect(await watcher.llen('bull:clab-bot-agent-host-a:active')).toBe(1);
      child.kill('SIGINT');
      await exited;
      // The agent aborted the job: it is no longer running, though the device has not answered yet.
      await waitFor('host-a to end the job', async () => ((await watcher.llen('bull:clab-bot-agent-host-a:active')) === 0 ? true : undefined), {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      expect(hold.rpcsAwaitingReply()).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      watcher.disconnect();
      hold.setFaults({ latencyMs: 0 });
    }
  });
});
