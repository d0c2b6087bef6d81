import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, REPO } from '../../helpers/cli.js';
import { TmuxTerminal, haveTmux } from '../../helpers/tmux.js';
import { alive, demoEndpoints, listening } from './demo-helpers.js';

const PROMPT = 'clab-bot> ';

/** The text printed after the last time `command` was entered at the prompt. */
function after(screen: string, command: string): string | undefined {
  const at = screen.lastIndexOf(`${PROMPT}${command}\n`);
  return at === -1 ? undefined : screen.slice(at + PROMPT.length + command.length + 1);
}

/** Output of `command` once the next prompt is shown (the request is done). */
async function run(t: TmuxTerminal, command: string, timeoutMs = 20_000): Promise<string> {
  t.line(command);
  const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, command) ?? ''), timeoutMs);
  return (after(screen, command) ?? '').replace(/\nclab-bot>$/, '');
}

function startDemo(dir: string, args: readonly string[]): TmuxTerminal {
  return TmuxTerminal.start({
    command: [process.execPath, '--import', 'tsx', CLI, 'demo', ...args],
    cwd: REPO,
    env: { CLAB_BOT_HISTORY: join(dir, 'history'), CLAB_BOT_CONFIG: '', CLAB_LABS: '', LANG: 'C.UTF-8', NO_COLOR: undefined, FORCE_COLOR: undefined },
    width: 200,
    height: 50,
  });
}

