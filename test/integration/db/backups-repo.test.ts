import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { BackupsRepo, configHash } from '../../../src/db/backups-repo.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { DIALECTS, dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

const R1 = { lab: 'dc1', name: 'r1' };
const R2 = { lab: 'dc1', name: 'r2' };

/** A Junos configuration holding a secret in two places the structure rules know. */
function junosConfig(hostName: string): string {
  return [
    'system {',
    `    host-name ${hostName};`,
    '    root-authentication {',
    '        encrypted-password "$6$abc$SuperSecretHashValue0123456789";',
    '    }',
    '}',
    'snmp {',
    '    community s3cretCommunity {',
    '        authorization read-only;',
    '    }',
    '}',
    '',
  ].join('\n');
}

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`config backups on ${dialect}`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.dispose();
      t = undefined;
    });

    async function repo(): Promise<BackupsRepo> {
      t = await freshDatabase(dialect);
      await migrateToLatest(t.db);
      return new BackupsRepo(t.db);
    }

    it('saves a new version only when the content changed, per node', async () => {
      const backups = await repo();
      const base = { takenBy: 'terminal:alice', reason: 'manual', keep: 50 };
      const first = await backups.save({ ...R1, ...base, content: junosConfig('r1') });
      expect(first).toMatchObject({ status: 'saved', version: 1, pruned: 0 });
      expect(await backups.save({ ...R1, ...base, content: junosConfig('r1') })).toMatchObject({ status: 'unchanged', version: 1 });
      expect(await backups.save({ ...R2, ...base, content: junosConfig('r2') })).toMatchObject({ status: 'saved', version: 1 });
      const second = await backups.save({ ...R1, ...base, content: junosConfig('r1-renamed'), now: new Date('2026-12-07T01:00:00Z') });
      expect(second).toMatchObject({ status: 'saved', version: 2 });

      const list = await backups.list(R1);
      expect(list.map((v) => v.version)).toEqual([2, 1]);
      expect(list[0]).toMatchObject({ takenAt: '2026-12-07T01:00:00.000Z', takenBy: 'terminal:alice', reason: 'manual' });
      const newest = await backups.get(R1);
      expect(newest?.version).toBe(2);
      expect(newest?.content).toContain('host-name r1-renamed;');
      expect(newest?.sha256).toBe(configHash(newest!.content));
      expect(newest?.bytes).toBe(Buffer.byteLength(newest!.content));
      expect((await backups.get(R1, 1))?.content).toContain('host-name r1;');
      expect(await backups.get(R1, 7)).toBeUndefined();
      expect(await backups.get({ lab: 'dc1', name: 'nope' })).toBeUndefined();
    });

    it('a new commit stamp alone is no change; the stored text keeps the stamp it was read with', async () => {
      const backups = await repo();
      const stamped = (at: string) => `## Last commit: ${at} UTC by admin\n${junosConfig('r1')}`;
      await backups.save({ ...R1, content: stamped('2026-12-07 01:00:00'), takenBy: 't', reason: 'manual', keep: 5 });
      expect(await backups.save({ ...R1, content: stamped('2026-12-07 02:00:00'), takenBy: 't', reason: 'manual', keep: 5 })).toMatchObject({
        status: 'unchanged',
        version: 1,
      });
      expect((await backups.get(R1))?.content).toContain('## Last commit: 2026-12-07 01:00:00 UTC by admin');
      const ios = (n: number) => `Building configuration...\n\nCurrent configuration : ${n} bytes\n!\nhostname r1\n`;
      await backups.save({ ...R2, content: ios(100), takenBy: 't', reason: 'manual', keep: 5 });
      expect((await backups.save({ ...R2, content: ios(120), takenBy: 't', reason: 'manual', keep: 5 })).status).toBe('unchanged');
      expect((await backups.save({ ...R2, content: ios(130).replace('hostname r1', 'hostname r2'), takenBy: 't', reason: 'manual', keep: 5 })).status).toBe('saved');
    });

    it('stores the configuration redacted: no secret is in any column', async () => {
      const backups = await repo();
      await backups.save({ ...R1, content: `${junosConfig('r1')}# login admin/LoginPassw0rd\n`, secrets: ['LoginPassw0rd'], takenBy: 't', reason: 'manual', keep: 5 });
      const { rows } = await sql<Record<string, unknown>>`select * from config_backups`.execute(t!.db);
      const dump = JSON.stringify(rows);
      expect(rows).toHaveLength(1);
      expect(dump).toContain('host-name r1;');
      for (const secret of ['SuperSecretHashValue0123456789', 's3cretCommunity', 'LoginPassw0rd']) expect(dump).not.toContain(secret);
    });

    it('keeps the newest keep_versions versions of a node; numbers are never reused', async () => {
      const backups = await repo();
      for (let i = 1; i <= 5; i++) await backups.save({ ...R1, content: junosConfig(`r1-${i}`), takenBy: 't', reason: 'manual', keep: 3 });
      await backups.save({ ...R2, content: junosConfig('r2'), takenBy: 't', reason: 'manual', keep: 3 });
      expect((await backups.list(R1)).map((v) => v.version)).toEqual([5, 4, 3]);
      const sixth = await backups.save({ ...R1, content: junosConfig('r1-6'), takenBy: 't', reason: 'manual', keep: 3 });
      expect(sixth).toMatchObject({ status: 'saved', version: 6, pruned: 1 });
      expect((await backups.list(R1)).map((v) => v.version)).toEqual([6, 5, 4]);
      expect((await backups.list(R2)).map((v) => v.version)).toEqual([1]);
    });

    it('keep_days drops versions older than the days on the next save of that node, never the newest', async () => {
      const backups = await repo();
      const day = (n: number) => new Date(Date.UTC(2026, 11, n, 2));
      const save = (node: typeof R1, host: string, n: number) =>
        backups.save({ ...node, content: junosConfig(host), takenBy: 't', reason: 'scheduled', keep: 50, keepDays: 7, now: day(n) });
      await save(R1, 'a', 1);
      await save(R1, 'b', 3);
      await save(R1, 'c', 9);
      await save(R2, 'z', 1);
      // On the 9th, 7 days back is the 2nd: version 1 (the 1st) goes, version 2 (the 3rd) stays.
      expect((await backups.list(R1)).map((v) => v.version)).toEqual([3, 2]);
      // An unchanged save ages out too; the newest version stays however old it is.
      expect(await save(R1, 'c', 20)).toMatchObject({ status: 'unchanged', version: 3 });
      expect((await backups.list(R1)).map((v) => [v.version, v.takenAt])).toEqual([[3, day(9).toISOString()]]);
      // Another node is untouched until it is saved.
      expect((await backups.list(R2)).map((v) => v.version)).toEqual([1]);
      expect(await save(R2, 'z2', 20)).toMatchObject({ status: 'saved', version: 2, pruned: 1 });
      expect((await backups.list(R2)).map((v) => v.version)).toEqual([2]);
    });

    it('two saves of one node at once make distinct versions', async () => {
      const backups = await repo();
      const results = await Promise.all([
        backups.save({ ...R1, content: junosConfig('a'), takenBy: 't', reason: 'manual', keep: 50 }),
        backups.save({ ...R1, content: junosConfig('b'), takenBy: 't', reason: 'manual', keep: 50 }),
      ]);
      expect(results.map((r) => r.version).sort()).toEqual([1, 2]);
    });
  });
}
