/**
 * One IOS CLI session on a shell: user exec (`r1>`), privileged exec (`r1#`, after `enable` and
 * its secret) and configuration mode (`r1(config)#`, `r1(config-if)#` …), where each line changes
 * the running configuration at once. The archive, `configure terminal revert timer`, `configure
 * replace` and `configure confirm` are IOS's way to undo.
 */
import { commands, lookup, type Lookup } from '../cisco/command-table.js';
import { applyEdit, cloneTree, parseConfig, place, renderTree, type ModeSpec } from '../cisco/config-tree.js';
import { pipeFilter, splitPipes } from '../cisco/pipes.js';
import { interfaceRows, invalidInput, pad, uptimeWords } from '../cisco/show-common.js';
import type { CliReply, CliShell } from '../cisco/terminal.js';
import { secretEquals } from '../ssh-server.js';
import type { IosDevice } from './device.js';
import { IOS_CONFIG_ROOT } from './schema.js';

type Action = (s: IosCli, args: readonly string[]) => CliReply;
const text = (t: string): CliReply => ({ text: t });

/** User exec (`>`). */
const USER = commands<Action>([
  ['show version', (s) => text(s.version())],
  ['show ip interface brief', (s) => text(s.interfaceBrief())],
  ['enable', (s) => s.enable()],
  ['terminal length <num>', (s, a) => ((s.screen.length = Number(a[0])), text(''))],
  ['terminal width <num>', (s, a) => ((s.screen.width = Number(a[0])), text(''))],
  ['exit', () => ({ text: '', close: true })],
  ['logout', () => ({ text: '', close: true })],
]);

/** Privileged exec (`#`): everything in user exec but enable, plus these. */
const PRIVILEGED = commands<Action>([
  ...USER.filter((c) => c.words[0] !== 'enable').map((c) => [c.words.join(' '), c.action] as const),
  ['enable', () => text('')],
  ['disable', (s) => ((s.privileged = false), text(''))],
  ['show running-config <rest>?', (s, a) => text(s.runningConfig(a[0]))],
  ['show startup-config', (s) => text(s.device.runningText())],
  ['show ip ospf neighbor', (s) => text(s.ospfNeighbors())],
  ['show archive', (s) => text(s.showArchive())],
  ['configure terminal?', (s) => s.configure()],
  ['configure terminal revert timer <num>', (s, a) => s.configure(Number(a[0]))],
  ['configure replace <arg> <rest>?', (s, a) => s.replace(a[0] ?? '', a[1] ?? '')],
  ['configure confirm', (s) => s.confirm()],
  ['archive config', (s) => s.archiveConfig()],
  ['more <arg>', (s, a) => s.more(a[0] ?? '')],
  ['write memory?', () => text('Building configuration...\n[OK]')],
  [
    'copy running-config startup-config',
    () => ({ text: '', question: { prompt: 'Destination filename [startup-config]? ', answer: () => text('Building configuration...\n[OK]') } }),
  ],
]);

export class IosCli implements CliShell {
  readonly device: IosDevice;
  readonly screen = { length: 24, width: 80 };
  privileged: boolean;
  configuring = false;
  modes: ModeSpec[] = [IOS_CONFIG_ROOT];
  path: string[] = [];

  constructor(device: IosDevice) {
    this.device = device;
    this.privileged = device.opts.privilege === 15;
  }

  prompt(): string {
    const host = this.device.hostname();
    if (this.configuring) return `${host}(${this.modes[this.modes.length - 1]?.name ?? 'config'})#`;
    return `${host}${this.privileged ? '#' : '>'}`;
  }

  run(line: string): CliReply {
    if (line.trim() === '' || line.trim().startsWith('!')) return text('');
    const { command, stages } = splitPipes(line);
    const pipe = pipeFilter(stages);
    if (!pipe.ok) return text(invalidInput(this.prompt().length, pipe.column));
    if (this.configuring) return this.#config(command);
    const found = lookup(this.privileged ? PRIVILEGED : USER, command);
    if (!found.ok) return this.#failure(found, line);
    const reply = found.action(this, found.args);
    return { ...reply, text: pipe.apply(reply.text) };
  }

