import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sim/clock.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { CLI, REPO, TSX, runCli } from '../../helpers/cli.js';
import { TmuxTerminal, haveTmux, processGone } from '../../helpers/tmux.js';

/**
 * A clab-bot process killed with its commit in flight (the Junos simulator holds the commit's
 * reply back, so the kill lands mid-commit, not before or after it): the next change verb, in
 * another process, recovers the change from what the device says (never left `applying`), and
 * the node takes a new change.
 */
describe('crash recovery with the real CLI and the Junos simulator', { timeout: 120_000 }, () => {
  let dir: string;
  let sim: JunosSim;
  let clock: ManualClock;
  let env: NodeJS.ProcessEnv;
  let n = 0;
  const running: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-crash-'));
    // The router's clock stands still at 00:00 UTC: commit times and the rollback time are known.
    clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0));
    sim = await startJunosSim({ hostname: 'r1', port: 0, clock });
    writeFileSync(
      join(dir, 'crash.clab.yml'),
      `name: crash\ntopology:\n  nodes:\n    r1:\n      kind: juniper_vjunosrouter\n      mgmt-ipv4: ${sim.host}\n      labels:\n        clab-bot.port: "${sim.port}"\n`,
    );
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  });

  afterEach(() => {
    sim.setFaults({ holdCommitReplies: false });
    for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A config file that changes something new each time. */
  const configFile = (): string => {
    n += 1;
    const file = join(dir, `desc${n}.conf`);
    writeFileSync(file, `interfaces {\n    ge-0/0/1 {\n        description "change ${n}";\n    }\n}\n`);
    return file;
  };

  /** `clab-bot config r1 --file F --yes` as a child process, its output collected. */
  const startConfig = (file: string) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'config', 'r1', '--labs', dir, '--file', file, '--confirm', '7', '--yes'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.push(child);
    child.stdin.end();
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : 128 + (signal === 'SIGKILL' ? 9 : 15)))));
    /** Resolves with the match once the stream shows `pattern` (bounded). */
    const shows = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${stream} never showed ${String(pattern)}:\n${out[stream]}`)), 20_000);
        const check = () => {
          const match = pattern.exec(out[stream]);
          if (match === null) return;
          clearTimeout(timer);
          child[stream].off('data', check);
          resolve(match);
        };
        child[stream].on('data', check);
        check();
      });
    /** The id of the change it proposed (printed with the plan, before the commit). */
    const changeId = async () => Number((await shows('stdout', /change #(\d+) planned/))[1]);
    return { child, out, exited, shows, changeId };
  };

  const changeShown = async (id: number) => {
    const r = await runCli(['change', String(id), '--labs', dir], { env });
    return { ...r, text: r.stdout + r.stderr };
  };

  /** A new change on r1 is accepted and commits. */
  const nodeTakesANewChange = async () => {
    const r = await runCli(['config', 'r1', '--labs', dir, '--file', configFile(), '--yes'], { env });
    expect(r.stderr).not.toMatch(/held by change/);
    expect(r.stdout).toMatch(/change #\d+ committed/);
    expect(r.code).toBe(0);
  };

  it('SIGTERM mid-commit: the one-shot CLI says the commit cannot be called back, waits for the device and ends committed', async () => {
    sim.setFaults({ holdCommitReplies: true });
    const run = startConfig(configFile());
    await sim.whenCommitHeld();
    run.child.kill('SIGTERM');
    await run.shows('stderr', /SIGTERM: the commit is already on its way to the devices and cannot be called back/);
    sim.setFaults({ holdCommitReplies: false });
    expect(await run.exited).toBe(0);
    const id = await run.changeId();
    expect(run.out.stdout).toContain(`change #${id} committed`);

    const shown = await changeShown(id);
    expect(shown.text).toMatch(new RegExp(`^change #${id} committed`, 'm'));
    await nodeTakesANewChange();
  });

  it('SIGTERM twice mid-commit: it quits; the next change verb finds the commit confirmed waiting on the device; an admin resolves it', async () => {
    sim.setFaults({ holdCommitReplies: true });
    const run = startConfig(configFile());
    await sim.whenCommitHeld();
    run.child.kill('SIGTERM');
    await run.shows('stderr', /cannot be called back/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    sim.setFaults({ holdCommitReplies: false });
    const id = await run.changeId();

    const shown = await changeShown(id);
    expect(shown.text).toContain(`note: change #${id} was left applying by a process that stopped; it is now unknown:`);
    expect(shown.text).toMatch(new RegExp(`^change #${id} unknown`, 'm'));
    expect(shown.text).toContain('r1: committed with commit confirmed at 2026-01-01 00:00:00 UTC; the confirm did not arrive: the device rolls back at 00:07 UTC unless confirmed');
    expect(shown.text).toContain('device: committed with commit confirmed');
    expect(shown.text).not.toMatch(new RegExp(`^change #${id} applying`, 'm'));

    // The operator lets the device roll back and records it (the trusted terminal is an admin).
    clock.advance(7 * 60_000);
    const resolved = await runCli(['change', String(id), 'resolve', '--not-committed', '--reason', 'rolled back by itself at 00:07', '--labs', dir], { env });
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toMatch(new RegExp(`^change #${id} failed \\(resolved\\)`, 'm'));
    expect(resolved.stdout).toContain('as not committed: rolled back by itself at 00:07');
    const again = await runCli(['change', String(id), 'resolve', '--committed', '--labs', dir], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`change #${id} is already finished (it failed): only a change whose outcome is unknown can be resolved`);
    const history = await runCli(['history', '--labs', dir, '--limit', '3'], { env });
    expect(history.stdout).toMatch(/\sresolve\s+failed\s/);
    await nodeTakesANewChange();
  });

  it('SIGKILL mid-commit, and the device rolls back by itself before anyone looks: `changes` finds it failed, in the device\'s words', async () => {
    sim.setFaults({ holdCommitReplies: true });
    const run = startConfig(configFile());
    await sim.whenCommitHeld();
    const id = await run.changeId();
    run.child.kill('SIGKILL');
    await run.exited;
    sim.setFaults({ holdCommitReplies: false });
    clock.advance(7 * 60_000);

    const list = await runCli(['changes', '--all', '--labs', dir], { env });
    expect(list.stderr).toContain(`note: change #${id} was left applying by a process that stopped; it is now failed:`);
    expect(list.stderr).toContain('the confirm did not arrive and the device rolled back by itself at 2026-01-01 00:14:00 UTC');
    expect(list.stdout).toMatch(new RegExp(`^#${id}\\s+failed\\s`, 'm'));
    expect(list.stdout).not.toMatch(/^#\d+\s+applying\s/m);
    await nodeTakesANewChange();
  });

  it.skipIf(!haveTmux())('Ctrl-C in the console while the commit is in flight says it cannot be called back, and the change ends committed', async () => {
    const t = TmuxTerminal.start({
      command: [process.execPath, '--import', TSX, CLI, 'console', '--labs', dir],
      cwd: REPO,
      env: { ...env, CLAB_BOT_HISTORY: join(dir, 'history'), LANG: 'C.UTF-8', NO_COLOR: '1' },
      width: 220,
      height: 50,
    });
    try {
      await t.waitFor(/(^|\n)clab-bot>$/);
      sim.setFaults({ holdCommitReplies: true });
      t.line(`config r1 --file ${configFile()}`);
      const asked = await t.waitFor(/approve change #\d+ and commit it on 1 node\? \[y\/N\]/);
      const id = Number(/approve change #(\d+) and commit/.exec(asked)![1]);
      t.line('y');
      await sim.whenCommitHeld();
      t.press('C-c');
      const told = await t.waitFor(/Ctrl-C: the commit is already on its way to the devices and cannot be called back/);
      expect(told).not.toMatch(/cancelling/);
      sim.setFaults({ holdCommitReplies: false });
      const done = await t.waitFor(new RegExp(`change #${id} committed[\\s\\S]*\\nclab-bot>$`));
      expect(done).toMatch(new RegExp(`^change #${id} committed`, 'm'));
      t.line('exit');
      expect(await t.waitForExit()).toBe(0);
    } finally {
      t.close();
    }
  });

  it.skipIf(!haveTmux())('the console killed -9 mid-commit: the next console start recovers the change from the device', async () => {
    const start = () =>
      TmuxTerminal.start({
        command: [process.execPath, '--import', TSX, CLI, 'console', '--labs', dir],
        cwd: REPO,
        env: { ...env, CLAB_BOT_HISTORY: join(dir, 'history'), LANG: 'C.UTF-8', NO_COLOR: '1' },
        width: 220,
        height: 50,
      });
    const t = start();
    let id = 0;
    try {
      await t.waitFor(/(^|\n)clab-bot>$/);
      sim.setFaults({ holdCommitReplies: true });
      t.line(`config r1 --file ${configFile()} --confirm 7`);
      const asked = await t.waitFor(/approve change #\d+ and commit it on 1 node\? \[y\/N\]/);
      id = Number(/approve change #(\d+) and commit/.exec(asked)![1]);
      t.line('y');
      await sim.whenCommitHeld();
      const pid = t.pid();
      process.kill(pid, 'SIGKILL');
      expect(await t.waitForExit()).toBe(137);
      expect(processGone(pid)).toBe(true);
    } finally {
      t.close();
      sim.setFaults({ holdCommitReplies: false });
    }

    const again = start();
    try {
      const screen = await again.waitFor(/(^|\n)clab-bot>$/);
      expect(screen).toContain(`note: change #${id} was left applying by a process that stopped; it is now unknown:`);
      expect(screen).toMatch(/r1: committed with commit confirmed at 2026-01-01 00:\d\d:00 UTC; the confirm did not arrive: the device rolls back at 00:\d\d UTC unless confirmed/);
      again.line('changes --all');
      const list = await again.waitFor(new RegExp(`^#${id}\\s+unknown\\s`, 'm'));
      expect(list).not.toMatch(/^#\d+\s+applying\s/m);
    } finally {
      again.close();
    }
    await nodeTakesANewChange();
  });
});
