import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JunosSim } from '../../../src/sim/junos/types.js';
import { waitUntil, type FakeMessage } from '../../fakes/slack/index.js';
import { finishedRoot, shownText, startSlackApp, type SlackTestApp } from '../../helpers/slack-app.js';

interface Button {
  action_id: string;
  value: string;
  style?: string;
  confirm?: { title: { text: string }; confirm: { text: string }; deny: { text: string } };
}

function buttons(m: FakeMessage): Button[] {
  return (m.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Button[] }).elements ?? []) : []));
}

/** A call's blocks as sent (the SDK may send them as a JSON string). */
const blocksSent = (args: Record<string, unknown>): string => (typeof args.blocks === 'string' ? args.blocks : JSON.stringify(args.blocks ?? []));

const cancelButton = (m: FakeMessage): Button | undefined => buttons(m).find((b) => b.action_id === 'clab_cancel');

/** Everyone runs commands and plans changes; only UADMIN1 is an admin (and may approve). */
const POLICY = `roles:
  operator: { exec: ["*"], config: apply }
  admin: { exec: ["*"], config: apply, approve: true, admin: true }
grants:
  - { role: operator, subjects: ["*"] }
  - { role: admin, subjects: ["user:UADMIN1"] }
`;

const NODES = 6;
const LATENCY_MS = 2000;
const CONCURRENCY = 2;

/**
 * Cancel on a running request: 6 simulated nodes answering every RPC after 2 s, two at a time, so
 * four queue behind the first two. Only the requester or an admin may cancel; queued nodes never
 * start, in-flight RPCs are closed, and the button goes away when the request ends.
 */
