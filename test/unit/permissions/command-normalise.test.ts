import { describe, expect, it } from 'vitest';
import type { CliDialect } from '../../../src/permissions/cli-dialect.js';
import { dialectOf } from '../../../src/permissions/cli-dialect.js';
import { normaliseCommand } from '../../../src/permissions/command-normalise.js';

describe('normaliseCommand: the form that is checked and sent', () => {
  const accepted: [CliDialect, string, string][] = [
    ['junos', 'show version', 'show version'],
    ['junos', 'sh ver', 'show version'],
    ['junos', 'SHOW   VERSION', 'show version'],
    ['junos', '  show\tversion  ', 'show version'],
    ['junos', 'sh int terse', 'show interfaces terse'],
    ['junos', 'sh conf', 'show configuration'],
    ['junos', 'sh ospf nei', 'show ospf neighbor'],
    ['junos', 'sh ospf3 nei', 'show ospf3 neighbor'],
    ['junos', 'req sys reboot', 'request system reboot'],
    ['junos', 'sh int ge-0/0/0 ter', 'show interfaces ge-0/0/0 terse'],
    ['junos', 'show interfaces GE-0/0/0', 'show interfaces GE-0/0/0'],
    ['junos', 'sh ver|m foo', 'show version | match foo'],
    ['junos', 'sh conf | dis set', 'show configuration | display set'],
    ['junos', 'show | display xml', 'show | display xml'],
    ['junos', 'show log messages | match "a b|c"', 'show log messages | match "a b|c"'],
    ['junos', 'show log messages | match "x  y"', 'show log messages | match "x  y"'],
    ['junos', 'show log messages | match "it\'s"', 'show log messages | match "it\'s"'],
    ['srlinux', "show interface | grep 'x  y'", "show interface | grep 'x  y'"],
    ['linux', "cat '/tmp/a b'", "cat '/tmp/a b'"],
    ['junos', 'show route | except inet6 | count', 'show route | except inet6 | count'],
    ['junos', 'show route | m Foo', 'show route | match Foo'],
    ['junos', 'ping 10.0.0.1 rapid count 5', 'ping 10.0.0.1 rapid count 5'],
    ['junos', 'show interfaces descriptions | match "core > edge"', 'show interfaces descriptions | match "core > edge"'],
    ['eos', 'sh ip int br', 'show ip interface brief'],
    ['eos', 'SH VER | INC Arista', 'show version | include Arista'],
    ['ios', 'sh ip ro', 'show ip route'],
    ['ios', 'sh run | i hostname', 'show running-config | include hostname'],
    ['ios', 'sh ip int br', 'show ip interface brief'],
    ['ios', 'sh ip int br | e unassigned', 'show ip interface brief | exclude unassigned'],
    ['ios', 'sh run | sec ospf', 'show running-config | section ospf'],
    ['ios', 'sh run | b line vty', 'show running-config | begin line vty'],
    ['ios', 'sh ip ospf nei', 'show ip ospf neighbor'],
    ['ios', 'sh arch', 'show archive'],
    ['ios', 'sh int Gi0/0 | i "line protocol"', 'show interfaces Gi0/0 | include "line protocol"'],
    ['xr', 'sh ipv4 int br', 'show ipv4 interface brief'],
    ['xr', 'sh ip int br', 'show ip interface brief'],
    ['xr', 'sh ospf nei', 'show ospf neighbor'],
    ['xr', 'sh conf com li', 'show configuration commit list'],
    ['xr', 'sh conf com ch last 1', 'show configuration commit changes last 1'],
    ['xr', 'sh route ipv4', 'show route ipv4'],
    ['xr', 'SH RUN | I hostname', 'show running-config | include hostname'],
    ['xr', 'sh run router ospf | be area', 'show running-config router ospf | begin area'],
    ['srlinux', 'SHOW version', 'show version'],
    ['srlinux', 'sh ver', 'sh ver'],
    ['srlinux', 'show version | as json', 'show version | as json'],
    ['sros', 'show router interface | match up', 'show router interface | match up'],
    ['linux', 'ip route', 'ip route'],
    ['linux', 'LS -la', 'LS -la'],
    ['linux', 'cat "/tmp/a b"', 'cat "/tmp/a b"'],
  ];
  it.each(accepted)('%s: %j → %j', (dialect, input, text) => {
    const result = normaliseCommand(input, dialect);
    expect(result).toMatchObject({ ok: true, text });
  });

  it('splits words and pipes, quotes removed from the values', () => {
    const result = normaliseCommand('sh int ge-0/0/0 | m "up  down" | count', 'junos');
    expect(result).toEqual({
      ok: true,
      dialect: 'junos',
      words: ['show', 'interfaces', 'ge-0/0/0'],
      pipes: [['match', 'up  down'], ['count']],
      text: 'show interfaces ge-0/0/0 | match "up  down" | count',
    });
  });

  const refused: [CliDialect, string, string][] = [
    ['junos', 'show version\nrequest system reboot', 'line break'],
    ['junos', 'show version\r\nrequest system reboot', 'line break'],
    ['junos', 'show version\rrequest system reboot', 'line break'],
    ['junos', 'show version\n', 'line break'],
    ['junos', '\u00a0show version', 'non-breaking space'],
    ['junos', 'show version\u2028request system reboot', 'U+2028'],
    ['junos', 'show version; request system reboot', '`;`'],
    ['junos', 'show log | match "a;b"', '`;`'],
    ['junos', 'show version && request system reboot', '`&&`'],
    ['junos', 'show version $(reboot)', '`$(`'],
    ['junos', 'show version `reboot`', 'backtick'],
    ['junos', 'show version\0', 'NUL'],
    ['junos', 'show version \\', 'ends with a backslash'],
    ['junos', 'show version\\', 'ends with a backslash'],
    ['junos', 'show ver\\sion', 'backslash outside quotes'],
    ['junos', '\u0455how version', 'non-ASCII character "\u0455" (U+0455)'],
    ['junos', 'show version \uff5c save /tmp/x', 'U+FF5C'],
    ['junos', 'show\u00a0version', 'non-breaking space'],
    ['junos', 'show log | match \u201cerror\u201d', 'curly quote'],
    ['junos', 'show\u200bversion', 'U+200B'],
    ['junos', 'show version\u0007', 'control character U+0007'],
    ['junos', 'show version\u007f', 'control character U+007F'],
    ['junos', 'show version > /tmp/x', 'redirection'],
    ['junos', 'show version < /tmp/x', 'redirection'],
    ['junos', 'show version &', 'background'],
    ['junos', 'show version |', 'empty pipe stage'],
    ['junos', 'show version || true', 'empty pipe stage'],
    ['junos', '| save /tmp/x', 'empty pipe stage'],
    ['junos', '', 'empty'],
    ['junos', '   ', 'empty'],
    ['junos', 'show log | match "abc', 'unclosed double quote'],
    ['srlinux', "show log | grep 'abc", 'unclosed single quote'],
    // Junos groups words only with double quotes: a single quote is refused, never guessed at.
    ['junos', "show log | match 'abc'", 'Junos quotes only with double quotes'],
    ['junos', "show version | match 'x | save /var/tmp/pwned'", 'Junos quotes only with double quotes'],
    ['junos', "show 'version'", 'Junos quotes only with double quotes'],
    // Where a CLI's reading of quotes is not confirmed, a pipe inside quotes is refused.
    ['eos', 'show version | include "x | redirect flash:x"', 'not confirmed'],
    ['ios', "show run | include 'a|b'", 'not confirmed'],
    ['xr', 'show run | include "a | file harddisk:/x"', 'not confirmed'],
    ['ios', 'sh i', '`i` after `show` is ambiguous (interfaces, inventory, ip, ipv6, isis)'],
    ['ios', 'sh ip a', '`a` after `show ip` is ambiguous (access-lists, arp)'],
    ['xr', 'sh i', '`i` after `show` is ambiguous (install, interfaces, inventory, ip, ipv4, ipv6, isis)'],
    ['xr', 'c', '`c` is ambiguous (clear, configure, copy)'],
    ['xr', 'sh run > harddisk:/x', 'redirection'],
    ['xr', 'run', '`run` is refused on Cisco IOS-XR'],
    ['xr', 'bash ls', '`bash` is refused on Cisco IOS-XR'],
    ['xr', 'adm show platform', '`admin` is refused on Cisco IOS-XR'],
    ['ios', 'tcl', '`tclsh` is refused on Cisco IOS/IOS-XE/NX-OS'],
    ['ios', 'ru bash', '`run` is refused on Cisco IOS/IOS-XE/NX-OS'],
    ['ios', 'conf t', '`configure` is refused on Cisco IOS/IOS-XE/NX-OS: it enters configuration mode'],
    ['srlinux', 'show version | grep "x | bash"', 'not confirmed'],
    ['sros', 'show router | match "a|b"', 'not confirmed'],
    ['linux', "echo 'a|b'", 'not confirmed'],
    ['junos', 'show log | match "a\\"b"', 'backslash before a quote'],
    ['junos', 'show log | match "a\\\\"', 'backslash before a quote or another backslash'],
    ['junos', 'show log | match a"b"', 'middle of a word'],
    ['junos', 'show log | match "a"b', 'closing quote must end the word'],
    ['junos', 'sh i', '`i` after `show` is ambiguous (igmp, interfaces, ipv6, isis)'],
    ['junos', 're sys reboot', '`re` is ambiguous (request, restart)'],
    ['eos', 'show running-config > flash:x', 'redirection'],
    ['linux', 'cat $HOME/.ssh/id_rsa', '`$`'],
    ['linux', "cat '$HOME'", '`$`'],
    ['linux', 'ip ${IFS}route', '`$`'],
    ['linux', '(reboot)', 'treats as syntax'],
    ['linux', 'ls {a,b}', 'treats as syntax'],
    ['unknown', 'show $x', '`$`'],
  ];
  it.each(refused)('%s: %j is refused (%s)', (dialect, input, reason) => {
    const result = normaliseCommand(input, dialect);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('is idempotent: normalising the text that is sent gives the same command', () => {
    // Random commands over an alphabet rich in separators and quotes; bounded and seeded.
    const alphabet = ['sh', 'show', 'ver', 'int', 'terse', ' ', ' ', '|', 'm', 'match', 'dis', 'x', '"', "'", 'a b', '-', 'GE-0/0/0', '\t', 'ospf', 'nei'];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 1 + random(8) }, () => alphabet[random(alphabet.length)] ?? '');
      const input = parts.join('');
      for (const dialect of ['junos', 'eos', 'ios', 'xr', 'srlinux', 'linux'] as const) {
        const first = normaliseCommand(input, dialect);
        if (!first.ok) continue;
        accepted++;
        const second = normaliseCommand(first.text, dialect);
        expect(second, `${dialect}: ${JSON.stringify(input)}`).toEqual(first);
      }
    }
    expect(accepted).toBeGreaterThan(600);
  });
});

