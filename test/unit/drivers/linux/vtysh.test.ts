import { describe, expect, it } from 'vitest';
import { applyFilters, isVtyshCommand, parseVtyshCommand, stripRunningBanner, vtyshErrors } from '../../../../src/drivers/linux/vtysh.js';

describe('vtysh commands', () => {
  it('show/clear (and their abbreviations) go to vtysh; programs do not', () => {
    expect(isVtyshCommand('show ip ospf neighbor')).toBe(true);
    expect(isVtyshCommand('sh ip ospf nei')).toBe(true);
    expect(isVtyshCommand('clear ip ospf process')).toBe(true);
    expect(isVtyshCommand('ip route')).toBe(false);
    expect(isVtyshCommand('ping -c 3 10.0.0.1')).toBe(false);
    expect(isVtyshCommand('s')).toBe(false);
  });

  it('--format json appends FRR\'s json keyword once', () => {
    expect(parseVtyshCommand('show ip ospf neighbor', 'json').command).toBe('show ip ospf neighbor json');
    expect(parseVtyshCommand('show ip ospf neighbor json', 'json').command).toBe('show ip ospf neighbor json');
    expect(parseVtyshCommand('show ip ospf neighbor', 'text').command).toBe('show ip ospf neighbor');
  });

  it('pipes never reach vtysh (it knows only its own | include): include/exclude/begin are applied by the bot', () => {
    const cmd = parseVtyshCommand('show running-config | include ospf | exclude dead', 'text');
    expect(cmd.command).toBe('show running-config');
    expect(applyFilters('interface eth1\n ip ospf cost 5\n ip ospf dead-interval 4\nrouter ospf', cmd.filters)).toBe(' ip ospf cost 5\nrouter ospf');
    const begin = parseVtyshCommand('show running-config | begin "router ospf"', 'text');
    expect(applyFilters('a\nrouter ospf\n x', begin.filters)).toBe('router ospf\n x');
  });

  it('refuses other pipes, pipes with json, and a quoted "|" stays part of the pattern', () => {
    expect(() => parseVtyshCommand('show run | sh -c id', 'text')).toThrow(/"\| sh" is not a pipe/);
    expect(() => parseVtyshCommand('show run | include x', 'json')).toThrow(/text output/);
    expect(parseVtyshCommand('show run | include "a|b"', 'text').filters[0]?.pattern.source).toBe('a|b');
  });

  it('strips the running-config banner and picks vtysh error lines', () => {
    expect(stripRunningBanner('Building configuration...\n\nCurrent configuration:\n!\nhostname r1\n')).toBe('!\nhostname r1\n');
    expect(vtyshErrors('% Unknown command: show foo\n', 'vtysh_pam: noise\n')).toEqual(['% Unknown command: show foo']);
    expect(vtyshErrors('', 'line 2: % Unknown command[41]: bogus\n')).toEqual(['line 2: % Unknown command[41]: bogus']);
  });
});
