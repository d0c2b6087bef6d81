import { AuditLog } from '../../../src/db/audit-log.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import type { DialectName } from '../../../src/db/connect.js';
import type { DriverCapabilities } from '../../../src/drivers/contract.js';
import { SessionPool } from '../../../src/drivers/pool.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { ChangeService, type ChangeServiceOptions } from '../../../src/ops/changes/index.js';
import { Scheduler } from '../../../src/ops/scheduler.js';
import { freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { makeNode } from '../../helpers/nodes.js';
import { ScriptedDevice, scriptedDriver } from '../../helpers/scripted-driver.js';

export const SECRET_LINE = 'set system root-authentication encrypted-password "$6$saltsalt$0123456789abcdefghijklmnopqrstuv"';

export interface Harness {
  readonly t: TestDatabase;
  readonly devices: Map<string, ScriptedDevice>;
  readonly nodes: readonly LabNode[];
  readonly audit: AuditLog;
  readonly pool: SessionPool;
  readonly scheduler: Scheduler;
  readonly service: ChangeService;
  /** Another service on the same database (a second replica). */
  replica(): ChangeService;
  node(name: string): LabNode;
  advance(ms: number): void;
  dispose(): Promise<void>;
}

/** A migrated database, three scripted devices (r1..r3 in lab dc1) behind a real SessionPool, and a ChangeService with a fake clock. */
export async function harness(dialect: DialectName, options: { capabilities?: DriverCapabilities; service?: Partial<ChangeServiceOptions> } = {}): Promise<Harness> {
  const t = await freshDatabase(dialect);
  await migrateToLatest(t.db);
  const names = ['r1', 'r2', 'r3'];
  const devices = new Map(names.map((n) => [n, new ScriptedDevice(n, [`set system host-name ${n}`, SECRET_LINE])]));
  const nodes = names.map((name) => makeNode({ name, host: '127.0.0.1', port: 1, lab: 'dc1', password: 'device-pass-123' }));
  const pool = new SessionPool({ factory: (node) => scriptedDriver(node, devices.get(node.name)!, options.capabilities) });
  const scheduler = new Scheduler({ globalConcurrency: 8, perNodeConcurrency: 1 });
  // Starts at the real time: worker processes (real clock) must agree on what has expired.
  let now = new Date();
  const audit = new AuditLog(t.db);
  const make = () =>
    new ChangeService({
      db: t.db,
      audit,
      pool,
      scheduler,
      clock: () => now,
      resolveNode: (ref) => nodes.find((n) => n.lab === ref.lab && n.name === ref.name),
      ...options.service,
    });
  return {
    t,
    devices,
    nodes,
    audit,
    pool,
    scheduler,
    service: make(),
    replica: make,
    node: (name) => nodes.find((n) => n.name === name)!,
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    dispose: async () => {
      await pool.close();
      await scheduler.stop();
      await disposeDatabase(t);
    },
  };
}

/** Kept for the suites that call it: freshDatabase().dispose now waits for Postgres sessions itself. */
export async function disposeDatabase(t: TestDatabase): Promise<void> {
  await t.dispose();
}

export const ALICE = { id: 'U0ALICE', name: 'alice' };
export const BOB = { id: 'U0BOB', name: 'bob' };
export const CAROL = { id: 'U0CAROL', name: 'carol' };

export const DESCRIPTION = 'set interfaces ge-0/0/0 description uplink';
