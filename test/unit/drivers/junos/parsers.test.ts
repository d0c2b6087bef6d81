import { describe, expect, it } from 'vitest';
import { parseRpcReply } from '../../../../src/drivers/netconf/reply.js';
import {
  activeCommitIdentity,
  bareTextErrors,
  configurationText,
  chassisSerial,
  checkResult,
  commandOutput,
  commitRevision,
  diffHash,
  diffText,
  normaliseDiff,
  softwareFacts,
  uptimeSeconds,
} from '../../../../src/drivers/junos/parsers.js';
import { junosFixture } from '../support/fixtures.js';

const parse = (name: string) => parseRpcReply(junosFixture(name));

describe('command output', () => {
  it('takes text from <output>, without the surrounding blank lines', () => {
    const out = commandOutput(parse('show-system-alarms.xml'), 'text');
    expect(out.format).toBe('text');
    expect(out.output.split('\n')[0]).toBe('2 alarms currently active');
    expect(out.output.endsWith('needed <now>')).toBe(true);
  });

  it('joins several <output> elements', () => {
    const out = commandOutput(parse('show-core-dumps.xml'), 'text');
    expect(out.output.split('\n').filter((l) => l.includes('No such file'))).toHaveLength(2);
  });

  it('takes show configuration text from configuration-output', () => {
    const out = commandOutput(parse('show-configuration-text.xml'), 'text');
    expect(out.output.startsWith('## Last commit: 2024-05-02 09:14:07 UTC by lab\nversion 22.4R1.10;')).toBe(true);
    expect(out.output).toContain('    host-name router1;');
  });

  it('gives empty output for an empty reply or an empty <output>', () => {
    expect(commandOutput(parse('command-empty.xml'), 'text')).toEqual({ output: '', format: 'text' });
    expect(commandOutput(parse('command-empty-output.xml'), 'text')).toEqual({ output: '', format: 'text' });
  });

  it('returns JSON output as the device sent it, parseable', () => {
    const out = commandOutput(parse('command-json.xml'), 'json');
    expect(out.format).toBe('json');
    const data = JSON.parse(out.output) as { 'route-information': Array<{ 'route-table': unknown[] }> };
    expect(data['route-information'][0]?.['route-table']).toHaveLength(1);
  });

  it('returns XML output as the device XML, namespaces and attributes intact', () => {
    const out = commandOutput(parse('command-xml.xml'), 'xml');
    expect(out.format).toBe('xml');
    expect(out.output).toMatch(/^<route-engine-information xmlns="http:\/\/xml.juniper.net\/junos\/22.4R1\/junos-chassis">/);
    expect(out.output).toContain('<up-time junos:seconds="86400">1 day</up-time>');
    const config = commandOutput(parse('configuration-xml.xml'), 'xml');
    expect(config.output).toContain('junos:commit-user="lab"');
  });

  it('answers in text when a command has no XML/JSON rendering', () => {
    expect(commandOutput(parse('show-system-alarms.xml'), 'json').format).toBe('text');
  });

  it('finds the error lines of a plain-text failure, and none in normal output', () => {
    expect(bareTextErrors(parse('command-error-text.xml'))).toEqual(['device xe-9/9/9 not found']);
    expect(bareTextErrors(parse('show-system-alarms.xml'))).toEqual([]);
    expect(bareTextErrors(parse('command-json.xml'))).toEqual([]);
  });
});

describe('diff', () => {
  it('reads the [edit] diff text', () => {
    const diff = diffText(parse('diff.xml'));
    expect(diff.split('\n')).toEqual([
      '[edit system]',
      '-  host-name router1;',
      '+  host-name router1-new;',
      '[edit interfaces ge-0/0/1 unit 0 family inet]',
      '+       address 10.0.1.1/31;',
    ]);
  });

  it('is empty when the device sends "\\n" or no element at all', () => {
    expect(diffText(parse('diff-empty.xml'))).toBe('');
    expect(diffText(parse('diff-absent.xml'))).toBe('');
  });

  it('hashes the normalised diff: line endings, trailing spaces and blank lines do not count', () => {
    const diff = diffText(parse('diff.xml'));
    const noisy = `\r\n${diff.replace(/\n/g, '  \r\n\r\n')}\n\n`;
    expect(normaliseDiff(noisy)).toBe(normaliseDiff(diff));
    expect(diffHash(noisy)).toBe(diffHash(diff));
    expect(diffHash(diff)).toMatch(/^[0-9a-f]{64}$/);
    expect(diffHash(diff.replace('router1-new', 'router1-other'))).not.toBe(diffHash(diff));
    expect(diffHash(diff.replace('+       address', '+ address'))).not.toBe(diffHash(diff));
  });
});

