import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/redact/index.js';

/**
 * FRR (vtysh `show running-config`, frr.conf) writes its secrets in IOS's words; the IOS table
 * covers them, and this proves it for every field FRR's daemons print, clear text included
 * (FRR stores most of them unencrypted).
 */
describe('FRR secrets', () => {
  const secrets = ['zebraPass1', 'enablePass2', 'ospfKey3', 'md5Key4', 'isisPass5', 'bgpPass6', 'keyString7', 'areaPass8'];
  const running = [
    'frr version 8.4',
    'hostname r1',
    `password ${secrets[0]}`,
    `enable password ${secrets[1]}`,
    '!',
    'interface eth1',
    ` ip ospf authentication-key ${secrets[2]}`,
    ` ip ospf message-digest-key 1 md5 ${secrets[3]}`,
    ` isis password clear ${secrets[4]}`,
    '!',
    'router bgp 65001',
    ` neighbor 10.0.0.2 password ${secrets[5]}`,
    '!',
    'key chain kc1',
    ' key 1',
    `  key-string ${secrets[6]}`,
    '!',
    'router isis 1',
    ` area-password clear ${secrets[7]}`,
    '!',
  ].join('\n');

  it('a running configuration keeps its shape and loses every secret', () => {
    const out = redactText(running);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain('hostname r1');
    expect(out).toContain(' neighbor 10.0.0.2 password <redacted>');
    expect(out).toContain('  key-string <redacted>');
  });

  it('a diff of FRR lines (frr-reload style, + and -) loses them too', () => {
    const diff = [`+ ip ospf authentication-key ${secrets[2]}`, `- neighbor 10.0.0.2 password ${secrets[5]}`].join('\n');
    const out = redactText(diff);
    expect(out).not.toContain(secrets[2]);
    expect(out).not.toContain(secrets[5]);
  });
});
