/** The pure parts of the SSH CLI driver: terminal text, configuration input, the IOS plan and its statements. */
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/drivers/errors.js';
import { cleanTerminalText } from '../../../src/drivers/ssh-cli/channel.js';
import { failureLines } from '../../../src/drivers/ssh-cli/cli-driver.js';
import { configLines } from '../../../src/drivers/ssh-cli/config-input.js';
import { diffIsEmpty, diffStatements } from '../../../src/drivers/ssh-cli/diff-statements.js';
import { iosDiff, mergeLines, parseIosConfig } from '../../../src/drivers/ssh-cli/ios-config.js';
import { IOS, IOSXR, platformFor } from '../../../src/drivers/ssh-cli/platform.js';

const ctx = { node: 'r1', operation: 'plan' };

describe('terminal text', () => {
  it('drops ANSI sequences and CRs and applies backspaces (a pager erased the IOS way)', () => {
    const more = ' --More-- ';
    const erase = `${'\b'.repeat(more.length)}${' '.repeat(more.length)}${'\b'.repeat(more.length)}`;
    expect(cleanTerminalText(`\u001b[1mshow\u001b[0m ver\r\r\nline 1\r\n${more}${erase}line 2\r\nr1#`)).toBe('show ver\nline 1\nline 2\nr1#');
  });

  it('knows each platform by its prompts and its failure lines', () => {
    expect(IOSXR.prompt.test('RP/0/RP0/CPU0:xrd1(config-ospf-ar)#')).toBe(true);
    expect(IOSXR.prompt.test('r1#')).toBe(false);
    expect(IOS.prompt.test('r1(config-if)#')).toBe(true);
    expect(IOS.prompt.test('r1>')).toBe(true);
    expect(IOS.prompt.test('interface Ethernet0/1 # not a prompt')).toBe(false);
    expect(failureLines(IOS, "        ^\n% Invalid input detected at '^' marker.\n")).toEqual(["% Invalid input detected at '^' marker."]);
    expect(failureLines(IOS, '%LINK-3-UPDOWN: Interface Ethernet0/3, changed state to up\n')).toEqual([]);
    expect(failureLines(IOSXR, '% No configuration changes to commit.\n')).toEqual([]);
    expect(platformFor('cisco_iosxe')).toBe(IOS);
    expect(platformFor('cisco_nxos')).toBeUndefined();
  });
});

describe('configuration input', () => {
  it('turns indentation into depth and marks the lines that open a section; comments and a final end go', () => {
    const lines = configLines('!\ninterface Gi1\n description a\n!\nrouter ospf 1\n area 0\n  interface Gi1\nhostname x\nend\n', ctx);
    expect(lines.map((l) => [l.text, l.depth, l.opens])).toEqual([
      ['interface Gi1', 0, true],
      ['description a', 1, false],
      ['router ospf 1', 0, true],
      ['area 0', 1, true],
      ['interface Gi1', 2, false],
      ['hostname x', 0, false],
    ]);
  });

  it('refuses lines that would leave configuration mode or run commands, tabs and control characters', () => {
    for (const bad of ['commit\n', 'interface Gi1\n exit\n', 'do show run\n', 'end\nhostname x\n', 'show run | redirect x\n', 'copy run start\n']) {
      expect(() => configLines(bad, ctx), bad).toThrow(UnsupportedError);
    }
    expect(() => configLines('interface Gi1\n\tdescription a\n', ctx)).toThrow(/tab/);
    expect(() => configLines('hostname a\u0007\n', ctx)).toThrow(/U\+0007/);
  });
});

describe('IOS plan', () => {
  const running = parseIosConfig('Building configuration...\n\nCurrent configuration : 99 bytes\n!\nhostname r1\n!\ninterface Ethernet0/1\n description old\n shutdown\n!\nntp server 10.0.0.1\nend\n');

  it('a setting replaces the one with its key, no removes, a section is reused; the diff names the section', () => {
    const after = mergeLines(running, configLines('interface Ethernet0/1\n description new\n no shutdown\nno ntp server 10.0.0.1\nntp server 10.0.0.2\n', ctx));
    expect(iosDiff(running, after)).toEqual(['-  ntp server 10.0.0.1', '   interface Ethernet0/1', '-   description old', '-   shutdown', '+   description new', '+  ntp server 10.0.0.2']);
  });

  it('merging what running already has changes nothing', () => {
    expect(iosDiff(running, mergeLines(running, configLines('hostname r1\ninterface Ethernet0/1\n description old\n', ctx)))).toEqual([]);
  });

  it('statements for config_deny: settings set under their sections, a removed section deleted by its own line', () => {
    const diff = ['   router ospf 1', '+   network 10.9.9.0 0.0.0.1 area 0', '-  interface Loopback9', '-   description gone', '+  interface Ethernet0/3', '+   description new', '   !', 'end'].join('\n');
    expect(diffStatements(diff)).toEqual(['set router ospf 1 network 10.9.9.0 0.0.0.1 area 0', 'delete interface Loopback9', 'set interface Ethernet0/3 description new']);
    expect(diffIsEmpty('!! IOS XR Configuration 24.1.1\nend\n')).toBe(true);
    expect(diffIsEmpty(diff)).toBe(false);
  });
});
