import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { JunosDriver } from '../../../src/drivers/junos/index.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { runCli } from '../../helpers/cli.js';
import { makeNode } from '../../helpers/nodes.js';

/** A secret on r2: the drift diff and the database must never show it. */
const SECRET_KEY = '$6$driftSalt$DriftHashNeverShown7';

/**
 * Issue 18, done-when: `backup --all` through the real CLI against three Junos simulators over
 * NETCONF; someone then commits on r2 in a NETCONF session of their own (not through the bot);
 * `drift --all` reports exactly r2, with the diff and the device's own commit entry; a new backup
 * and `backup diff` show the same change; after that backup r2 is in sync again.
 */
describe('drift with the real CLI and the Junos simulator', { timeout: 120_000 }, () => {
  let dir: string;
  let sims: JunosSim[];
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli([...args, '--labs', dir], { env, timeoutMs: 60_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-drift-'));
    sims = [];
    for (const name of ['r1', 'r2', 'r3']) sims.push(await startJunosSim({ hostname: name, port: 0 }));
    sims[1]!.commitLocal(
      `system {\n    login {\n        user ops {\n            class super-user;\n            authentication {\n                encrypted-password "${SECRET_KEY}";\n            }\n        }\n    }\n}\n`,
      'merge',
      'plant a secret',
    );
    const nodes = sims
      .map((s, i) => `    r${i + 1}:\n      kind: juniper_vjunosrouter\n      mgmt-ipv4: ${s.host}\n      labels:\n        clab-bot.port: "${s.port}"\n`)
      .join('');
    writeFileSync(join(dir, 'dr.clab.yml'), `name: dr\ntopology:\n  nodes:\n${nodes}`);
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  });

  afterAll(async () => {
    await Promise.all((sims ?? []).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** An engineer's own NETCONF session to r2: plan, then commit with their comment. */
  async function outOfBandCommit(sim: JunosSim, set: string, comment: string): Promise<void> {
    const driver = new JunosDriver(makeNode({ name: sim.hostname, host: sim.host, port: sim.port, lab: 'dr' }));
    try {
      await driver.open();
      const source = { type: 'text' as const, content: set, format: 'set' as const };
      const plan = await driver.plan(source, 'set');
      const applied = await driver.apply(source, { method: 'set', expectDiffHash: plan.diffHash, comment });
      expect(applied.committed).toBe(true);
    } finally {
      await driver.close();
    }
  }

  it('no baseline yet: every node says how to make one, exit 0', async () => {
    const r = await cli('drift', '--all');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const n of ['r1', 'r2', 'r3']) expect(r.stdout).toContain(`dr/${n}  no baseline: save one with \`backup ${n}\``);
    expect(r.stdout).toContain('drift: 0 in sync, 0 drifted, 3 no baseline, 0 unreachable');
  });

  it('backup --all, an out-of-band commit on r2: drift reports exactly r2 with the diff and who committed; backup diff shows the change', async () => {
    const backup = await cli('backup', '--all');
    expect(backup.code).toBe(0);
    const clean = await cli('drift', '--all');
    expect(clean.code).toBe(0);
    for (const n of ['r1', 'r2', 'r3']) expect(clean.stdout).toContain(`dr/${n}  in sync with version 1 (manual)`);

    await outOfBandCommit(sims[1]!, 'set interfaces ge-0/0/3 description "patched by hand"', 'ticket 4711 emergency fix');

    const drift = await cli('drift', '--all');
    expect(drift.stderr).toBe('');
    // 3: every node read, some drifted.
    expect(drift.code).toBe(3);
    expect(drift.stdout).toContain('dr/r1  in sync with version 1 (manual)');
    expect(drift.stdout).toContain('dr/r3  in sync with version 1 (manual)');
    expect(drift.stdout).toMatch(/^dr\/r2  drifted from version 1 \(manual, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by \S+\)$/m);
    expect(drift.stdout).toMatch(/^last commit on the device: by admin via netconf at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: ticket 4711 emergency fix$/m);
    expect(drift.stdout).toContain('drift: 2 in sync, 1 drifted, 0 no baseline, 0 unreachable; secrets are masked in the diff');
    const added = drift.stdout.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++') && !l.startsWith('+##'));
    expect(added.map((l) => l.replace(/\s+/g, ' '))).toEqual(['+ ge-0/0/3 {', '+ description "patched by hand";', '+ }']);
    expect(drift.stdout).toContain('--- dr/r2 version 1 (manual)');
    expect(drift.stdout).toContain('+++ dr/r2 running');
    expect(drift.stdout).not.toContain(SECRET_KEY);

    // The same for scripts.
    const json = await cli('drift', 'r2', '--output', 'json');
    expect(json.code).toBe(3);
    const parsed = JSON.parse(json.stdout) as { results: { node: string; status: string; drift: string; diff: string; lastCommit: { user: string; comment: string } }[] };
    expect(parsed.results.map((r) => [r.node, r.status, r.drift])).toEqual([['r2', 'ok', 'drifted']]);
    expect(parsed.results[0]!.lastCommit).toMatchObject({ user: 'admin', comment: 'ticket 4711 emergency fix' });
    expect(parsed.results[0]!.diff).toContain('+        description "patched by hand";');

    // A new backup makes r2's baseline the running configuration; backup diff shows the change.
    const again = await cli('backup', '--all');
    expect(again.stdout).toMatch(/dr\/r2  saved version 2 /);
    const diff = await cli('backup', 'diff', 'r2');
    expect(diff.code).toBe(0);
    const diffAdded = diff.stdout.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++') && !l.startsWith('+##'));
    expect(diffAdded.map((l) => l.replace(/\s+/g, ' '))).toEqual(['+ ge-0/0/3 {', '+ description "patched by hand";', '+ }']);
    const after = await cli('drift', '--all');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('dr/r2  in sync with version 2 (manual)');

    // Audited, and no secret in the database.
    const db = await openDatabase(env.CLAB_BOT_DB!);
    try {
      const audit = await db.db.selectFrom('audit_log').selectAll().where('verb', '=', 'drift').execute();
      const checks = audit.filter((a) => a.event === 'drift');
      expect(checks.length).toBeGreaterThanOrEqual(4);
      expect(checks.some((a) => (a.detail ?? '').includes('"drifted":["dr/r2"]'))).toBe(true);
      expect(JSON.stringify(await db.db.selectFrom('config_backups').selectAll().execute())).not.toContain(SECRET_KEY);
      expect(JSON.stringify(audit)).not.toContain(SECRET_KEY);
    } finally {
      await db.close();
    }
  });

  it('an unreachable node is reported and the exit code is 1', async () => {
    const port = sims[2]!.port;
    await sims[2]!.close();
    try {
      const r = await cli('drift', 'r3');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^dr\/r3  unreachable: /m);
      expect(r.stdout).toContain('drift: 0 in sync, 0 drifted, 0 no baseline, 1 unreachable');
    } finally {
      sims[2] = await startJunosSim({ hostname: 'r3', port });
    }
  });
});
