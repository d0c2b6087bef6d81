import type { DialectSecrets } from './types.js';

/**
 * Arista EOS statements whose values are secrets, as `show running-config` prints them: one
 * statement per line, an encryption type (`0`, `7`, `8a`, `sha512`) or key id before the value.
 */
export const EOS_SECRETS: DialectSecrets = {
  dialect: 'eos',
  fields: [
    { path: 'secret', note: 'username … secret sha512 HASH, enable secret, RADIUS/TACACS+ secrets' },
    { path: 'username password', note: 'username U password 0 TEXT' },
    { path: 'enable password' },
    { path: 'neighbor password', note: 'BGP session passwords: neighbor A password 7 KEY' },
    { path: '*authentication-key', note: 'ip ospf authentication-key, ntp authentication-key' },
    { path: 'message-digest-key', note: 'ip ospf message-digest-key N md5 7 KEY' },
    { path: 'authentication key', note: 'isis authentication key 7 KEY, router isis authentication key' },
    { path: 'authentication text', note: 'vrrp N peer authentication text PASS' },
    { path: 'key-string', note: 'key chains, VRRP ietf-md5' },
    { path: 'tacacs-server key' },
    { path: 'radius-server key' },
    { path: 'snmp-server community name', note: 'the community name is the SNMP password' },
    { path: 'snmp-server auth sha*', note: 'snmp-server user U G v3 auth sha PASS' },
    { path: 'snmp-server auth md5' },
    { path: 'snmp-server priv aes*', note: '… priv aes PASS' },
    { path: 'snmp-server priv des*' },
  ],
};
