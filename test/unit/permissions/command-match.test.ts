import { describe, expect, it } from 'vitest';
import type { CliDialect } from '../../../src/permissions/cli-dialect.js';
import { commandAllowed, compilePattern, matchCommand, patternProblem } from '../../../src/permissions/command-match.js';
import { normaliseCommand } from '../../../src/permissions/command-normalise.js';
import { PIPE_RULES, safePipeNames } from '../../../src/permissions/safe-pipes.js';

type Row = [pattern: string, dialect: CliDialect, command: string, allowed: boolean, why?: string];

const rows: Row[] = [
  // The pattern matches word by word on the normalised command.
  ['show *', 'junos', 'show version', true],
  ['show *', 'junos', 'sh ver', true],
  ['show *', 'junos', 'SHOW   VERSION', true],
  ['show *', 'junos', 'show', true],
  ['show *', 'junos', 'showversion', false, 'does not match'],
  ['show ospf *', 'junos', 'sh ospf nei', true],
  ['show ospf *', 'junos', 'show ospf3 neighbor', false, 'does not match'],
  ['show ospf *', 'junos', 'show bgp summary', false, 'does not match'],
  ['show version', 'junos', 'show version', true],
  ['show version', 'junos', 'show version detail', false, 'does not match'],
  ['show interfaces * terse', 'junos', 'sh int ge-0/0/0 terse', true],
  ['show interfaces * terse', 'junos', 'show interfaces ge-0/0/0 extensive', false, 'does not match'],
  ['show interfaces * terse', 'junos', 'show interfaces terse', false, 'does not match'],
  ['request system reboot', 'junos', 'req sys reb', true],
  ['request system reboot', 'junos', 'request system reboot at now', false, 'does not match'],
  ['ping *', 'junos', 'ping 10.0.0.1 count 5', true],
  ['*', 'junos', 'request system reboot', true],
  // Bypass attempts against `show *`.
  ['show *', 'junos', 'request system reboot', false, 'does not match'],
  ['show *', 'junos', 'req sys reboot', false, 'does not match'],
  ['show *', 'junos', 'show version | save /tmp/x', false, 'save writes a file'],
  ['show *', 'junos', 'show version | tee /tmp/x', false, 'tee writes a file'],
  ['show *', 'junos', 'show version | append /tmp/x', false, 'append writes a file'],
  ['show *', 'junos', 'show version | match foo | save x', false, 'save writes a file'],
  ['show *', 'junos', 'show version | m foo | s x', false, 'save writes a file'],
  ['show *', 'junos', 'show version | sa x', false, 'save writes a file'],
  ['show *', 'junos', 'show version | t x', false, 'ambiguous (tee, trim)'],
  ['show *', 'junos', 'show version | request message all', false, 'sends the output to other users'],
  ['show *', 'junos', 'show interfaces | refresh 1', false, 'repeats the command'],
  ['show *', 'junos', 'show interfaces | hold', false, 'waits for a keypress'],
  ['show *', 'junos', 'show version | shell rm -rf /', false, 'not a pipe the bot knows'],
  ['show *', 'junos', 'show version\nrequest system reboot', false, 'line break'],
  ['show *', 'junos', 'show version; request system reboot', false, '`;`'],
  ['show *', 'junos', 'show version && request system reboot', false, '`&&`'],
  ['show *', 'junos', 'show version | match "x" ; request system reboot', false, '`;`'],
  ['show *', 'junos', '\u0455how version', false, 'non-ASCII'],
  ['show *', 'junos', 'show version \uff5c save /tmp/x', false, 'non-ASCII'],
  ['show *', 'junos', 'show version \\', false, 'backslash'],
  ['*', 'junos', 'show version | save /tmp/x', false, 'save writes a file'],
  // Safe Junos pipes.
  ['show *', 'junos', 'show | display xml', true],
  ['show *', 'junos', 'show configuration | display set', true],
  ['show *', 'junos', 'show configuration | display json', true],
  ['show *', 'junos', 'show configuration | display inheritance', true],
  ['show *', 'junos', 'show configuration | display detail', true],
  ['show *', 'junos', 'show configuration | dis x', true],
  ['show *', 'junos', 'show configuration | display', false, 'needs one of'],
  ['show *', 'junos', 'show configuration | display foo', false, 'needs one of'],
  ['show *', 'junos', 'show configuration | compare rollback 1', true],
  ['show *', 'junos', 'show route | match foo | except bar | no-more', true],
  ['show *', 'junos', 'show route | find inet.0', true],
  ['show *', 'junos', 'show route | last 20', true],
  ['show *', 'junos', 'show route | last', true],
  ['show *', 'junos', 'show route | last x', false, 'only a line count'],
  ['show *', 'junos', 'show route | trim 5', true],
  ['show *', 'junos', 'show route | trim', false, 'needs a line count'],
  ['show *', 'junos', 'show route | count', true],
  ['show *', 'junos', 'show route | count x', false, 'takes no arguments'],
  ['show *', 'junos', 'show route | match', false, 'needs an argument'],
  ['show *', 'junos', 'show arp | resolve', true],
  // EOS and IOS: prefixes, case-insensitive throughout.
  ['show *', 'eos', 'sh ip int br | inc up', true],
  ['show *', 'eos', 'show running-config | section bgp', true],
  ['show *', 'eos', 'show version | json', true],
  ['show *', 'eos', 'show running-config | redirect flash:x', false, 'writes a file'],
  ['show *', 'eos', 'show running-config | tee flash:x', false, 'writes a file'],
  ['show *', 'eos', 'show running-config > flash:x', false, 'redirection'],
  ['show *', 'eos', 'show running-config | grep x', false, 'not a pipe the bot knows'],
  ['show interfaces Ethernet1', 'eos', 'SHOW INTERFACES ETHERNET1', true],
  ['show *', 'eos', 'reload now', false, 'does not match'],
  ['show *', 'eos', 'sh ip bgp sum', true],
  ['show ip bgp summary', 'eos', 'sh ip bgp sum', true],
  ['show *', 'eos', 'show version | append flash:x', false, 'writes a file'],
  ['show *', 'eos', 'bash ls /mnt/flash', false, 'does not match'],
  ['show *', 'eos', 'run show version', false, 'does not match'],
  ['*', 'eos', 'run show version; reload now', false, 'would start a'],
  ['bash *', 'eos', 'bash ls /mnt/flash', true],
  ['show *', 'ios', 'sh run | i hostname', true],
  ['show *', 'ios', 'show running-config | redirect bootflash:x', false, 'writes a file'],
  ['show *', 'ios', 'show running-config | utility egrep x', false, 'runs Unix utilities'],
  ['show *', 'ios', 'show running-config | file disk0:x', false, 'writes a file'],
  ['show *', 'ios', 'sh ip int br | e unassigned', true],
  ['show *', 'ios', 'show running-config | sec router ospf', true],
  ['show *', 'ios', 'show running-config | b interface', true],
  ['show *', 'ios', 'show running-config | append flash:x', false, 'writes a file'],
  ['show *', 'ios', 'show running-config | tee flash:x', false, 'writes a file'],
  ['show *', 'ios', 'show running-config | f x', false, '`f` is ambiguous (file, format)'],
  ['show ip interface brief', 'ios', 'SH IP INT BR', true],
  ['show ip ospf *', 'ios', 'sh ip os nei', true],
  // `*` grants everything a policy can grant; a shell or a change of the bot's session is still refused.
  ['*', 'ios', 'tclsh', false, '`tclsh` is refused on Cisco IOS/IOS-XE/NX-OS: it starts a Tcl shell'],
  ['*', 'ios', 'guestshell run bash', false, '`guestshell` is refused'],
  ['*', 'ios', 'run bash ls', false, '`run` is refused'],
  ['*', 'ios', 'conf t', false, 'change the configuration with `config`'],
  ['*', 'ios', 'term len 24', false, "the bot's own session"],
  ['*', 'ios', 'enable', false, 'privilege level'],
  ['*', 'ios', 'disable', false, 'privilege level'],
  ['*', 'ios', 'ping 10.0.0.2', true],
  // IOS-XR: its own commands and pipes.
  ['show *', 'xr', 'sh ipv4 int br', true],
  ['show ipv4 interface brief', 'xr', 'sh ipv4 int br', true],
  ['show ospf neighbor', 'xr', 'sh ospf nei', true],
  ['show configuration commit *', 'xr', 'sh conf com list', true],
  ['show *', 'xr', 'show run | i hostname', true],
  ['show *', 'xr', 'show run | ex ! | be router', true],
  ['show *', 'xr', 'show run | file harddisk:/x', false, 'writes a file'],
  ['show *', 'xr', 'show run | utility egrep x', false, 'runs Unix utilities'],
  ['show *', 'xr', 'show run | u tail', false, 'runs Unix utilities'],
  ['show *', 'xr', 'show run | section router', false, 'not a pipe the bot knows'],
  ['show *', 'xr', 'show run | redirect harddisk:/x', false, 'not a pipe the bot knows'],
  ['show *', 'xr', 'show run | tee harddisk:/x', false, 'not a pipe the bot knows'],
  ['*', 'xr', 'run', false, '`run` is refused on Cisco IOS-XR: it runs commands in the Linux shell'],
  ['*', 'xr', 'ru cat /etc/passwd', false, '`run` is refused'],
  ['*', 'xr', 'RUN ls', false, '`run` is refused'],
  ['*', 'xr', '"run" ls', false, '`run` is refused'],
  ['*', 'xr', "'ru' ls", false, '`run` is refused'],
  ['*', 'xr', 'bash', false, '`bash` is refused'],
  ['*', 'xr', 'ba -c id', false, '`bash` is refused'],
  ['*', 'xr', 'admin', false, '`admin` is refused on Cisco IOS-XR: it runs commands in the admin plane'],
  ['*', 'xr', 'admin show platform', false, '`admin` is refused'],
  ['*', 'xr', 'configure exclusive', false, '`configure` is refused'],
  ['*', 'xr', 'exit', false, "end the bot's session"],
  ['*', 'xr', 'rollback configuration last 1', true],
  ['show *', 'xr', 'rollback configuration last 1', false, 'does not match'],
  ['show *', 'xr', 'r', false, '`r` is ambiguous (reload, rollback, run)'],
  // SR Linux: no abbreviations, Unix filters limited to harmless flags and no file names.
  ['show *', 'srlinux', 'show version | as json', true],
  ['show *', 'srlinux', 'show version | as yaml', false, 'needs one of'],
  ['show *', 'srlinux', 'show interface | grep -i up', true],
  ['show *', 'srlinux', 'show interface | grep -f /etc/shadow', false, 'does not allow `-f`'],
  ['show *', 'srlinux', 'show interface | grep -r x', false, 'does not allow `-r`'],
  ['show *', 'srlinux', 'show interface | grep x /etc/shadow', false, 'no file names'],
  ['show *', 'srlinux', 'show interface | head -n 5', true],
  ['show *', 'srlinux', 'show interface | tail -20', true],
  ['show *', 'srlinux', 'show interface | tail -f', false, 'only a line count'],
  ['show *', 'srlinux', 'show interface | head /etc/passwd', false, 'only a line count'],
  ['show *', 'srlinux', 'show interface | wc -l', true],
  ['show *', 'srlinux', 'show interface | more', false, 'pager'],
  ['show *', 'srlinux', 'sh version', false, 'does not match'],
  ['show *', 'sros', 'show router interface | match up', true],
  // Linux: a shell; no pipes, case matters.
  ['ip *', 'linux', 'ip route', true],
  ['ip *', 'linux', 'ip route | grep x', false, 'pipes are not allowed on Linux nodes'],
  ['ip *', 'linux', 'ip $(reboot)', false, '`$(`'],
  ['ip *', 'linux', 'ip route; reboot', false, '`;`'],
  ['ip *', 'linux', 'ip ${IFS}route', false, '`$`'],
  ['cat /etc/hosts', 'linux', 'cat /etc/hosts', true],
  ['cat /etc/hosts', 'linux', 'cat /ETC/HOSTS', false, 'does not match'],
  ['cat /etc/hosts', 'linux', 'cat /etc/hosts /etc/shadow', false, 'does not match'],
  ['show *', 'unknown', 'show version | match x', false, 'only allowed on kinds whose CLI the bot knows'],
];