// The console as a person uses it: a real pseudo-terminal (tmux), keys sent, the screen read back.
describe.skipIf(!haveTmux())('clab-bot demo in a terminal', { timeout: 45_000 }, () => {
  // Each test gets its own console and lab: what it asserts never depends on what another test typed.
  describe('a session', () => {
    let dir: string;
    let t: TmuxTerminal;
    let labDir: string;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'clab-console-tty-'));
      t = startDemo(dir, []);
      const screen = await t.waitFor(/\nclab-bot>$/, 45_000);
      labDir = /lab files in (\S+) \(removed when you leave\)/.exec(screen)?.[1] ?? '';
    });
    afterEach(() => {
      t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('opens with the lab and a tour of what to type first', () => {
      const screen = t.capture();
      expect(screen).toMatch(/4 simulated vJunos routers \(router1\.\.router4\) in lab "demo"/);
      expect(screen).toMatch(/^ {2}exec --all show ospf neighbor\s+OSPF adjacencies/m);
      expect(screen).toMatch(/^ {2}config router1 --file configs\/ntp-ospf\.conf --dry-run\s/m);
      expect(screen).toMatch(/^ {2}help\s/m);
      expect(existsSync(join(labDir, 'configs', 'ntp-ospf.conf'))).toBe(true);
    });

    it('exec --all show version: every router answers ok', async () => {
      const out = await run(t, 'exec --all show version');
      for (const name of ['router1', 'router2', 'router3', 'router4']) {
        // The node's own block holds its output; the summary row gives its size, not a line of it.
        expect(out).toMatch(new RegExp(`^== ${name} \\(demo, juniper_vjunosrouter\\)  ok .*\\nHostname: ${name}$`, 'm'));
        expect(out).toMatch(new RegExp(`^${name}\\s+ok\\s+\\S+ m?s\\s+\\d+ lines$`, 'm'));
      }
    });

    it('exec --all show ospf neighbor shows the chain\'s Full adjacencies', async () => {
      const out = await run(t, 'exec --all show ospf neighbor');
      const full = out.match(/^(\d+\.\d+\.\d+\.\d+)\s+ge-0\/0\/\d\.0\s+Full\s+10\.255\.0\.\d+\s/gm) ?? [];
      // router1-router2-router3-router4: two adjacencies per link, seen from each end.
      expect(full).toHaveLength(6);
      expect(out).toMatch(/^router2\s+ok\s/m);
    });

    it('a dry run shows the diff in colour: additions green, [edit] headers cyan', async () => {
      const command = 'config router1 --file configs/ntp-ospf.conf --dry-run';
      const out = await run(t, command);
      expect(out).toMatch(/^\[edit system\]$/m);
      expect(out).toMatch(/^\+\s+reference-bandwidth 100g;$/m);
      expect(out).toMatch(/commit check: ok/);
      expect(out).toMatch(/nothing was committed/);
      const styled = t.captureStyled();
      const section = styled.slice(styled.lastIndexOf('--dry-run'));
      expect(section).toMatch(/\x1b\[32m\+\s+ntp \{/);
      expect(section).toMatch(/\x1b\[36m\[edit protocols ospf\]/);
    });

    it('Tab completes a node name, and a second Tab lists the choices', async () => {
      t.type('exec --nodes rou');
      t.press('Tab');
      await t.waitFor(/\nclab-bot> exec --nodes router$/);
      t.press('Tab');
      await t.waitFor(/router1\s+router2\s+router3\s+router4\s*\nclab-bot> exec --nodes router$/);
      t.type('3,r');
      t.press('Tab');
      t.type('4');
      await t.waitFor(/\nclab-bot> exec --nodes router3,router4$/);
      t.type(' show version');
      t.press('Enter');
      const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, 'exec --nodes router3,router4 show version') ?? ''));
      const out = after(screen, 'exec --nodes router3,router4 show version') ?? '';
      expect(out).toMatch(/^router3\s+ok\s/m);
      expect(out).toMatch(/^router4\s+ok\s/m);
      expect(out).not.toMatch(/router1/);
    });

    it('config without a file reads pasted lines until "." and plans them', async () => {
      t.line('config router2 --dry-run');
      await t.waitFor(/paste the configuration, then a line holding only "\." \(or Ctrl-D\); Ctrl-C cancels:$/);
      t.line('system {');
      t.line('    location building lab-2;');
      t.line('}');
      t.line('.');
      const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, 'config router2 --dry-run') ?? ''));
      const out = after(screen, 'config router2 --dry-run') ?? '';
      expect(out).toMatch(/^\+\s+location \{$/m);
      expect(out).toMatch(/dry run \(merge, pasted config\): 1 of 1 nodes would change, 0 failing; nothing was committed/);
    });

    it('Ctrl-D on an empty line ends a paste too, and the console stays open', async () => {
      t.line('config router4 --dry-run');
      await t.waitFor(/Ctrl-C cancels:$/);
      t.line('set system location building lab-4');
      t.press('C-d');
      const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, 'config router4 --dry-run') ?? ''));
      const out = after(screen, 'config router4 --dry-run') ?? '';
      expect(out).toMatch(/building lab-4/);
      expect(out).toMatch(/dry run \(merge, pasted config\): 1 of 1 nodes would change/);
      // Back at a prompt that still works.
      expect(await run(t, 'whoami')).toMatch(/the terminal operator/);
    });

    it('Up recalls the commands typed, never the pasted configuration', async () => {
      expect(await run(t, 'whoami')).toMatch(/the terminal operator/);
      t.line('config router2 --dry-run');
      await t.waitFor(/Ctrl-C cancels:$/);
      t.line('set system location building lab-2');
      t.line('.');
      await t.waitFor((s) => /\nclab-bot>$/.test(after(s, 'config router2 --dry-run') ?? ''));
      expect(await run(t, 'nodes')).toMatch(/router4/);

      // Each Up puts the previous command on the prompt line, newest first; the pasted line is skipped.
      const recalled: string[] = [];
      for (let i = 0; i < 3; i++) {
        t.press('Up');
        const expected = ['nodes', 'config router2 --dry-run', 'whoami'][i] ?? '';
        const screen = await t.waitFor(new RegExp(`\\nclab-bot> ${expected}$`));
        recalled.push(/clab-bot> (.*)$/.exec(screen)?.[1] ?? '');
      }
      expect(recalled).toEqual(['nodes', 'config router2 --dry-run', 'whoami']);
      // One more Up runs past the oldest entry back to the empty line: nothing else is history, the pasted line least of all.
      t.press('Up');
      const past = await t.waitFor(/\nclab-bot>$/);
      expect(past).not.toMatch(/clab-bot> set system location/);
    });

    it('a usage mistake names the closest node and the console carries on', async () => {
      const out = await run(t, 'exec routr1 show version');
      expect(out).toMatch(/unknown node "routr1"/);
      expect(out).toMatch(/router1/);
    });

    it('config without --dry-run proposes a change and the typed "y" approves and commits it', async () => {
      const command = 'config router3 --file configs/ntp-ospf.conf --comment "ntp from the console"';
      t.line(command);
      const asked = await t.waitFor((s) => /approve change #(\d+) and commit it on 1 node\? \[y\/N\]$/.test(after(s, command) ?? ''));
      const proposal = after(asked, command) ?? '';
      expect(proposal).toMatch(/^change #\d+ planned \(proposed\): merge/m);
      expect(proposal).toMatch(/^\+\s+server 10\.255\.0\.100;$/m);
      const id = /approve change #(\d+)/.exec(proposal)?.[1];
      t.line('y');
      const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, command) ?? ''));
      const out = after(screen, command) ?? '';
      expect(out).toMatch(new RegExp(`^change #${id} committed \\(approved\\)`, 'm'));
      expect(out).toMatch(/^== demo\/router3 {2}plan ok, committed \(commit /m);
      // The device has it now.
      const shown = await run(t, 'exec router3 show configuration system ntp');
      expect(shown).toMatch(/server 10\.255\.0\.100;/);
    });

    it('answering anything but y leaves the change planned and says how to approve or cancel it', async () => {
      const command = 'config router4 --file configs/ntp-ospf.conf';
      t.line(command);
      const asked = await t.waitFor((s) => /\[y\/N\]$/.test(after(s, command) ?? ''));
      const id = /approve change #(\d+)/.exec(after(asked, command) ?? '')?.[1];
      t.line('n');
      const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, command) ?? ''));
      expect(after(screen, command)).toMatch(new RegExp(`not committed; change #${id} stays planned until \\d\\d:\\d\\d UTC: change ${id} approve \\| change ${id} cancel`));
      const listed = await run(t, 'changes');
      expect(listed).toMatch(new RegExp(`^#${id}\\s+planned\\s+\\S+\\s+router4\\s`, 'm'));
      const cancelled = await run(t, `change ${id} cancel`);
      expect(cancelled).toMatch(new RegExp(`^change #${id} cancelled`, 'm'));
      const untouched = await run(t, 'exec router4 show configuration system ntp');
      expect(untouched).not.toMatch(/10\.255\.0\.100/);
    });

    it('exit leaves with status 0, the routers closed, the lab files removed and the history saved', async () => {
      await run(t, 'exec --all show version');
      t.line('config router2 --dry-run');
      await t.waitFor(/Ctrl-C cancels:$/);
      t.line('set system location building lab-2');
      t.line('.');
      await t.waitFor((s) => /\nclab-bot>$/.test(after(s, 'config router2 --dry-run') ?? ''));
      const endpoints = demoEndpoints(labDir);
      const pid = t.pid();
      t.line('exit');
      expect(await t.waitForExit()).toBe(0);
      expect(alive(pid)).toBe(false);
      expect(existsSync(dirname(labDir))).toBe(false);
      for (const e of endpoints) expect(await listening(e.host, e.port)).toBe(false);
      const history = readFileSync(join(dir, 'history'), 'utf8').split('\n');
      expect(history).toEqual(expect.arrayContaining(['exec --all show version', 'config router2 --dry-run', 'exit']));
      expect(history.join('\n')).not.toMatch(/location/);
    });
  });

  it('closing the terminal (hang-up) still closes the routers and removes the lab files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clab-console-hup-'));
    const t = startDemo(dir, ['--nodes', '2', '--no-tour']);
    try {
      const screen = await t.waitFor(/\nclab-bot>$/, 45_000);
      const labDir = /lab files in (\S+) \(removed when you leave\)/.exec(screen)?.[1] ?? '';
      const endpoints = demoEndpoints(labDir);
      const pid = t.pid();
      t.close();
      const deadline = Date.now() + 20_000;
      while ((alive(pid) || existsSync(dirname(labDir))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
      expect(existsSync(dirname(labDir))).toBe(false);
      for (const e of endpoints) expect(await listening(e.host, e.port)).toBe(false);
    } finally {
      t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('Ctrl-C', () => {
    let dir: string;
    let t: TmuxTerminal;
    let labDir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'clab-console-ctrlc-'));
      t = startDemo(dir, ['--nodes', '2', '--latency', '3000', '--no-tour']);
      const screen = await t.waitFor(/\nclab-bot>$/, 45_000);
      labDir = /lab files in (\S+) \(removed when you leave\)/.exec(screen)?.[1] ?? '';
    });
    afterAll(() => {
      t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows progress while a request runs, and Ctrl-C cancels it and returns to the prompt', async () => {
      t.line('exec --all show version');
      await t.waitFor(/exec --all show version {2}0\/2 nodes done {2}\(Ctrl-C cancels\)/);
      t.press('C-c');
      const screen = await t.waitFor((s) => /\nclab-bot>$/.test(after(s, 'exec --all show version') ?? ''), 10_000);
      const out = after(screen, 'exec --all show version') ?? '';
      expect(out).toMatch(/^router1\s+CANCELLED\s/m);
      expect(out).toMatch(/^router2\s+CANCELLED\s/m);
      expect(out).not.toMatch(/nodes done/);
    });

    it('Ctrl-C drops a half-typed line; twice at an empty prompt leaves cleanly', async () => {
      const endpoints = demoEndpoints(labDir);
      const pid = t.pid();
      t.type('exec router1 show');
      t.press('C-c');
      await t.waitFor(/clab-bot> exec router1 show\^C\nclab-bot>$/);
      t.press('C-c');
      await t.waitFor(/\(to leave: Ctrl-C again, Ctrl-D or exit\)\nclab-bot>$/);
      t.press('C-c');
      expect(await t.waitForExit()).toBe(0);
      expect(alive(pid)).toBe(false);
      expect(existsSync(dirname(labDir))).toBe(false);
      for (const e of endpoints) expect(await listening(e.host, e.port)).toBe(false);
    });
  });
});
