import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimLab, type SimLab } from '../../../src/sim/lab.js';
import { CLI, REPO, runCli } from '../../helpers/cli.js';
import { TmuxTerminal, haveTmux } from '../../helpers/tmux.js';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const CYAN = '\x1b[36m';
const ESC = '\x1b[';

/** A dry run's diff in the terminal: coloured on a TTY, plain when piped, with --no-color or NO_COLOR. */
describe.skipIf(!haveTmux())('diff colours in the terminal', { timeout: 60_000 }, () => {
  let dir: string;
  let lab: SimLab;
  let args: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clab-diff-colour-'));
    lab = await startSimLab({ lab: 'colour', kind: 'juniper_vjunosrouter', count: 1, dir, prefix: 'r', baseIp: '127.20.69.1' });
    writeFileSync(join(dir, 'rename.conf'), 'system {\n    host-name r-colour;\n}\n');
    args = ['config', 'r1', '--labs', dir, '--file', join(dir, 'rename.conf'), '--dry-run'];
  }, 30_000);

  afterAll(async () => {
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The program's output in a real terminal (tmux), colours kept as escape sequences. */
  async function inTerminal(extra: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
    const t = TmuxTerminal.start({
      command: [process.execPath, '--import', 'tsx', CLI, ...args, ...extra],
      cwd: REPO,
      env: { CLAB_BOT_CONFIG: '', CLAB_LABS: '', CLAB_BOT_DB: `sqlite:${join(dir, `bot-${Math.random().toString(36).slice(2)}.db`)}`, FORCE_COLOR: undefined, ...env },
    });
    try {
      expect(await t.waitForExit(45_000)).toBe(0);
      return t.captureStyled();
    } finally {
      t.close();
    }
  }

  it('on a terminal: + lines green, - lines red, the [edit …] header cyan', async () => {
    const screen = await inTerminal([], { NO_COLOR: undefined });
    expect(screen).toContain(`${CYAN}[edit system]`);
    expect(screen).toMatch(new RegExp(`${RED.replace('[', '\\[')}-\\s+host-name r1;`));
    expect(screen).toMatch(new RegExp(`${GREEN.replace('[', '\\[')}\\+\\s+host-name r-colour;`));
  });

  it('--no-color on a terminal, NO_COLOR on a terminal, and a pipe: no escape sequences at all', async () => {
    const flag = await inTerminal(['--no-color'], { NO_COLOR: undefined });
    expect(flag).toMatch(/\+\s+host-name r-colour;/);
    expect(flag).not.toContain(ESC);
    const env = await inTerminal([], { NO_COLOR: '1' });
    expect(env).toMatch(/\+\s+host-name r-colour;/);
    expect(env).not.toContain(ESC);
    const piped = await runCli(args, { env: { NO_COLOR: '', CLAB_BOT_CONFIG: '', CLAB_LABS: '', CLAB_BOT_DB: `sqlite:${join(dir, 'piped.db')}` } });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/\[edit system\]\n-\s+host-name r1;\n\+\s+host-name r-colour;/);
    expect(piped.stdout).not.toContain(ESC);
  });
});