describe('commandAllowed / matchCommand', () => {
  it.each(rows)('%j on %s: %j → %s', (pattern, dialect, command, allowed, why) => {
    const normalised = normaliseCommand(command, dialect);
    expect(commandAllowed(pattern, normalised)).toBe(allowed);
    const match = matchCommand(compilePattern(pattern), normalised);
    expect(match.ok).toBe(allowed);
    if (!match.ok && why !== undefined) expect(match.reason).toContain(why);
  });

  it('names the safe pipes of the CLI when refusing one', () => {
    const match = matchCommand('show *', normaliseCommand('show version | save /tmp/x', 'junos'));
    expect(match).toMatchObject({ ok: false, why: 'unsafe-pipe' });
    if (!match.ok) {
      for (const name of safePipeNames('junos')) expect(match.reason).toContain(name);
      expect(match.reason).toContain('`| save /tmp/x`');
    }
  });

  it('lists every unsafe Junos pipe with a reason, and none of them among the safe names', () => {
    const unsafe = Object.entries(PIPE_RULES.junos.stages).filter(([, spec]) => !spec.safe).map(([name]) => name);
    expect(unsafe.sort()).toEqual(['append', 'hold', 'refresh', 'request', 'save', 'tee']);
    for (const name of unsafe) {
      expect(commandAllowed('*', normaliseCommand(`show version | ${name} x`, 'junos'))).toBe(false);
      expect(safePipeNames('junos')).not.toContain(name);
    }
  });
});

describe('patternProblem: what the policy schema rejects', () => {
  const problems: [string, string | undefined][] = [
    ['show *', undefined],
    ['*', undefined],
    ['show interfaces * terse', undefined],
    ['', 'cannot be empty'],
    ['   ', 'cannot be empty'],
    ['show*', 'must be a word of its own'],
    ['show ver*', 'must be a word of its own'],
    ['show version | match x', 'pipes are not part of exec patterns'],
    ['show; reboot', 'cannot contain'],
    ['show $(x)', 'cannot contain'],
    ['show\nversion', 'plain ASCII'],
    ['\u0455how *', 'plain ASCII'],
  ];
  it.each(problems)('%j → %s', (pattern, problem) => {
    const found = patternProblem(pattern);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
