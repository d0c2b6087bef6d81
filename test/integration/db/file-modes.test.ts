import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { migrateToLatest } from '../../../src/db/migrate.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite files are readable by the bot only', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'clab-db-modes-'));
    dirs.push(d);
    return d;
  };

  it('a new database, its -wal and -shm are created 0600 (under a permissive umask), its new directory 0700', async () => {
    const old = process.umask(0o002);
    try {
      const dir = join(tempDir(), 'state');
      const path = join(dir, 'bot.db');
      const handle = await openDatabase(`sqlite:${path}`);
      try {
        await migrateToLatest(handle.db);
        await sql`insert into audit_log (request_id, actor, event, verb, outcome, at) values ('r', 'a', 'e', 'v', 'o', '2026-01-01')`.execute(handle.db).catch(() => undefined);
        for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file), file).toBe(0o600);
        expect(mode(dir)).toBe(0o700);
      } finally {
        await handle.close();
      }
    } finally {
      process.umask(old);
    }
  });

  it('an existing world-readable database is narrowed to 0600 when opened', async () => {
    const path = join(tempDir(), 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const handle = await openDatabase(`sqlite:${path}`);
    try {
      await migrateToLatest(handle.db);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
    } finally {
      await handle.close();
    }
  });
});
