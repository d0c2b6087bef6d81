import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimLab, type SimLab } from '../../../src/sim/lab.js';
import { startFakeSlack, waitUntil, type FakeSlack } from '../../fakes/slack/index.js';
import { CLI, REPO, runCli } from '../../helpers/cli.js';
import { OPEN_POLICY, finishedRoot, shownText } from '../../helpers/slack-app.js';

/** `clab-bot serve` as an operator runs it: a real process, SLACK_API_URL pointing at the fake Slack. */
describe('clab-bot serve', () => {
  let dir: string;
  let lab: SimLab;
  let fake: FakeSlack;
  let child: ChildProcess | undefined;
  let stderr = '';
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-serve-'));
    lab = await startSimLab({ lab: 'srv', kind: 'vjunosrouter', count: 1, dir: join(dir, 'labs'), prefix: 'router', baseIp: '127.21.7.1' });
    fake = await startFakeSlack({ botToken: 'xoxb-serve-e2e-4f9k2q', appToken: 'xapp-serve-e2e-8d1m3z' });
    writeFileSync(join(dir, 'policy.yaml'), OPEN_POLICY);
    writeFileSync(join(dir, 'clab-bot.yaml'), 'labs: [labs]\ndb: sqlite:bot.db\npolicy: policy.yaml\n');
    env = { ...process.env, SLACK_BOT_TOKEN: fake.botToken, SLACK_APP_TOKEN: fake.appToken, SLACK_API_URL: fake.apiUrl, CLAB_BOT_CONFIG: join(dir, 'clab-bot.yaml') };
    delete env.SLACK_SIGNING_SECRET;
  }, 20_000);

  /** A serve left running by a failed test holds the SQLite file's lock: stopped before the next starts one. */
  async function stopChild(): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  }

  afterAll(async () => {
    await stopChild();
    await fake?.close();
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs one line when ready, answers /clab exec router1 show version, and exits 0 on SIGTERM', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    await waitUntil(() => stderr.includes('clab-bot ready'), { timeoutMs: 12_000, what: `the ready line (stderr so far: ${stderr})` });
    const ready = stderr.split('\n').filter((l) => l.includes('clab-bot ready'));
    expect(ready).toHaveLength(1);
    expect(JSON.parse(ready[0]!)).toMatchObject({ level: 30, mode: 'socket', labs: 1, nodes: 1, msg: 'clab-bot ready: serving /clab over Slack Socket Mode for 1 nodes in 1 labs' });

    const sent = await fake.sendSlashCommand({ text: 'exec router1 show version', channel_id: 'C_SERVE' });
    expect(sent.ackMs).toBeLessThan(3000);
    const root = await finishedRoot(fake, 'C_SERVE');
    expect(shownText(fake.thread('C_SERVE', root.ts)[1]!)).toContain('Hostname: router1');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('clab-bot stopping');
    expect(stderr).not.toContain('serve-e2e-4f9k2q');
    expect(stderr).not.toContain('serve-e2e-8d1m3z');
  }, 20_000);

  it('a second serve on the same SQLite file is refused naming the fix; after kill -9 of the first, serve starts again', async () => {
    await stopChild();
    const first = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = first;
    let firstErr = '';
    first.stderr!.on('data', (d: Buffer) => (firstErr += d.toString()));
    await waitUntil(() => firstErr.includes('clab-bot ready') || first.exitCode !== null, { timeoutMs: 40_000, what: 'the ready line' });
    expect(firstErr).toContain('clab-bot ready');

    const second = await runCli(['serve'], { env, timeoutMs: 15_000 });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('another process already serves this SQLite file');
    expect(second.stderr).toContain(`pid ${first.pid}`);
    expect(second.stderr).toContain('CLAB_BOT_DB=postgres://');
    expect(second.stderr).toContain('CLAB_BOT_REDIS=redis://');

    // The lock goes with the process however it ends: no stale lock to clean by hand.
    const killed = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await killed;
    const third = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = third;
    let thirdErr = '';
    third.stderr!.on('data', (d: Buffer) => (thirdErr += d.toString()));
    await waitUntil(() => thirdErr.includes('clab-bot ready') || third.exitCode !== null, { timeoutMs: 40_000, what: 'the ready line after the restart' });
    expect(thirdErr).toContain('clab-bot ready');
    const stopped = new Promise<number | null>((resolve) => third.once('exit', (code) => resolve(code)));
    third.kill('SIGTERM');
    expect(await stopped).toBe(0);
  }, 45_000);

  it('refuses to start without the app token, naming the variable', async () => {
    await stopChild();
    const run = await runCli(['serve'], { env: { ...env, SLACK_APP_TOKEN: '' }, timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: setting SLACK_APP_TOKEN: is not set');
  }, 20_000);
});
