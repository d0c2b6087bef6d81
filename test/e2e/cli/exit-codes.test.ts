import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

// One map from error kind to exit code (src/exit-codes.ts) serves the grammar verbs and the admin commands alike.
describe('exit codes', () => {
  const badDb = { CLAB_BOT_DB: 'mysql://nowhere', CLAB_LABS: '', CLAB_BOT_CONFIG: '' };

  it('are listed by --help and by help on a verb', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 .*usage mistake/);
    const verb = await runCli(['help', 'exec']);
    expect(verb.code).toBe(0);
    expect(verb.stdout).toContain('exit codes:');
  });

  it('a settings mistake exits 2 from a grammar verb and from an admin command', async () => {
    const verb = await runCli(['nodes'], { env: badDb });
    const admin = await runCli(['migrate'], { env: badDb });
    for (const r of [verb, admin]) {
      expect(r.stderr).toContain('error: setting CLAB_BOT_DB');
      expect(r.code).toBe(2);
    }
  });

  it('a usage mistake exits 2', async () => {
    const usage = await runCli(['exec', '--no-such-flag', 'show version'], { env: { CLAB_LABS: '', CLAB_BOT_CONFIG: '' } });
    expect(usage.code).toBe(2);
  });
});
