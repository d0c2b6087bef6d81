import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../fakes/slack/index.js';
import { dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { redisAvailability, startRedis, type TestRedis } from '../../helpers/redis.js';
import { availableOrSkip } from '../../helpers/requirements.js';
import { startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';
import { waitFor } from '../../lab/run.js';

const run = availableOrSkip('scheduled jobs on replicas (Redis)', redisAvailability()) && dialectAvailable('postgres');

/**
 * Two front ends on one PostgreSQL database, as two `serve` replicas, both with the scheduled
 * backup due every second and their cron timers running: every tick fires on both, and the backup
 * runs (and posts its summary) once per tick.
 */
describe.runIf(run)('scheduled jobs on two replicas', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let a: SlackTestApp;
  let b: SlackTestApp;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    redis = await startRedis();
    const settingsYaml = `redis: ${redis.url}\nbackup:\n  schedule: "* * * * * *"\n  channel: C0BACKUP\n`;
    a = await startSlackApp({ nodes: 1, baseIp: '127.21.35.1', db: db.url, settingsYaml, logLevel: 'debug' });
    b = await startSlackApp({ nodes: 1, baseIp: '127.21.36.1', db: db.url, settingsYaml, logLevel: 'debug' });
  }, 30_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.dispose();
    await db?.dispose();
  });

  it('each tick of the backup schedule runs on exactly one replica; the other logs that it left the tick', async () => {
    const posts = () => [...a.fake.messages('C0BACKUP'), ...b.fake.messages('C0BACKUP')].filter((m) => m.thread_ts === undefined);
    await waitUntil(() => posts().length >= 4, { timeoutMs: 20_000, what: 'four scheduled backups' });
    a.frontEnd.jobs.stop();
    b.frontEnd.jobs.stop();
    const ticks = async () => (await sql<{ tick: string; runner: string }>`select tick, runner from scheduled_runs where job = 'schedule:backup'`.execute(db.db)).rows;
    // Runs still going when the timers stopped post a moment later: then every recorded tick has its one post.
    const recorded = await waitFor('one post per recorded tick', async () => {
      const rows = await ticks();
      return rows.length > 0 && posts().length === rows.length ? rows : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(new Set(recorded.map((r) => r.tick)).size).toBe(recorded.length);
    // Every fire that did not run said where it went.
    const skipped = [...a.logs(), ...b.logs()].filter((l) => String(l['msg']).includes('scheduled backup runs on another replica'));
    expect(skipped.length).toBeGreaterThan(0);
  }, 60_000);
});
