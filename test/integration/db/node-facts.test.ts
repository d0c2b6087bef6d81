import { afterEach, describe, expect, it } from 'vitest';
import { NodeFactsRepo } from '../../../src/db/node-facts.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import type { Facts } from '../../../src/drivers/contract.js';
import { DIALECTS, dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

const r1 = { lab: 'dc1', name: 'r1' };
const r2 = { lab: 'dc1', name: 'r2' };
const facts = (version: string): Facts => ({ hostname: 'r1', model: 'vmx', version, serial: 'VM123', uptimeSeconds: 3600.4, vendor: 'Juniper' });

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`node facts cache on ${dialect}`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.dispose();
      t = undefined;
    });

    const repo = async () => {
      t = await freshDatabase(dialect);
      expect(await migrateToLatest(t.db)).toContain('0005_node_facts');
      return new NodeFactsRepo(t.db);
    };

    it('stores facts with the time they were read, and a second read replaces them', async () => {
      const facts1 = await repo();
      expect((await facts1.get([r1])).size).toBe(0);
      await facts1.saveFacts(r1, facts('23.2R1'), new Date('2026-12-07T01:00:00Z'));
      await facts1.saveFacts(r1, facts('24.2R1'), new Date('2026-12-07T02:00:00Z'));
      const got = (await facts1.get([r1, r2])).get('dc1/r1');
      expect(got).toEqual({
        lab: 'dc1',
        name: 'r1',
        facts: { ...facts('24.2R1'), uptimeSeconds: 3600 },
        readAt: new Date('2026-12-07T02:00:00Z'),
        error: undefined,
      });
      // Only the nodes asked for come back.
      await facts1.saveFacts(r2, facts('1'), new Date());
      expect([...(await facts1.get([r2])).keys()]).toEqual(['dc1/r2']);
    });

    it('a failed read keeps the last facts and records the error (redacted) until the next good read', async () => {
      const facts1 = await repo();
      await facts1.saveFacts(r1, facts('23.2R1'), new Date('2026-12-07T01:00:00Z'));
      await facts1.saveError(r1, { code: 'unreachable', message: 'connect ECONNREFUSED password=hunter2' }, new Date('2026-12-07T03:00:00Z'));
      const failed = (await facts1.get([r1])).get('dc1/r1')!;
      expect(failed.facts?.version).toBe('23.2R1');
      expect(failed.readAt).toEqual(new Date('2026-12-07T01:00:00Z'));
      expect(failed.error?.code).toBe('unreachable');
      expect(failed.error?.message).not.toContain('hunter2');
      expect(failed.error?.at).toEqual(new Date('2026-12-07T03:00:00Z'));
      await facts1.saveFacts(r1, facts('24.2R1'), new Date('2026-12-07T04:00:00Z'));
      expect((await facts1.get([r1])).get('dc1/r1')!.error).toBeUndefined();
    });

    it('a node whose first read fails has a row with the error and no facts', async () => {
      const facts1 = await repo();
      await facts1.saveError(r2, { code: 'timeout', message: 'no answer in 30 s' }, new Date('2026-12-07T03:00:00Z'));
      const row = (await facts1.get([r2])).get('dc1/r2')!;
      expect(row.facts).toBeUndefined();
      expect(row.readAt).toBeUndefined();
      expect(row.error?.code).toBe('timeout');
    });
  });
}
