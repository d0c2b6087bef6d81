import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/db/audit-log.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connect.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { REPO } from '../../helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.[cm]?[jt]s$/.test(name) ? [path] : [];
  });
}

/** Audit rows are append-only in the code, and what is appended is redacted. */
describe('the audit log', () => {
  it('has no code path that updates or deletes its rows', () => {
    const files = [...sourceFiles(join(REPO, 'src')), ...sourceFiles(join(REPO, 'migrations'))];
    expect(files.length).toBeGreaterThan(50);
    const writes = /(?:updateTable|deleteFrom|replaceInto)\(\s*['"`]audit_log['"`]|\b(?:update|delete\s+from|truncate(?:\s+table)?|replace\s+into)\s+["`]?audit_log\b/i;
    const offenders = files.filter((f) => writes.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO, f));
    expect(offenders).toEqual([]);
    // The only writer is AuditLog, and it can only append and read.
    const inserts = files.filter((f) => /insertInto\(\s*['"`]audit_log['"`]/.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO, f));
    expect(inserts).toEqual(['src/db/audit-log.ts']);
    expect(Object.getOwnPropertyNames(AuditLog.prototype).sort()).toEqual(['append', 'constructor', 'query']);
  });

  describe('on a real database', () => {
    let dir: string;
    let handle: DatabaseHandle;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'clab-audit-'));
      handle = await openDatabase(`sqlite:${join(dir, 'audit.db')}`);
      await migrateToLatest(handle.db);
    });
    afterAll(async () => {
      await handle?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('redacts what it is given before it reaches a row', async () => {
      const audit = new AuditLog(handle.db);
      await audit.append({
        requestId: 'req-1',
        actor: 'U0VIEW',
        channel: 'C0LAB',
        event: 'failure',
        verb: 'config',
        command: 'config r1 --file x.conf --comment "set authentication-key Plain-Key-9876"',
        targets: ['dc1/r1'],
        outcome: 'error',
        detail: { password: 'Hunter2-Password', message: 'line: pre-shared-key ascii-text "Psk-Value-1234";', token: 'xoxb-1-2-abcdefghijkl' },
      });
      const raw = JSON.stringify(await handle.db.selectFrom('audit_log').selectAll().execute());
      for (const secret of ['Plain-Key-9876', 'Hunter2-Password', 'Psk-Value-1234', 'abcdefghijkl']) expect(raw).not.toContain(secret);
      const [row] = await audit.query({ actor: 'U0VIEW' });
      expect(row).toMatchObject({ requestId: 'req-1', channel: 'C0LAB', targets: ['dc1/r1'], outcome: 'error', detail: { password: '<redacted>' } });
      expect(row!.command).toContain('authentication-key <redacted>');
    });
  });
});