describe('configuration text', () => {
  it('reads <configuration-text>, and the CLI-shaped configuration-output too', () => {
    expect(configurationText(parse('get-configuration-text.xml'))?.split('\n').slice(0, 3)).toEqual([
      '## Last commit: 2024-05-02 09:14:07 UTC by lab',
      'version 23.2R1.14;',
      'system {',
    ]);
    expect(configurationText(parse('show-configuration-text.xml'))).toContain('host-name router1;');
    expect(configurationText(parse('rfc-compliant-ok.xml'))).toBeUndefined();
  });
});

describe('commit replies', () => {
  it('check results: errors as data, warnings kept', () => {
    expect(checkResult(parse('commit-check-success.xml'))).toEqual({ ok: true, errors: [], warnings: [] });
    const failed = checkResult(parse('commit-xnm-errors.xml'), ['statement not found']);
    expect(failed.ok).toBe(false);
    expect(failed.errors).toHaveLength(2);
    expect(failed.errors[0]).toContain('Referenced interface ge-0/0/9.0 does not exist');
    expect(failed.warnings).toEqual(['statement not found']);
  });

  it('reads a commit-revision when the device sends one', () => {
    expect(commitRevision(parse('commit-success.xml'))).toBe('re0-1714641247-17');
    expect(commitRevision(parse('commit-confirmed.xml'))).toBeUndefined();
  });

  it('identifies the active configuration by its newest commit', () => {
    expect(activeCommitIdentity(parse('commit-information.xml'))).toBe('1714641247 lab netconf');
    expect(activeCommitIdentity(parse('command-empty.xml'))).toBeUndefined();
  });
});

describe('facts', () => {
  it('reads a single-RE device, taking the version from the package comment when there is no junos-version', () => {
    expect(softwareFacts(parse('software-information.xml'))).toEqual({ hostname: 'edge-fw', model: 'vsrx', version: '12.3X48-D105.4' });
    expect(softwareFacts(parse('software-information-no-version.xml'))).toEqual({
      hostname: 'old-branch',
      model: 'srx210h',
      version: '11.4R7.5',
    });
  });

  it('reads the first routing engine of a dual-RE reply', () => {
    expect(softwareFacts(parse('software-information-dual-re.xml'))).toEqual({ hostname: 'core1', model: 'mx480', version: '17.3R3-S4.2' });
  });

  it('reads the data of a reply that also says the other RE is unreachable', () => {
    const reply = parse('software-information-other-re-off.xml');
    expect(reply.errors.map((e) => e.message)).toEqual(['Could not connect to re0 : No route to host']);
    expect(softwareFacts(reply)).toEqual({ hostname: 'agg2_re1', model: 'mx960', version: '18.4R2.7' });
  });

  it('reads the chassis serial, also inside multi-routing-engine results', () => {
    expect(chassisSerial(parse('chassis-inventory.xml'))).toBe('VM6A1B2C3D4E');
    expect(chassisSerial(parse('chassis-inventory-multi-re.xml'))).toBe('PE3717140071');
    expect(chassisSerial(parse('permission-denied.xml'))).toBe('');
  });

  it('reads uptime in seconds from plain and junos:-prefixed attributes', () => {
    expect(uptimeSeconds(parse('uptime-information.xml'))).toBe(86_400);
    expect(uptimeSeconds(parse('uptime-information-multi-re.xml'))).toBe(3_600);
    expect(uptimeSeconds(parse('command-empty.xml'))).toBeUndefined();
  });
});
