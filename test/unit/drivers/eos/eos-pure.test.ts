/** The EOS driver's pure parts: eAPI errors, commit timers, configuration lines, exec pipes, set-form statements. */
import { describe, expect, it } from 'vitest';
import { commitTimer, configLines, eapiError, eosStatements, filterOutput, prepareExec } from '../../../../src/drivers/eos/index.js';
import { LockedError, RejectedError, UnsupportedError } from '../../../../src/drivers/errors.js';

const ctx = { node: 'leaf1', operation: 'plan' };

describe('eapiError', () => {
  it("1002: RejectedError with the failing command's errors, optionally naming the command", () => {
    const error = { code: 1002, message: "CLI command 3 of 4 'frobnicate now' failed: invalid command", data: [{}, {}, { errors: ["Invalid input (at token 0: 'frobnicate')"] }] };
    const plain = eapiError(error, ctx);
    expect(plain).toBeInstanceOf(RejectedError);
    expect(plain.deviceErrors).toEqual(["Invalid input (at token 0: 'frobnicate')"]);
    expect(eapiError(error, ctx, { showCommand: true }).deviceErrors).toEqual(["'frobnicate now': Invalid input (at token 0: 'frobnicate')"]);
  });

  it('1000 with an empty errors list keeps the message; envelope errors name the code; locks are LockedError', () => {
    expect(eapiError({ code: 1000, message: "CLI command 2 of 2 'x' failed: could not run command", data: [{}, { errors: [''] }] }, ctx).deviceErrors).toEqual([
      "CLI command 2 of 2 'x' failed: could not run command",
    ]);
    expect(eapiError({ code: -32600, message: "Expected field 'jsonrpc' not specified" }, ctx).deviceErrors).toEqual(["eAPI error -32600: Expected field 'jsonrpc' not specified"]);
    expect(eapiError({ code: 1000, message: 'x', data: [{ errors: ['Configuration is locked by another session (user bob)'] }] }, ctx)).toBeInstanceOf(LockedError);
  });
});

describe('commitTimer', () => {
  it('converts seconds to HH:MM:SS, rounding up and at least one second', () => {
    expect(commitTimer(300)).toBe('00:05:00');
    expect(commitTimer(3661)).toBe('01:01:01');
    expect(commitTimer(0.2)).toBe('00:00:01');
    expect(commitTimer(86_400)).toBe('24:00:00');
  });
});

describe('configLines', () => {
  it('drops comments, blank lines and a final end; keeps indentation', () => {
    expect(configLines('! Command: show running-config\n!\nhostname x\ninterface Ethernet1\n   description y\n!\nend\n', ctx)).toEqual(['hostname x', 'interface Ethernet1', '   description y']);
  });

  it('refuses lines that leave the session or run commands, and control characters', () => {
    for (const word of ['end', 'exit', 'commit', 'abort', 'configure', 'copy', 'write', 'bash', 'run', 'show', 'reload', 'COMMIT']) {
      expect(() => configLines(`hostname x\n${word} something\nntp server 1.1.1.1`, ctx), word).toThrow(UnsupportedError);
    }
    expect(() => configLines('hostname a\u001bb', ctx)).toThrow(/line 1 holds a control character \(U\+001B\)/);
  });
});

describe('prepareExec / filterOutput', () => {
  it('splits pipes at " |", keeps a | inside a regex, turns | json into the JSON format', () => {
    expect(prepareExec('show interfaces status | include Et1|Et2', undefined, ctx)).toMatchObject({ command: 'show interfaces status', format: 'text', filters: [{ kind: 'include', text: 'Et1|Et2' }] });
    expect(prepareExec('show version | json', undefined, ctx)).toEqual({ command: 'show version', format: 'json', filters: [] });
    expect(() => prepareExec('show version | redirect flash:x', undefined, ctx)).toThrow(UnsupportedError);
    expect(() => prepareExec('show version', 'xml', ctx)).toThrow(UnsupportedError);
    expect(() => prepareExec('show version | json | include x', undefined, ctx)).toThrow(/text filter on JSON output/);
  });

  it('filters like the EOS CLI: include, exclude, begin, section, nz', () => {
    const text = 'interface Ethernet1\n   description a\ninterface Ethernet2\n   shutdown\nrouter ospf 1\n   router-id 1.1.1.1\n';
    const run = (pipe: string) => filterOutput(text, prepareExec(`show running-config ${pipe}`, undefined, ctx).filters);
    expect(run('| include ^interface')).toBe('interface Ethernet1\ninterface Ethernet2\n');
    expect(run('| exclude description|shutdown|router-id')).toBe('interface Ethernet1\ninterface Ethernet2\nrouter ospf 1\n');
    expect(run('| begin router')).toBe('router ospf 1\n   router-id 1.1.1.1\n');
    expect(run('| section shutdown')).toBe('interface Ethernet2\n   shutdown\n');
    expect(run('| include nothing-matches')).toBe('');
    expect(filterOutput('Et1   0   0\nEt2   5   0\n', [{ kind: 'nz' }])).toBe('Et2   5   0\n');
  });
});

describe('eosStatements', () => {
  const running = 'hostname a\n!\ninterface Ethernet1\n   description old\n   no switchport\n!\nrouter bgp 65000\n   neighbor 10.0.0.1 remote-as 65001\n!\nend\n';
  it('a changed value is delete + set; a new section sets each line; a removed section is one delete', () => {
    const session = 'hostname a\n!\ninterface Ethernet1\n   description new\n   no switchport\n!\nvlan 10\n   name users\n!\nend\n';
    expect(eosStatements(running, session)).toEqual([
      'delete router bgp 65000',
      'delete interface Ethernet1 description old',
      'set interface Ethernet1 description new',
      'set vlan 10 name users',
    ]);
  });

  it('nothing for equal configurations, whatever the comments', () => {
    expect(eosStatements(running, `! Command: show session-config\n${running}`)).toEqual([]);
  });
});
