import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connect.js';
import { startJunosSim, type JunosSim } from '../../../src/sim/junos/index.js';
import { runCli } from '../../helpers/cli.js';

/** Secrets planted in r2's configuration: none may reach the database, the output or the files. */
const SECRET_HASH = '$6$e2eSalt$BackupMustNeverHoldThisHash';
const SECRET_KEY = 'OspfKeyNeverStored42';

/**
 * Issue 18, backups: `backup --all` through the real CLI against three Junos simulators over
 * NETCONF, an out-of-band commit on one router, then backup again: only that router gets a new
 * version, `backup diff` shows exactly the change, export writes <lab>/<node>.cfg files, and the
 * configuration's secrets are masked everywhere.
 */
describe('backup with the real CLI and the Junos simulator', { timeout: 120_000 }, () => {
  let dir: string;
  let sims: JunosSim[];
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli([...args, '--labs', dir], { env, timeoutMs: 60_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-backup-'));
    sims = [];
    for (const name of ['r1', 'r2', 'r3']) sims.push(await startJunosSim({ hostname: name, port: 0 }));
    // A user with a hash and an OSPF key: both are secret fields of the Junos dialect.
    sims[1]!.commitLocal(
      [
        'system {',
        '    login {',
        '        user ops {',
        '            class super-user;',
        '            authentication {',
        `                encrypted-password "${SECRET_HASH}";`,
        '            }',
        '        }',
        '    }',
        '}',
        'protocols {',
        '    ospf {',
        '        area 0.0.0.0 {',
        '            interface ge-0/0/0.0 {',
        '                authentication {',
        '                    md5 1 key "' + SECRET_KEY + '";',
        '                }',
        '            }',
        '        }',
        '    }',
        '}',
      ].join('\n'),
      'merge',
      'plant secrets',
    );
    const nodes = sims
      .map((s, i) => `    r${i + 1}:\n      kind: juniper_vjunosrouter\n      mgmt-ipv4: ${s.host}\n      labels:\n        clab-bot.port: "${s.port}"\n`)
      .join('');
    writeFileSync(join(dir, 'bk.clab.yml'), `name: bk\ntopology:\n  nodes:\n${nodes}`);
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '' };
  });

  afterAll(async () => {
    await Promise.all((sims ?? []).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const noSecret = (text: string) => {
    expect(text).not.toContain(SECRET_HASH);
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain('e2eSalt');
  };

  it('saves every node, then only the node changed out of band; diff, list, show and export say what the user needs', async () => {
    const first = await cli('backup', '--all');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const n of ['r1', 'r2', 'r3']) expect(first.stdout).toMatch(new RegExp(`bk/${n}  saved version 1 \\(sha256 [0-9a-f]{12}, `));
    expect(first.stdout).toContain('backup: 3 saved, 0 unchanged, 0 failed; secrets are masked in backups');
    noSecret(first.stdout);

    // Nothing changed: no new version anywhere.
    const again = await cli('backup', '--all');
    expect(again.code).toBe(0);
    for (const n of ['r1', 'r2', 'r3']) expect(again.stdout).toContain(`bk/${n}  unchanged since version 1`);

    // Someone commits on r2 behind the bot's back.
    sims[1]!.commitLocal('interfaces {\n    ge-0/0/2 {\n        description "changed by hand";\n    }\n}\n', 'merge', 'out of band');
    const third = await cli('backup', '--all');
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('bk/r1  unchanged since version 1');
    expect(third.stdout).toMatch(/bk\/r2  saved version 2 /);
    expect(third.stdout).toContain('bk/r3  unchanged since version 1');
    expect(third.stdout).toContain('backup: 1 saved, 2 unchanged, 0 failed');

    const diff = await cli('backup', 'diff', 'r2');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^== bk\/r2: version 1 \(.+ UTC\) -> version 2 \(.+ UTC\)$/m);
    // Exactly the change: the new interface stanza, and the device's commit stamp saying who and when.
    const added = diff.stdout.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    const removed = diff.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    expect(added.map((l) => l.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^\+## Last commit: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by \S+$/),
      '+ ge-0/0/2 {',
      '+ description "changed by hand";',
      '+ }',
    ]);
    expect(removed).toEqual([expect.stringMatching(/^-## Last commit: /)]);
    // Explicit versions, the other way round.
    const back = await cli('backup', 'diff', 'r2', '2', '1');
    expect(back.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---') && !l.startsWith('-##')).map((l) => l.replace(/\s+/g, ' '))).toEqual([
      '- ge-0/0/2 {',
      '- description "changed by hand";',
      '- }',
    ]);
    const none = await cli('backup', 'diff', 'r1');
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toContain('bk/r1 has only one backup (version 1), so there is nothing to compare yet');

    const list = await cli('backup', 'list', 'r2');
    expect(list.code).toBe(0);
    const rows = list.stdout.split('\n').filter((l) => /^\d+ /.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['2', '1']);
    // Who took it: the terminal's OS user.
    const me = userInfo().username;
    expect(rows[0]).toMatch(new RegExp(`^2\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\s+${me}\\s+manual\\s+[0-9a-f]{12}\\s+\\d`));

    const show = await cli('backup', 'show', 'r2', '1');
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^== bk\/r2 version 1, taken .+ UTC by \S+ \(manual\), sha256 [0-9a-f]{12}$/m);
    expect(show.stdout).toContain('note: secrets are masked in backups: enter them again before loading a backup onto a device');
    expect(show.stdout).toContain('host-name r2;');
    expect(show.stdout).toContain('user ops {');
    expect(show.stdout).not.toContain('changed by hand');
    noSecret(show.stdout);
    const missing = await cli('backup', 'show', 'r2', '9');
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('bk/r2 has no backup version 9');

    const out = join(dir, 'export');
    const exported = await cli('backup', 'export', '--all', '--dir', out);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`exported 3 of 3 nodes to ${out}`);
    expect(readdirSync(out)).toEqual(['bk']);
    expect(readdirSync(join(out, 'bk')).sort()).toEqual(['r1.cfg', 'r2.cfg', 'r3.cfg']);
    const r2File = readFileSync(join(out, 'bk', 'r2.cfg'), 'utf8');
    expect(r2File).toContain('description "changed by hand";');
    expect(r2File).toContain('host-name r2;');
    noSecret(r2File);

    // The JSON form carries the same facts for scripts.
    const json = await cli('backup', 'list', 'r2', '--output', 'json');
    const parsed = JSON.parse(json.stdout) as { action: string; node: string; versions: { version: number; sha256: string }[] };
    expect(parsed.action).toBe('list');
    expect(parsed.node).toBe('bk/r2');
    expect(parsed.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(parsed.versions[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);

    // No secret anywhere in the database: backups, audit rows, everything.
    const db = await openDatabase(env.CLAB_BOT_DB!);
    try {
      const backups = await db.db.selectFrom('config_backups').selectAll().execute();
      expect(backups.map((b) => `${b.node}@${b.version}`).sort()).toEqual(['r1@1', 'r2@1', 'r2@2', 'r3@1']);
      noSecret(JSON.stringify(backups));
      const audit = await db.db.selectFrom('audit_log').selectAll().where('verb', '=', 'backup').execute();
      expect(audit.filter((a) => a.event === 'backup').map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok']);
      expect(audit.some((a) => a.event === 'export' && a.command === `backup export --all --dir ${out}`)).toBe(true);
      noSecret(JSON.stringify(audit));
    } finally {
      await db.close();
    }
  });

  it('list, show and diff take exactly one node', async () => {
    const r = await cli('backup', 'list', '--all');
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('backup list takes one node; the selector matches 3: bk/r1, bk/r2, bk/r3');
  });
});
