/**
 * One IOS-XR CLI session on a shell: exec mode (`RP/0/RP0/CPU0:host#`) and configuration mode
 * (`RP/0/RP0/CPU0:host(config)#`, submodes `(config-if)#` …) with the commands netmiko and the
 * clab-bot driver use. Show commands print XR's timestamp line first, as the real CLI does.
 */
import { commands, lookup, type Lookup } from '../cisco/command-table.js';
import { diffLines, place, renderTree, type ConfigEdit, type ModeSpec } from '../cisco/config-tree.js';
import { pipeFilter, splitPipes } from '../cisco/pipes.js';
import { interfaceRows, invalidInput, longStamp, pad, uptimeWords, xrTimestamp } from '../cisco/show-common.js';
import type { CliReply, CliShell } from '../cisco/terminal.js';
import type { XrConfigSession, XrDevice } from './device.js';
import { XR_CONFIG_ROOT } from './schema.js';

type ExecAction = (s: XrCli, args: readonly string[]) => CliReply;

const text = (t: string): CliReply => ({ text: t });

const EXEC = commands<ExecAction>([
  ['show version', (s) => s.show(s.version())],
  ['show inventory', (s) => s.show(s.inventory())],
  ['show ipv4 interface brief', (s) => s.show(s.interfaceBrief())],
  ['show ip interface brief', (s) => s.show(s.interfaceBrief())],
  ['show ospf neighbor', (s) => s.show(s.ospfNeighbors())],
  ['show running-config <rest>?', (s, a) => s.show(s.runningConfig(a[0]))],
  ['show configuration commit list <num>?', (s, a) => s.show(s.commitList(a[0] === undefined ? undefined : Number(a[0])))],
  ['show configuration commit changes <arg>', (s, a) => s.show(s.commitChanges(a[0] ?? ''))],
  ['show configuration sessions', (s) => s.show(s.configSessions())],
  ['show configuration failed', (s) => s.show(s.failedConfig())],
  ['show clock', (s) => s.show(xrTimestamp(s.device.clock.now()))],
  ['terminal length <num>', (s, a) => ((s.screen.length = Number(a[0])), text(''))],
  ['terminal width <num>', (s, a) => ((s.screen.width = Number(a[0])), text(''))],
  ['terminal exec prompt no-timestamp', (s) => ((s.timestamps = false), text(''))],
  ['configure terminal?', (s) => s.enterConfig(false)],
  ['configure exclusive', (s) => s.enterConfig(true)],
  ['rollback configuration last <num>', (s, a) => s.rollback({ last: Number(a[0]) })],
  ['rollback configuration to <arg>', (s, a) => s.rollback({ to: a[0] ?? '' })],
  ['exit', () => ({ text: '', close: true })],
  ['logout', () => ({ text: '', close: true })],
]);

type ConfigAction = (s: XrCli, args: readonly string[]) => CliReply;

/** Commands of configuration mode that are not configuration lines. */
const CONFIG = commands<ConfigAction>([
  ['commit', (s) => s.commit({})],
  ['commit confirmed <num>', (s, a) => s.commit({ confirmSeconds: Number(a[0]) })],
  ['commit confirmed minutes <num>', (s, a) => s.commit({ confirmSeconds: Number(a[0]) * 60 })],
  ['commit comment <rest>', (s, a) => s.commit({ comment: a[0] ?? '' })],
  ['commit label <arg>', (s, a) => s.commit({ label: a[0] ?? '' })],
  ['commit label <arg> comment <rest>', (s, a) => s.commit({ label: a[0] ?? '', comment: a[1] ?? '' })],
  ['commit label <arg> confirmed <num>', (s, a) => s.commit({ label: a[0] ?? '', confirmSeconds: Number(a[1]) })],
  ['commit confirmed <num> comment <rest>', (s, a) => s.commit({ confirmSeconds: Number(a[0]), comment: a[1] ?? '' })],
  ['abort', (s) => s.abort()],
  ['end', (s) => s.end()],
  ['root', (s) => ((s.modes = s.modes.slice(0, 1)), (s.path = []), text(''))],
  ['exit', (s) => s.exitMode()],
  ['show commit changes diff', (s) => s.show(s.commitChangesDiff())],
  ['show configuration', (s) => s.show(s.targetChanges())],
  ['show configuration failed', (s) => s.show(s.failedConfig())],
  ['load rollback changes last <num>', (s, a) => s.loadRollback(Number(a[0]))],
]);

