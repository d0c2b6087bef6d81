import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/index.js';
import { runCli } from '../../helpers/cli.js';
import { dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { killAll, serveEnv, startProc, type Proc } from '../../helpers/serve-replicas.js';

/**
 * PostgreSQL without Redis: replicas could not share their Slack state (handled actions, Cancel),
 * so a second `serve` on the same database is refused at start, naming the holder and the fix.
 */
describe.runIf(dialectAvailable('postgres'))('clab-bot serve on PostgreSQL without Redis', () => {
  let dir: string;
  let db: TestDatabase;
  let fake: FakeSlack;
  let env: NodeJS.ProcessEnv;
  const procs: Proc[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-bot-pg-lock-'));
    db = await freshDatabase('postgres');
    fake = await startFakeSlack({ botToken: 'xoxb-pglock-2h7r', appToken: 'xapp-pglock-9t4e' });
    env = serveEnv(fake, dir, { CLAB_BOT_DB: db.url });
  }, 30_000);

  afterAll(async () => {
    await killAll(procs);
    await fake?.close();
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('a second serve is refused naming the first and CLAB_BOT_REDIS; after kill -9 of the first, serve starts again', async () => {
    const first = await startProc('first', ['serve'], env, /clab-bot ready/);
    procs.push(first);
    const second = await runCli(['serve'], { env, timeoutMs: 30_000 });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('another process already serves this database without Redis');
    expect(second.stderr).toContain(`clab-bot serve, pid ${first.child.pid} on `);
    expect(second.stderr).toContain('CLAB_BOT_REDIS=redis://');
    expect(second.stderr).not.toContain('clabbot:clabbot@');

    // The lock goes with the process however it ends.
    first.child.kill('SIGKILL');
    await first.exited();
    const third = await startProc('third', ['serve'], env, /clab-bot ready/);
    procs.push(third);
    const code = new Promise<number | null>((resolve) => third.child.once('exit', (c) => resolve(c)));
    third.child.kill('SIGTERM');
    expect(await code).toBe(0);
  }, 90_000);
});