describe('Cancel button on a running /clab request', () => {
  let t: SlackTestApp;
  const sims = (): JunosSim[] => t.lab.nodes.map((n) => n.sim as unknown as JunosSim);
  const rootOf = (ch: string) => t.fake.messages(ch).find((m) => m.thread_ts === undefined);
  /** Waits until each of these nodes' devices holds an RPC it has not answered yet (the reply latency). */
  const rpcsInFlight = async (names: readonly string[]): Promise<void> => {
    const onNodes = t.lab.nodes.filter((n) => names.includes(n.name)).map((n) => n.sim as unknown as JunosSim);
    await waitUntil(() => onNodes.every((s) => s.rpcsAwaitingReply() > 0), { timeoutMs: 5000, what: `RPCs in flight on ${names.join(', ')}` });
  };

  beforeAll(async () => {
    t = await startSlackApp({
      nodes: NODES,
      baseIp: '127.21.70.1',
      latencyMs: LATENCY_MS,
      policy: POLICY,
      limits: { global_concurrency: CONCURRENCY },
      frontEnd: { statusIntervalMs: 300 },
    });
    writeFileSync(join(t.labsDir, 'location.conf'), 'system {\n    location {\n        building lab-9;\n    }\n}\n');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
  });

  it('refuses another user, then the requester\'s press stops queued nodes and closes in-flight RPCs', async () => {
    const sent = Date.now();
    await t.fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_CANCEL', user_id: 'UALICE1', user_name: 'alice' });
    const root = await waitUntil(() => rootOf('C_CANCEL'), { what: 'the root message' });
    const button = cancelButton(root);
    expect(button).toMatchObject({ action_id: 'clab_cancel', style: 'danger', value: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(button!.confirm).toMatchObject({ title: { text: 'Cancel this request?' }, confirm: { text: 'Cancel request' }, deny: { text: 'Keep running' } });
    const requestId = button!.value;

    // The first pair is done and the next pair is in flight: the live status says 2 of 6.
    await waitUntil(() => /running: 2 of 6 done/.test(shownText(rootOf('C_CANCEL')!)) && cancelButton(rootOf('C_CANCEL')!), {
      timeoutMs: 3 * LATENCY_MS + 3000,
      what: 'the live status after the first two nodes',
    });

    const refused = await t.fake.sendBlockAction({ action_id: 'clab_cancel', user: 'UBOB1', channel: 'C_CANCEL', message_ts: root.ts });
    expect(refused.ackMs).toBeLessThan(3000);
    const refusal = await waitUntil(() => t.fake.ephemerals('C_CANCEL', 'UBOB1')[0], { what: 'the refusal' });
    expect(shownText(refusal)).toContain('Only <@UALICE1> (who ran it) or a clab-bot admin can cancel this request');
    // The work goes on: still running, still cancellable, nodes still busy on the devices.
    expect(shownText(rootOf('C_CANCEL')!)).toContain('running:');
    expect(cancelButton(rootOf('C_CANCEL')!)).toBeDefined();
    expect(t.app.scheduler.counts().running).toBeGreaterThan(0);

    // r3 and r4 wait for their devices' replies; r5 and r6 are queued behind them.
    await rpcsInFlight(['r3', 'r4']);
    const busy = t.app.scheduler.counts();
    expect(busy.running).toBe(CONCURRENCY);
    expect(busy.queued).toBe(NODES - 2 * CONCURRENCY);

    const pressed = Date.now();
    const press = await t.fake.sendBlockAction({ action_id: 'clab_cancel', user: 'UALICE1', channel: 'C_CANCEL', message_ts: root.ts });
    expect(press.ackMs).toBeLessThan(3000);
    const final = await finishedRoot(t.fake, 'C_CANCEL', 10_000);
    const ended = Date.now();
    // Uncancelled, the last pair would still need two more rounds of RPCs.
    expect(ended - pressed).toBeLessThan(LATENCY_MS);
    expect(ended - sent).toBeLessThan((NODES / CONCURRENCY) * LATENCY_MS);

    const shown = shownText(final);
    expect(shown).toMatch(/:warning: done in .*: 2 of 6 ok, 4 cancelled/);
    expect(shown).toContain(':no_entry_sign: cancelled by <@UALICE1> · finished: r1, r2 · cancelled: r3, r4, r5, r6');
    expect(cancelButton(final)).toBeUndefined();
    expect(final.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);

    const summary = shownText(t.fake.thread('C_CANCEL', final.ts)[1]!);
    expect(summary).toContain('6 nodes: 2 ok, 4 cancelled');
    expect(summary).toMatch(/\nr3\s+CANCELLED/i);

    // Cancelled in-flight RPCs leave no session open on their devices; queued nodes never opened one.
    const cancelledSims = sims().slice(2);
    await waitUntil(() => cancelledSims.every((s) => s.activeSessions() === 0), { timeoutMs: 3000, what: 'the cancelled sessions to close' });
    expect(t.app.scheduler.counts()).toEqual({ queued: 0, running: 0 });
    // Only the finished nodes keep a session, idle in the pool for the next request.
    expect(t.app.pool.stats().open).toBe(2);
    expect(sims().map((s) => s.activeSessions())).toEqual([1, 1, 0, 0, 0, 0]);

    const rows = (await t.app.audit.query({ limit: 100 })).filter((r) => r.event === 'cancel' && r.requestId === requestId);
    expect(rows.map((r) => [r.actor, r.outcome])).toEqual([
      ['UALICE1', 'ok'],
      ['UBOB1', 'denied'],
    ]);
    expect(rows[0]).toMatchObject({ verb: 'exec', command: 'exec --all show version', channel: 'C_CANCEL' });
    expect(rows[0]!.targets).toHaveLength(NODES);
  }, 30_000);

  it('an admin may cancel someone else\'s request; a press after the end says it already finished', async () => {
    await t.fake.sendSlashCommand({ text: 'exec --all show version', channel_id: 'C_ADMIN', user_id: 'UALICE1' });
    const root = await waitUntil(() => rootOf('C_ADMIN'), { what: 'the root message' });
    const requestId = cancelButton(root)!.value;
    await rpcsInFlight(['r1', 'r2']);
    expect(t.app.scheduler.counts()).toEqual({ queued: NODES - CONCURRENCY, running: CONCURRENCY });

    const pressed = Date.now();
    await t.fake.sendBlockAction({ action_id: 'clab_cancel', user: 'UADMIN1', channel: 'C_ADMIN', message_ts: root.ts });
    const final = await finishedRoot(t.fake, 'C_ADMIN', 10_000);
    expect(Date.now() - pressed).toBeLessThan(LATENCY_MS);
    expect(shownText(final)).toMatch(/:x: done in .*: 0 of 6 ok, 6 cancelled/);
    expect(shownText(final)).toContain('cancelled by <@UADMIN1> · no node finished · cancelled: r1, r2, r3, r4, r5, r6');
    expect(cancelButton(final)).toBeUndefined();
    expect(t.fake.ephemerals('C_ADMIN', 'UADMIN1')).toEqual([]);
    await waitUntil(() => sims().every((s) => s.activeSessions() === 0), { timeoutMs: 3000, what: 'every session to close' });

    // The button is gone, but a stale client could still send the press.
    await t.fake.sendBlockAction({ action_id: 'clab_cancel', value: requestId, user: 'UALICE1', channel: 'C_ADMIN' });
    const late = await waitUntil(() => t.fake.ephemerals('C_ADMIN', 'UALICE1')[0], { what: 'the late answer' });
    expect(shownText(late)).toContain('That request already finished');

    const rows = (await t.app.audit.query({ limit: 100 })).filter((r) => r.event === 'cancel' && r.requestId === requestId);
    expect(rows.map((r) => [r.actor, r.outcome, r.detail])).toEqual([['UADMIN1', 'ok', { as: 'admin' }]]);
  }, 30_000);

  it('a proposal shows Cancel while it plans; its apply after approval never does', async () => {
    for (const s of sims()) s.setFaults({ latencyMs: 100 });
    try {
      t.fake.resetCalls();
      await t.fake.sendSlashCommand({ text: 'config r1 --file location.conf', channel_id: 'C_APPLY', user_id: 'UALICE1' });
      const root = await finishedRoot(t.fake, 'C_APPLY', 10_000);
      expect(shownText(root)).toContain('change #1 planned on 1 node');
      const posted = t.fake.calls('chat.postMessage').find((c) => c.args.channel === 'C_APPLY' && c.args.thread_ts === undefined);
      expect(blocksSent(posted!.args)).toContain('"action_id":"clab_cancel"');
      expect(cancelButton(root)).toBeUndefined();

      const decision = await waitUntil(() => t.fake.thread('C_APPLY', root.ts).find((m) => buttons(m).some((b) => b.action_id === 'clab_change_approve')), {
        what: 'the decision message',
      });
      t.fake.resetCalls();
      await t.fake.sendBlockAction({ action_id: 'clab_change_approve', user: 'UADMIN1', channel: 'C_APPLY', message_ts: decision.ts });
      await waitUntil(() => shownText(rootOf('C_APPLY')!).includes('change #1 committed'), { timeoutMs: 15_000, what: 'the commit' });
      // Nothing sent while applying carried a Cancel button: a commit is not cut half way.
      const sentWhileApplying = t.fake.calls().filter((c) => c.method === 'chat.update' || c.method === 'chat.postMessage');
      expect(sentWhileApplying.length).toBeGreaterThan(0);
      for (const c of sentWhileApplying) expect(blocksSent(c.args)).not.toContain('clab_cancel');
    } finally {
      for (const s of sims()) s.setFaults({ latencyMs: LATENCY_MS });
    }
  }, 30_000);
});