export class XrCli implements CliShell {
  readonly device: XrDevice;
  readonly user: string;
  readonly screen = { length: 24, width: 80 };
  timestamps = true;
  session: XrConfigSession | undefined;
  /** Open configuration modes, root first; `path` the section lines they opened. */
  modes: ModeSpec[] = [XR_CONFIG_ROOT];
  path: string[] = [];

  constructor(device: XrDevice, user: string) {
    this.device = device;
    this.user = user;
  }

  prompt(): string {
    const base = `RP/0/RP0/CPU0:${this.device.hostname()}`;
    if (this.session === undefined) return `${base}#`;
    return `${base}(${this.modes[this.modes.length - 1]?.name ?? 'config'})#`;
  }

  run(line: string): CliReply {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!')) return text('');
    const { command, stages } = splitPipes(line);
    const pipe = pipeFilter(stages);
    if (!pipe.ok) return text(invalidInput(this.prompt().length, pipe.column));
    if (this.session !== undefined) return this.#config(command, pipe.apply);
    const found = lookup(EXEC, command);
    if (found.ok) return this.#filtered(found.action(this, found.args), pipe.apply);
    return this.#failure(found, line);
  }

  /** Closes the configuration session when the shell goes away (uncommitted changes are discarded). */
  closed(): void {
    if (this.session !== undefined) this.device.closeSession(this.session);
    this.session = undefined;
  }

