import { describe, expect, it } from 'vitest';
import { redactObject, redactText } from '../../../src/redact/index.js';

/** SR Linux secret-bearing leaves are hidden in `info flat`, `info` and JSON-RPC JSON alike. */
describe('SR Linux secrets', () => {
  const secrets = ['$y$j9T$abcdefghSECRET', 'TopSecret99', 'OspfKey123', 'MIIEvQIBADANBgkq', 'publicCommunity7'];

  it('info flat lines', () => {
    const flat = [
      `set / system aaa authentication user bob password ${secrets[0]}`,
      `set / system aaa server-group radius server 10.0.0.9 radius secret-key ${secrets[1]}`,
      `set / system authentication keychain k1 key 1 authentication-key ${secrets[2]}`,
      `set / system tls server-profile clab-profile key "-----BEGIN PRIVATE KEY-----\n${secrets[3]}\n-----END PRIVATE KEY-----"`,
      `set / system snmp access-group g1 community-entry c1 community ${secrets[4]}`,
      'set / interface ethernet-1/1 description "to spine"',
    ].join('\n');
    const out = redactText(flat);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain('description "to spine"');
  });

  it('hierarchical info text', () => {
    const info = `system {\n    aaa {\n        authentication {\n            admin-user {\n                password ${secrets[0]}\n            }\n        }\n    }\n}`;
    expect(redactText(info)).not.toContain(secrets[0]);
  });

  it('JSON from the JSON-RPC get', () => {
    const obj = { system: { aaa: { 'server-group': [{ name: 'r', server: [{ address: '10.0.0.9', radius: { 'secret-key': secrets[1] } }] }] } } };
    expect(JSON.stringify(redactObject(obj))).not.toContain(secrets[1]);
  });
});