describe('dialectOf: which CLI a node speaks', () => {
  const rows: [string, string | undefined, CliDialect][] = [
    ['juniper_vjunosrouter', undefined, 'junos'],
    ['juniper_crpd', undefined, 'junos'],
    ['arista_ceos', undefined, 'eos'],
    ['cisco_xrd', undefined, 'xr'],
    ['cisco_xrv9k', undefined, 'xr'],
    ['cisco_c8000', undefined, 'xr'],
    ['cisco_vios', undefined, 'ios'],
    ['cisco_csr1000v', undefined, 'ios'],
    ['cisco_c8000v', undefined, 'ios'],
    ['cisco_cat9kv', undefined, 'ios'],
    ['cisco_future', undefined, 'ios'],
    ['nokia_srlinux', undefined, 'srlinux'],
    ['nokia_sros', undefined, 'sros'],
    ['linux', undefined, 'linux'],
    ['srl', undefined, 'srlinux'],
    ['cisco_iol', undefined, 'ios'],
    ['cisco_asav', undefined, 'unknown'],
    ['nvidia_cumulusvx', undefined, 'unknown'],
    ['bridge', undefined, 'linux'],
    ['juniper_future', undefined, 'junos'],
    ['some_future_kind', 'juniper', 'junos'],
    ['mystery', undefined, 'unknown'],
    ['constructor', undefined, 'unknown'],
  ];
  it.each(rows)('%s (vendor %s) → %s', (kind, vendor, dialect) => {
    expect(dialectOf({ kind, vendor })).toBe(dialect);
  });
});