  #filtered(reply: CliReply, apply: (t: string) => string): CliReply {
    return { ...reply, text: apply(reply.text) };
  }

  #failure(found: Exclude<Lookup<unknown>, { ok: true }>, line: string): CliReply {
    if (found.error === 'invalid') return text(invalidInput(this.prompt().length, found.column));
    if (found.error === 'incomplete') return text('% Incomplete command.\n');
    return text(`% Ambiguous command:  "${line.trim()}"\n`);
  }

  #config(line: string, apply: (t: string) => string): CliReply {
    const trimmed = line.trim();
    const words = trimmed.split(/\s+/);
    if (words[0] === 'do') {
      const found = lookup(EXEC, words.slice(1).join(' '));
      if (found.ok && !/^(configure|exit|logout)$/.test(found.words[0] ?? '')) return this.#filtered(found.action(this, found.args), apply);
      return found.ok ? text(invalidInput(this.prompt().length, 0)) : this.#failure(found, line);
    }
    const keyword = lookup(CONFIG, trimmed);
    if (keyword.ok) return this.#filtered(keyword.action(this, keyword.args), apply);
    if (/^(commit|abort|end|root|exit|show|load)\b/.test(trimmed)) return this.#failure(keyword, line);
    if (/^show\b/.test(trimmed)) {
      const found = lookup(EXEC, trimmed);
      if (found.ok) return this.#filtered(found.action(this, found.args), apply);
    }
    return this.#configLine(trimmed, line);
  }

  #configLine(trimmed: string, line: string): CliReply {
    const placed = place(this.modes, trimmed.replace(/\s+/g, ' '));
    if (placed === undefined) return text(invalidInput(this.prompt().length, line.length - line.trimStart().length));
    const session = this.session as XrConfigSession;
    this.modes = this.modes.slice(0, placed.depth + 1);
    this.path = this.path.slice(0, placed.depth);
    const normal = trimmed.replace(/\s+/g, ' ');
    const edit: ConfigEdit = { path: [...this.path], line: normal, section: placed.section !== undefined };
    session.edits.push(edit);
    if (placed.section !== undefined) {
      this.modes.push(placed.section);
      this.path.push(normal);
    }
    return text('');
  }

  show(body: string): CliReply {
    return text(this.timestamps ? `${xrTimestamp(this.device.clock.now())}\n${body}` : body);
  }

  version(): string {
    const d = this.device;
    const v = d.opts.version;
    return [
      `Cisco IOS XR Software, Version ${v} LNT`,
      'Copyright (c) 2013-2024 by Cisco Systems, Inc.',
      '',
      'Build Information:',
      ' Built By     : cisco',
      ' Built On     : Thu Mar 07 18:00:00 UTC 2024',
      ' Build Host   : iox-lnx-simulated',
      ' Workspace    : /auto/srcarchive/xrd',
      ` Version      : ${v}`,
      ` Label        : ${v}`,
      '',
      'cisco XRd Control Plane',
      'cisco XRd-CP-C-01 processor with 4GB of memory',
      `${d.hostname()} uptime is ${uptimeWords((d.clock.now() - d.bootedAt) / 1000)}`,
      'XRd Control Plane Container',
      '',
    ].join('\n');
  }

  inventory(): string {
    return [
      'NAME: "0/RP0/CPU0", DESCR: "XRd Control Plane Route Processor"',
      `PID: XRD-CP-C-01, VID: V01, SN: ${this.device.opts.serial}`,
      '',
    ].join('\n');
  }

  interfaceBrief(): string {
    const rows = interfaceRows(this.device.running).map(
      (r) => `${pad(r.name, 31)}${pad(r.address, 16)}${pad(r.shutdown ? 'Shutdown' : 'Up', 16)}${pad(r.shutdown ? 'Down' : 'Up', 9)}default `,
    );
    return ['', `${pad('Interface', 31)}${pad('IP-Address', 16)}${pad('Status', 16)}${pad('Protocol', 9)}Vrf-Name`, ...rows, ''].join('\n');
  }

  ospfNeighbors(): string {
    const ospf = this.device.running.find((n) => n.line.startsWith('router ospf '));
    if (ospf === undefined) return '';
    const configured = new Set<string>();
    for (const area of ospf.children) for (const i of area.children) if (i.line.startsWith('interface ')) configured.add(i.line.slice(10));
    const rows = this.device.opts.neighbors
      .filter((n) => configured.has(n.interface))
      .map(
        (n) =>
          `${pad(n.routerId, 16)}${pad('1', 6)}${pad('FULL/  -', 16)}${pad('00:00:38', 12)}${pad(n.address, 16)}${pad('01:02:03', 9)}${n.interface.replace('GigabitEthernet', 'Gi')}`,
      );
    return [
      '',
      '* Indicates MADJ interface',
      '# Indicates Neighbor awaiting BFD session up',
      '',
      `Neighbors for OSPF ${ospf.line.slice('router ospf '.length)}`,
      '',
      'Neighbor ID     Pri   State           Dead Time   Address         Up Time  Interface',
      ...rows,
      '',
      `Total neighbor count: ${rows.length}`,
      '',
    ].join('\n');
  }

  runningConfig(filter: string | undefined): string {
    if (filter === undefined) return `Building configuration...\n${this.device.runningText()}\n`;
    const nodes = this.device.running.filter((n) => n.line === filter || n.line.startsWith(`${filter} `));
    if (nodes.length === 0) return `% No such configuration item(s)\n`;
    return `${renderTree(nodes, 'xr').join('\n')}\n`;
  }

  commitList(count: number | undefined): string {
    const rows = this.device.commits
      .slice(0, count ?? this.device.commits.length)
      .map(
        (c, i) =>
          `${pad(String(i + 1), 5)}${pad(c.label === '' ? c.id : c.label, 22)}${pad(c.user, 10)}${pad('vty0:node0_RP0_CPU0', 20)}${pad('CLI', 12)}${longStamp(c.time)}`,
      );
    return [
      'SNo. Label/ID              User      Line                Client      Time Stamp',
      '~~~~ ~~~~~~~~              ~~~~      ~~~~                ~~~~~~      ~~~~~~~~~~',
      ...rows,
      '',
    ].join('\n');
  }

  commitChanges(id: string): string {
    const commit = this.device.commits.find((c) => c.id === id);
    if (commit === undefined) return `% Invalid commit ID '${id}'\n`;
    return ['Building configuration...', `!! IOS XR Configuration ${this.device.opts.version}`, ...diffLines(commit.before, commit.after), 'end', ''].join(
      '\n',
    );
  }

  configSessions(): string {
    const rows = [...this.device.sessions].map(
      (s) => {
        const id = `${String(s.id).padStart(2, '0')}0000001-00${String(s.id).padStart(6, '0')}`;
        return `${pad(id, 24)}${pad(s.user, 10)}${pad('vty0:node0_RP0_CPU0', 22)}${pad(s.exclusive ? 'X' : '', 5)}${longStamp(s.started)}`;
      },
    );
    if (rows.length === 0) return '';
    return ['Session                Line        User     Date                     Lock', ...rows, ''].join('\n');
  }

  failedConfig(): string {
    const failed = this.session?.failed;
    if (failed === undefined) return '';
    return [
      '!! SEMANTIC ERRORS: This configuration was rejected by',
      '!! the system. The configuration is not applied.',
      '!!',
      ...failed.edits.map((e) => `${' '.repeat(e.path.length)}${e.line}`),
      `!!% ${failed.message}`,
      'end',
      '',
    ].join('\n');
  }

  enterConfig(exclusive: boolean): CliReply {
    const opened = this.device.openSession(this.user, exclusive);
    if (typeof opened === 'string') return text(opened);
    this.session = opened;
    this.modes = [XR_CONFIG_ROOT];
    this.path = [];
    return text('');
  }

  commit(o: { confirmSeconds?: number; comment?: string; label?: string }): CliReply {
    const session = this.session as XrConfigSession;
    const result = this.device.commit(session, { confirmSeconds: o.confirmSeconds ?? 0, comment: o.comment ?? '', label: o.label ?? '' });
    if (typeof result === 'string') return text(`\n${result}\n`);
    return text('');
  }

  abort(): CliReply {
    this.closed();
    return text('');
  }

  end(): CliReply {
    const session = this.session as XrConfigSession;
    if (this.device.changesDiff(session).length === 0) {
      this.closed();
      return text('');
    }
    return {
      text: '',
      question: {
        prompt: 'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:',
        answer: (line) => {
          const a = line.trim().toLowerCase();
          if (a === 'yes' || a === 'y') {
            const reply = this.commit({});
            if (reply.text.trim() === '') this.closed();
            return reply;
          }
          if (a === 'no' || a === 'n') {
            this.closed();
            return text('');
          }
          return text('');
        },
      },
    };
  }

  exitMode(): CliReply {
    if (this.modes.length > 1) {
      this.modes.pop();
      this.path.pop();
      return text('');
    }
    return this.end();
  }

  commitChangesDiff(): string {
    const session = this.session as XrConfigSession;
    return ['Building configuration...', `!! IOS XR Configuration ${this.device.opts.version}`, ...this.device.changesDiff(session), 'end', ''].join('\n');
  }

  targetChanges(): string {
    const session = this.session as XrConfigSession;
    return [
      'Building configuration...',
      `!! IOS XR Configuration ${this.device.opts.version}`,
      ...session.edits.map((e) => `${' '.repeat(e.path.length)}${e.line}`),
      'end',
      '',
    ].join('\n');
  }

  loadRollback(count: number): CliReply {
    const session = this.session as XrConfigSession;
    const target = this.device.rollbackTarget(count);
    if (target === undefined) return text(`% Invalid number of commits to rollback: ${count}\n`);
    // The session's target becomes the configuration from before those commits: a whole-tree replace.
    session.edits = replaceEdits(this.device.running, target);
    return text('Loading Rollback Changes.\nLoaded Rollback Changes in 1 sec \n');
  }

  rollback(which: { last: number } | { to: string }): CliReply {
    const result = this.device.rollback(this.user, which);
    if (typeof result === 'string') return text(`${result}\n`);
    return text(
      [
        'Loading Rollback Changes.',
        'Loaded Rollback Changes in 1 sec ',
        'Committing.',
        '1 items committed in 1 sec (0)items/sec',
        'Updating.',
        'Updated Commit database in 1 sec ',
        `Configuration successfully rolled back ${result.count} commits.`,
        '',
      ].join('\n'),
    );
  }
}

/** Edits that turn `from` into `to`: remove what `to` lacks, add what it has (recursively). */
function replaceEdits(
  from: readonly { line: string; children: unknown[] }[],
  to: readonly { line: string; children: unknown[] }[],
  path: string[] = [],
): ConfigEdit[] {
  type N = { line: string; children: N[] };
  const a = from as N[];
  const b = to as N[];
  const edits: ConfigEdit[] = [];
  for (const n of a) if (!b.some((m) => m.line === n.line)) edits.push({ path, line: `no ${n.line}`, section: false });
  for (const n of b) {
    const was = a.find((m) => m.line === n.line);
    if (n.children.length > 0 || (was !== undefined && was.children.length > 0)) {
      if (was === undefined) edits.push({ path, line: n.line, section: true });
      edits.push(...replaceEdits(was?.children ?? [], n.children, [...path, n.line]));
    } else if (was === undefined) {
      edits.push({ path, line: n.line, section: false });
    }
  }
  return edits;
}
