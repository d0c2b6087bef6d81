/**
 * A second clab-bot process for the change tests: opens the same database, builds a
 * ChangeService over a real SessionPool, prints `ready`, waits for `go` on stdin, approves one
 * change and prints the result as one JSON line. Run as `node --import tsx change-worker.ts JSON`.
 *
 * JSON: { db, changeId, approver: {id, name}, nodes: [{lab, name, host, port, username, password}],
 *         driver: 'junos' | 'scripted', journal?, lines?, holdBeforeCommitMs? }
 * `scripted`: each node is a ScriptedDevice starting with `lines`, appending its commits to `journal`
 * (so the parent can count commits made by any process); `holdBeforeCommitMs` stalls before the commit.
 */
import { createInterface } from 'node:readline';
import type { KyselyPlugin } from 'kysely';
import { AuditLog } from '../../src/db/audit-log.js';
import { openDatabase } from '../../src/db/connect.js';
import { createJunosDriver } from '../../src/drivers/junos/index.js';
import { SessionPool } from '../../src/drivers/pool.js';
import type { DriverFactory } from '../../src/drivers/contract.js';
import { ChangeService } from '../../src/ops/changes/index.js';
import { Scheduler } from '../../src/ops/scheduler.js';
import { makeNode } from './nodes.js';
import { ScriptedDevice, scriptedDriver } from './scripted-driver.js';

interface WorkerArgs {
  readonly db: string;
  readonly changeId: number;
  readonly approver: { id: string; name?: string };
  readonly nodes: { lab: string; name: string; host: string; port?: number; username?: string; password?: string }[];
  readonly driver: 'junos' | 'scripted';
  readonly journal?: string;
  readonly lines?: string[];
  readonly holdBeforeCommitMs?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const nodes = args.nodes.map((n) => makeNode(n));
let factory: DriverFactory;
if (args.driver === 'scripted') {
  const devices = new Map(
    nodes.map((n) => {
      const device = new ScriptedDevice(n.name, args.lines ?? []);
      if (args.journal) device.journal = args.journal;
      const hold = args.holdBeforeCommitMs;
      if (hold !== undefined) device.beforeCommit = () => new Promise((resolve) => setTimeout(resolve, hold));
      return [n.name, device] as const;
    }),
  );
  factory = (node) => scriptedDriver(node, devices.get(node.name)!);
} else {
  factory = (node) => createJunosDriver(node);
}

const handle = await openDatabase(args.db);
// Prints {"writing":true} just before the first write, which is where a process queues on another's
// write lock: the parent waits on that line instead of guessing how long queueing takes.
let announced = false;
const announceFirstWrite: KyselyPlugin = {
  transformQuery({ node }) {
    if (!announced && (node.kind === 'InsertQueryNode' || node.kind === 'UpdateQueryNode' || node.kind === 'DeleteQueryNode')) {
      announced = true;
      process.stdout.write(`${JSON.stringify({ writing: true })}\n`);
    }
    return node;
  },
  transformResult: async ({ result }) => result,
};
const pool = new SessionPool({ factory });
const scheduler = new Scheduler({ globalConcurrency: 8, perNodeConcurrency: 1 });
const service = new ChangeService({
  db: handle.db.withPlugin(announceFirstWrite),
  audit: new AuditLog(handle.db),
  pool,
  scheduler,
  resolveNode: (ref) => nodes.find((n) => n.lab === ref.lab && n.name === ref.name),
});
service.onTransition((_from, to) => {
  process.stdout.write(`${JSON.stringify({ transition: to })}\n`);
});

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
let result: Record<string, unknown>;
try {
  const view = await service.approve(args.changeId, args.approver, { selfApproval: false });
  result = { ok: true, state: view.state };
} catch (err) {
  result = { ok: false, code: (err as { code?: string }).code, message: (err as Error).message };
}
process.stdout.write(`${JSON.stringify({ result })}\n`);
await pool.close();
await scheduler.stop();
await handle.close();
