import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangesRepo } from '../../../src/db/changes-repo.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import type { HashedSource } from '../../../src/model/config-source.js';
import { sourceForNode } from '../../../src/model/config-source.js';
import { hashedSource } from '../../../src/ops/changes/source.js';
import { DIALECTS, dialectAvailable, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const R1 = { lab: 'dc1', name: 'r1' };
const R2 = { lab: 'dc1', name: 'r2' };
const TEXT = {
  'dc1/r1': 'interfaces { lo0 { unit 0 { family inet { address 10.255.0.1/32; } } } }\nsnmp { community s3cretCommunityR1 { authorization read-only; } }\n',
  'dc1/r2': 'interfaces { lo0 { unit 0 { family inet { address 10.255.0.2/32; } } } }\nsnmp { community s3cretCommunityR2 { authorization read-only; } }\n',
};

function templateSource(): HashedSource {
  return hashedSource({
    type: 'template',
    path: 'loopbacks.j2',
    sha256: sha('the template text'),
    rendered: { 'dc1/r1': { content: TEXT['dc1/r1'], sha256: sha(TEXT['dc1/r1']) }, 'dc1/r2': { content: TEXT['dc1/r2'] } },
  });
}

for (const dialect of DIALECTS) {
  describe.runIf(dialectAvailable(dialect))(`template changes on ${dialect}`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.dispose();
      t = undefined;
    });

    async function repo(): Promise<ChangesRepo> {
      t = await freshDatabase(dialect);
      await migrateToLatest(t.db);
      return new ChangesRepo(t.db);
    }

    const at = '2026-12-07T04:00:00.000Z';
    const newChange = (source: HashedSource) => ({
      requestId: 'req-1',
      requester: { id: 'U1', name: 'alice' },
      channel: undefined,
      targets: [R1, R2],
      source,
      method: 'merge' as const,
      confirmMinutes: 5,
      checkCommand: undefined,
      comment: undefined,
      requiredApprovals: 1,
      rollbackOf: undefined,
      at,
      expiresAt: '2026-12-08T04:00:00.000Z',
      detail: {},
    });

    it('stores each node\'s rendering with its sha256 and gives every node back its own text', async () => {
      const changes = await repo();
      const created = await changes.create(newChange(templateSource()));
      if (!('id' in created)) throw new Error('not created');
      const change = (await changes.get(created.id))!;
      expect(change.source.type).toBe('template');
      if (change.source.type !== 'template') return;
      expect(change.source.path).toBe('loopbacks.j2');
      expect(change.source.sha256).toBe(sha('the template text'));
      expect(change.source.rendered).toEqual({
        'dc1/r1': { content: TEXT['dc1/r1'], sha256: sha(TEXT['dc1/r1']) },
        'dc1/r2': { content: TEXT['dc1/r2'], sha256: sha(TEXT['dc1/r2']) },
      });
      expect(sourceForNode(change.source, 'dc1/r2')).toEqual({ type: 'text', content: TEXT['dc1/r2'], format: undefined, sha256: sha(TEXT['dc1/r2']) });
      // Listing reads them back too (one query for every template change listed).
      const [listed] = await changes.list({ limit: 5 });
      expect(listed?.source).toEqual(change.source);
    });

    it('refuses a rendering whose sha256 does not match its text', () => {
      expect(() =>
        hashedSource({ type: 'template', path: 'x.j2', sha256: sha('x'), rendered: { 'dc1/r1': { content: TEXT['dc1/r1'], sha256: sha('something else') } } }),
      ).toThrow(/does not match its sha256/);
    });

    it('keeps the renderings redacted, with their hashes, once the change is finished', async () => {
      const changes = await repo();
      const created = await changes.create(newChange(templateSource()));
      if (!('id' in created)) throw new Error('not created');
      const moved = await changes.transition({
        id: created.id,
        from: 'planned',
        to: 'cancelled',
        version: 0,
        actor: { id: 'U1' },
        at,
        detail: {},
        releaseLocks: true,
      });
      expect(moved).toBe(true);
      const rows = await t!.db.selectFrom('change_nodes').select(['node', 'source_content', 'source_sha256']).where('change_id', '=', created.id).execute();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.source_content).toContain('address 10.255.0.');
        expect(row.source_content).not.toMatch(/s3cretCommunity/);
        expect(row.source_sha256).toBe(sha(TEXT[`dc1/${row.node}` as keyof typeof TEXT]));
      }
    });
  });
}
