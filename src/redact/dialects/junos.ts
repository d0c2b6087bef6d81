import type { DialectSecrets } from './types.js';

/**
 * Junos statements whose values are secrets (the ones Junos itself marks `## SECRET-DATA`, and
 * the SNMP community, whose name is the password). Matched in curly-brace text, set commands,
 * `| display xml` and `| display json`.
 */
export const JUNOS_SECRETS: DialectSecrets = {
  dialect: 'junos',
  fields: [
    { path: 'encrypted-password', note: 'login and root-authentication password hashes' },
    { path: 'plain-text-password-value' },
    { path: '*authentication-key', note: 'BGP, IS-IS hello, RIP, LDP, VRRP, NTP keys' },
    { path: 'authentication-key value', note: 'ntp authentication-key N type md5 value "…"' },
    { path: 'authentication-password', note: 'SNMPv3 USM' },
    { path: 'privacy-password', note: 'SNMPv3 USM' },
    { path: 'secret', note: 'RADIUS, TACACS+, key-chain keys' },
    { path: 'simple-password', note: 'OSPF/IS-IS simple authentication' },
    { path: 'chap-secret' },
    { path: 'pap-password' },
    { path: 'shared-secret' },
    { path: 'pre-shared-key ascii-text', note: 'IKE' },
    { path: 'pre-shared-key hexadecimal', note: 'IKE' },
    { path: 'md5 key', note: 'OSPF md5 N key "…"' },
    { path: 'snmp community name', note: 'the community name is the SNMP password' },
  ],
};
