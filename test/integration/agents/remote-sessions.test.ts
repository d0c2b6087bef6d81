import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentsRepo } from '../../../src/agents/agents-repo.js';
import { RedisLink, RedisUnavailableError } from '../../../src/agents/redis-link.js';
import { AgentSessions } from '../../../src/agents/remote-driver.js';
import { SessionHost } from '../../../src/agents/session-host.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { CancelledError, ConnectionLostError, RejectedError, StaleError } from '../../../src/drivers/errors.js';
import { SessionPool } from '../../../src/drivers/pool.js';
import { driverFactoryFor } from '../../../src/drivers/registry.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { silentLogger } from '../../../src/log.js';
import { changeCommits } from '../../../src/ops/changes/apply-node.js';
import { statusForError } from '../../../src/ops/outcome.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { waitFor } from '../../lab/run.js';
import { freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { makeNode } from '../../helpers/nodes.js';
import { redisAvailability, startRedis, type TestRedis } from '../../helpers/redis.js';
import { availableOrSkip } from '../../helpers/requirements.js';

const run = availableOrSkip('remote driver sessions (Redis)', redisAvailability());

/**
 * The remote driver session on its own: the bot's AgentSessions and an agent's SessionHost in this
 * process, talking only through a private redis-server, the agent's side on a real session pool
 * and Junos driver against the NETCONF simulator, heartbeats in a real (SQLite) agents table.
 */
describe.runIf(run)('remote driver sessions through Redis', () => {
  let redis: TestRedis;
  let db: TestDatabase;
  let repo: AgentsRepo;
  let sim: JunosSim;
  let agentNode: LabNode;
  let botNode: LabNode;
  let host: SessionHost;
  let pool: SessionPool;
  let heartbeat: NodeJS.Timeout | undefined;
  const links: RedisLink[] = [];
  const clients: Redis[] = [];

  /** The bot's side, as createApp builds it (lost after 600 ms of silence, unless told). */
  const bot = (opts: { idleMs?: number; lostAfterMs?: number } = {}) => {
    const link = new RedisLink(redis.url, silentLogger);
    links.push(link);
    return new AgentSessions({ link, repo, heartbeatMs: 100, lostAfterMs: opts.lostAfterMs ?? 600, logger: silentLogger, ...(opts.idleMs ? { idleMs: opts.idleMs } : {}) });
  };
  const beat = () => {
    heartbeat = setInterval(() => void repo.heartbeat('host-a'), 100);
  };

  beforeAll(async () => {
    redis = await startRedis();
    db = await freshDatabase('sqlite');
    await migrateToLatest(db.db);
    repo = new AgentsRepo(db.db, db.dialect);
    sim = await startJunosSim({ hostname: 'r1', port: 0 });
    agentNode = makeNode({ name: 'r1', lab: 'dc', host: sim.host, port: sim.port });
    // The bot's copy comes from the agents table: no credentials, and the agent that holds it.
    botNode = { ...agentNode, credentials: { username: '', password: '' }, agent: { agentId: 'host-a', host: 'host-a', lab: 'dc', alive: true, heartbeatAgeMs: 0 } };
  });

  beforeEach(async () => {
    await repo.register({ id: 'host-a', host: 'host-a', pid: process.pid }, [agentNode]);
    beat();
    pool = new SessionPool({ factory: driverFactoryFor() });
    const reader = new Redis(redis.url, { maxRetriesPerRequest: null });
    const writer = new Redis(redis.url, { maxRetriesPerRequest: null });
    reader.on('error', () => undefined);
    writer.on('error', () => undefined);
    clients.push(reader, writer);
    host = new SessionHost({
      agentId: 'host-a',
      reader,
      writer,
      node: (key) => (key === 'dc/r1' ? agentNode : undefined),
      withDriver: pool.withDriver.bind(pool),
      logger: silentLogger,
    });
    await host.start();
  });

  afterEach(async () => {
    clearInterval(heartbeat);
    sim.setFaults({ latencyMs: 0 });
    await host.stop();
    await pool.close();
    for (const c of clients.splice(0)) c.disconnect();
    for (const l of links.splice(0)) l.close();
  });

  afterAll(async () => {
    await sim?.close();
    await db?.dispose();
    await redis?.dispose();
  });

  it('every call of one withDriver runs on the agent\'s driver, in one device session: plan, commit confirmed, confirm, commit status', async () => {
    const sessions = bot();
    const conf = 'interfaces {\n    ge-0/0/1 {\n        description "via the agent";\n    }\n}\n';
    const seen = await sessions.withDriver(botNode, async (d) => {
      const version = await d.exec('show version');
      const facts = await d.facts();
      const plan = await d.plan({ type: 'text', content: conf }, 'merge');
      const applied = await d.apply({ type: 'text', content: conf }, { method: 'merge', expectDiffHash: plan.diffHash, confirmSeconds: 300, comment: 'clab-bot #41 by alice approved by bob' });
      const duringApply = sim.activeSessions();
      await d.confirm({ comment: 'clab-bot #41 by alice approved by bob' });
      const status = await d.commitStatus!(changeCommits(41));
      const running = await d.runningConfig();
      return { version, facts, plan, applied, duringApply, status, running, caps: d.capabilities, traits: d.traits };
    });
    expect(seen.caps.commitConfirmed).toBe(true);
    expect(seen.traits.commitHistoryCommand).toBe('show system commit');
    expect(seen.version.output).toContain('Hostname: r1');
    expect(seen.facts.hostname).toBe('r1');
    expect(seen.plan.diff).toContain('+      description "via the agent";');
    expect(seen.applied).toMatchObject({ committed: true, pendingConfirm: true });
    expect(seen.duringApply).toBe(1);
    expect(seen.status.state).toBe('committed');
    expect(seen.running).toContain('description "via the agent";');
    // Two commits on the device (the commit confirmed and its confirm), both with the change's comment.
    expect(sim.commitHistory().slice(0, 2).map((c) => c.comment)).toEqual(['clab-bot #41 by alice approved by bob', 'clab-bot #41 by alice approved by bob']);
    // The session ended with withDriver: the agent released its lease.
    await waitFor('the agent to end the session', async () => (host.open === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
  });

  it('the first calls of a fan-out, at the same moment on a new link, share its connect', async () => {
    const sessions = bot();
    const outputs = await Promise.all([1, 2, 3].map(() => sessions.withDriver(botNode, (d) => d.exec('show version'))));
    for (const o of outputs) expect(o.output).toContain('Hostname: r1');
  });

  it('as with the local pool, a repeatable first call whose device session died runs again on a new session; an exec does not', async () => {
    const sessions = bot();
    let runs = 0;
    const facts = await sessions.withDriver(botNode, async (d) => {
      runs += 1;
      // The device drops the connection under the first request only.
      if (runs === 1) sim.setFaults({ dropMidRpc: true });
      return d.facts();
    });
    expect(facts.hostname).toBe('r1');
    expect(runs).toBe(2);

    runs = 0;
    const err = await sessions
      .withDriver(botNode, async (d) => {
        runs += 1;
        sim.setFaults({ dropMidRpc: true });
        return d.exec('show version');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).requestSent).toBe(true);
    expect(runs).toBe(1);
  });

  it('device errors come back as their own classes: a rejected load with the device\'s words, a stale apply', async () => {
    const sessions = bot();
    await sessions.withDriver(botNode, async (d) => {
      const rejected = await d.plan({ type: 'text', content: 'interfaces {\n    ge-0/0/1 {\n        bogus-knob 7;\n' }, 'merge').catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(RejectedError);
      expect((rejected as RejectedError).deviceErrors.length).toBeGreaterThan(0);
      expect((rejected as RejectedError).message).toMatch(/^r1 rejected /);
      const stale = await d.apply({ type: 'text', content: 'interfaces {\n    ge-0/0/2 {\n        description "stale";\n    }\n}\n' }, { method: 'merge', expectDiffHash: 'not-the-hash' }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(StaleError);
      expect(statusForError(stale)).toBe('stale');
    });
    expect(sim.runningConfig()).not.toContain('description "stale"');
  });

  it("the caller's abort reaches the agent, whose driver ends the call", async () => {
    // The bot would give up on its own only after a minute: the cancel that ends the call is the agent's.
    const sessions = bot({ lostAfterMs: 60_000 });
    sim.setFaults({ latencyMs: 30_000 });
    const abort = new AbortController();
    const err = await sessions
      .withDriver(botNode, async (d) => {
        const call = d.exec('show version', { signal: abort.signal });
        await waitFor('the device to hold the request', async () => (sim.rpcsAwaitingReply() > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
        abort.abort();
        return call;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(statusForError(err)).toBe('cancelled');
    await waitFor('the agent to end the session', async () => (host.open === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
  });

  it('a session nobody calls is released by the agent after its idle time; a later call is refused, nothing sent', async () => {
    const sessions = bot({ idleMs: 200 });
    await sessions.withDriver(botNode, async (d) => {
      await d.exec('show version');
      await waitFor('the agent to release the idle session', async () => (host.open === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
      const err = await d.exec('show version').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionLostError);
      expect((err as ConnectionLostError).requestSent).toBe(false);
      expect((err as Error).message).toContain('has no such session');
    });
  });

  it('an agent that stops its heartbeat mid-call: the call fails "agent lost", counted as possibly sent', async () => {
    const sessions = bot();
    sim.setFaults({ latencyMs: 30_000 });
    const err = await sessions
      .withDriver(botNode, async (d) => {
        const call = d.apply({ type: 'text', content: 'interfaces {\n    ge-0/0/3 {\n        description "lost";\n    }\n}\n' }, { method: 'merge', expectDiffHash: 'x' });
        await waitFor('the device to hold the request', async () => (sim.rpcsAwaitingReply() > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
        clearInterval(heartbeat);
        return call;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).code).toBe('agent_lost');
    expect((err as ConnectionLostError).requestSent).toBe(true);
    expect((err as Error).message).toMatch(/^r1: connection lost during apply \(agent lost: host-a \(no heartbeat for \d+ s\)\)$/);
  });

  it('Redis down: withDriver refuses before anything is sent', async () => {
    const sessions = bot();
    await redis.stop();
    let ran = false;
    try {
      const err = await sessions
        .withDriver(botNode, async () => {
          ran = true;
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as Error).message).toContain(`cannot reach Redis at ${redis.url}`);
      expect(ran).toBe(false);
    } finally {
      await redis.restart();
    }
  });
});
