import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli.js';
import { SimProcesses } from '../../helpers/sim-processes.js';

const BUNDLE = join(REPO, 'dist', 'cli', 'cli.cjs');
const CODE_CACHE = `${BUNDLE}.cache`;

/**
 * The `clab-bot` command as `npm ci` installs it: the launcher runs the bundle (dist/cli, built here
 * as the prepare script builds it) through V8's code cache, and answers exactly as the sources do.
 */
describe('the bundled clab-bot command', () => {
  const sims = new SimProcesses();
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(REPO, 'scripts', 'bundle-cli.mjs')], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    if (built.status !== 0) throw new Error(`bundling failed: ${built.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'clab-bundled-cli-'));
    env = { CLAB_BOT_DB: `sqlite:${join(dir, 'bot.db')}`, CLAB_LABS: '', CLAB_BOT_CONFIG: '', CLAB_BOT_POLICY: '' };
    await sims.start(['--lab', 'bundle', '--kind', 'juniper_vjunosrouter', '--count', '2', '--prefix', 'r', '--dir', dir, '--base-ip', '127.20.91.1']);
  }, 180_000);

  afterAll(async () => {
    await sims.stopAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the code cache on its first start and uses it on later ones, with the same answers as the sources', async () => {
    expect(existsSync(CODE_CACHE)).toBe(false); // a fresh build has none
    const args = ['exec', '--all', '--labs', dir, 'show', 'version'];
    const first = await runCli(args, { env, launcher: true, timeoutMs: 60_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(statSync(CODE_CACHE).size).toBeGreaterThan(100_000);
    const cachedAt = statSync(CODE_CACHE).mtimeMs;

    const again = await runCli(args, { env, launcher: true, timeoutMs: 60_000 });
    expect(again.code).toBe(0);
    // Accepted by V8, so not written again.
    expect(statSync(CODE_CACHE).mtimeMs).toBe(cachedAt);
    const sources = await runCli(args, { env, timeoutMs: 60_000 });
    const withoutTimes = (out: string) => out.replace(/\d+ ms/g, 'N ms');
    expect(withoutTimes(again.stdout)).toBe(withoutTimes(sources.stdout));
    expect(again.stdout).toMatch(/== r1 .* ok/);
    expect(again.stdout).toMatch(/Hostname: r2/);

    // A command that failed may have stopped early (here: no labs): it adds nothing to the cache.
    const failed = await runCli(['nodes', '--labs', join(dir, 'missing')], { env, launcher: true });
    expect(failed.code).toBe(2);
    expect(statSync(CODE_CACHE).mtimeMs).toBe(cachedAt);
    // Another kind of command calls other functions: the cache is written once more to hold them, then kept.
    const nodes = await runCli(['nodes', '--labs', dir], { env, launcher: true });
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/r1/);
    const learnedAt = statSync(CODE_CACHE).mtimeMs;
    expect(learnedAt).toBeGreaterThan(cachedAt);
    await runCli(['nodes', '--labs', dir], { env, launcher: true });
    await runCli(args, { env, launcher: true, timeoutMs: 60_000 });
    expect(statSync(CODE_CACHE).mtimeMs).toBe(learnedAt);
  }, 180_000);

  it('keeps grammar errors and their exit code', async () => {
    const r = await runCli(['exec', '--labs', dir, 'nosuchnode', 'show', 'version'], { env, launcher: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown node "nosuchnode"/);
  });
});