  #failure(found: Exclude<Lookup<unknown>, { ok: true }>, line: string): CliReply {
    if (found.error === 'invalid') return text(invalidInput(this.prompt().length, found.column));
    if (found.error === 'incomplete') return text('% Incomplete command.\n');
    return text(`% Ambiguous command:  "${line.trim()}"\n`);
  }

  #config(line: string): CliReply {
    const trimmed = line.trim().replace(/\s+/g, ' ');
    if (trimmed === 'end') {
      this.configuring = false;
      return text('');
    }
    if (trimmed === 'exit') {
      if (this.modes.length > 1) {
        this.modes.pop();
        this.path.pop();
      } else this.configuring = false;
      return text('');
    }
    if (trimmed.startsWith('do ')) {
      const found = lookup(PRIVILEGED, trimmed.slice(3));
      if (found.ok && !/^(configure|exit|logout)$/.test(found.words[0] ?? '')) return found.action(this, found.args);
      return found.ok ? text(invalidInput(this.prompt().length, 0)) : this.#failure(found, line);
    }
    const placed = place(this.modes, trimmed);
    if (placed === undefined) return text(invalidInput(this.prompt().length, line.length - line.trimStart().length));
    if (this.device.faults.commitError !== null) return text(`% ${this.device.faults.commitError}\n`);
    this.modes = this.modes.slice(0, placed.depth + 1);
    this.path = this.path.slice(0, placed.depth);
    applyEdit(this.device.running, { path: [...this.path], line: trimmed, section: placed.section !== undefined });
    if (placed.section !== undefined) {
      this.modes.push(placed.section);
      this.path.push(trimmed);
    }
    return text('');
  }

  enable(): CliReply {
    return {
      text: '',
      question: {
        prompt: 'Password: ',
        answer: (secret) => {
          if (secretEquals(secret, this.device.opts.enableSecret)) {
            this.privileged = true;
            return text('');
          }
          return text('% Access denied\n');
        },
      },
    };
  }

  configure(revertMinutes?: number): CliReply {
    if (this.device.faults.busy !== null) {
      return text(`Configuration mode is locked by process '3' user '${this.device.faults.busy}' from terminal '2'. Please try later.\n`);
    }
    let out = 'Enter configuration commands, one per line.  End with CNTL/Z.\n';
    if (revertMinutes !== undefined) {
      if (this.device.archiveSettings() === undefined) return text('% Archive feature not enabled\n');
      if (revertMinutes < 1 || revertMinutes > 120) return text(invalidInput(this.prompt().length, 'configure terminal revert timer '.length));
      this.device.startRevert(revertMinutes, cloneTree(this.device.running));
      out = `Rollback Confirmed Change: Backing up current running config to nvram:rollback-confirm\n${out}`;
    }
    this.configuring = true;
    this.modes = [IOS_CONFIG_ROOT];
    this.path = [];
    return text(out);
  }

  replace(file: string, options: string): CliReply {
    const content = this.device.files.get(file);
    if (content === undefined) return text(`%Error opening ${file} (File not found)\n% Failed to open ${file}\n`);
    const words = options.split(/\s+/).filter((w) => w !== '');
    const time = words.indexOf('time');
    const minutes = time >= 0 ? Number(words[time + 1]) : undefined;
    if (minutes !== undefined && !(minutes >= 1 && minutes <= 120)) return text('% Invalid input detected: time must be 1-120 minutes\n');
    const run = (): CliReply => {
      if (this.device.faults.commitError !== null) return text(`% Rollback aborted: ${this.device.faults.commitError}\n`);
      const before = cloneTree(this.device.running);
      this.device.running = parseConfig(content);
      this.device.changes.unshift({ kind: 'configure replace', time: this.device.clock.now() });
      if (minutes !== undefined) this.device.startRevert(minutes, before);
      return text('Total number of passes: 1\nRollback Done\n');
    };
    if (words.includes('force')) return run();
    return {
      text: 'This will apply all necessary additions and deletions\nto replace the current running configuration with the\ncontents of the specified configuration file, which is\nassumed to be a complete configuration, not a partial\nconfiguration.',
      question: { prompt: 'Enter Y if you are sure you want to proceed. ? [no]: ', answer: (a) => (/^y(es)?$/i.test(a.trim()) ? run() : text('')) },
    };
  }

  confirm(): CliReply {
    return this.device.confirmRevert() ? text('') : text('% No Rollback Confirmed Change pending\n');
  }

  archiveConfig(): CliReply {
    return this.device.archiveNow() === undefined ? text('% Archive feature not enabled\n') : text('');
  }

  more(file: string): CliReply {
    const content = this.device.files.get(file);
    return content === undefined ? text(`%Error opening ${file} (File not found)\n`) : text(content);
  }

  showArchive(): string {
    const s = this.device.archiveSettings();
    if (s === undefined) return 'Archive feature not enabled\n';
    const newest = this.device.newestSlot();
    const rows = Array.from({ length: s.maximum }, (_, i) => {
      const name = this.device.slots.get(i + 1);
      return `   ${pad(String(i + 1), 9)}${name ?? ''}${name !== undefined && newest === i + 1 ? ' <- Most Recent' : ''}`;
    });
    return [
      `The maximum archive configurations allowed is ${s.maximum}.`,
      `The next archive file will be named ${this.device.nextArchiveName() ?? ''}`,
      ' Archive #  Name',
      ...rows,
      '',
    ].join('\n');
  }

  version(): string {
    const d = this.device;
    return [
      `Cisco IOS Software [Dublin], Linux Software (X86_64BI_LINUX-ADVENTERPRISEK9-M), Version ${d.opts.version}, RELEASE SOFTWARE (fc5)`,
      'Technical Support: http://www.cisco.com/techsupport',
      'Copyright (c) 1986-2023 by Cisco Systems, Inc.',
      '',
      'ROM: Bootstrap program is Linux',
      '',
      `${d.hostname()} uptime is ${uptimeWords((d.clock.now() - d.bootedAt) / 1000)}`,
      'System returned to ROM by reload at 0',
      'System image file is "unix:/iol/iol.bin"',
      '',
      'cisco IOL (x86_64) processor with 1238405K bytes of memory.',
      `Processor board ID ${d.opts.serial}`,
      `${interfaceRows(d.running).length} Ethernet interfaces`,
      '1024K bytes of NVRAM.',
      '',
      'Configuration register is 0x0',
      '',
    ].join('\n');
  }

  interfaceBrief(): string {
    const rows = interfaceRows(this.device.running).map((r) => {
      const status = r.shutdown ? 'administratively down' : 'up';
      return `${pad(r.name, 23)}${pad(r.address, 16)}${pad('YES', 4)}${pad(r.address === 'unassigned' ? 'unset' : 'manual', 7)}${pad(status, 22)}${r.shutdown ? 'down' : 'up'}`;
    });
    return [`${pad('Interface', 23)}${pad('IP-Address', 16)}OK? Method Status                Protocol`, ...rows, ''].join('\n');
  }

  ospfNeighbors(): string {
    const ospf = this.device.running.some((n) => n.line.startsWith('router ospf '));
    if (!ospf) return '';
    const configured = new Set(interfaceRows(this.device.running).filter((r) => !r.shutdown).map((r) => r.name));
    const rows = this.device.opts.neighbors
      .filter((n) => configured.has(n.interface))
      .map((n) => `${pad(n.routerId, 16)}${pad('  0', 6)}${pad('FULL/  -', 16)}${pad('00:00:38', 12)}${pad(n.address, 16)}${n.interface}`);
    return ['', 'Neighbor ID     Pri   State           Dead Time   Address         Interface', ...rows, ''].join('\n');
  }

  runningConfig(filter: string | undefined): string {
    if (filter === undefined) return this.device.runningText();
    const nodes = this.device.running.filter((n) => n.line === filter || n.line.startsWith(`${filter} `));
    return `Building configuration...\n\nCurrent configuration : 0 bytes\n${renderTree(nodes, 'ios').join('\n')}\nend\n`;
  }
}
