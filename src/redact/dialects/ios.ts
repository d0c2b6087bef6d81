import type { DialectSecrets } from './types.js';

/**
 * Cisco IOS and IOS-XE statements whose values are secrets, as `show running-config` prints them:
 * one statement per line, children indented under their block (`tacacs server ISE` / ` key 7 …`),
 * an encryption type (`0`, `5`, `7`, `8`, `9`) or key id before the value. Statements whose
 * value follows a keyword anywhere (`secret`, `key-string`, `password 7 X`, `snmp-server host A
 * COMMUNITY`, `pre-shared-key [local|remote] X`) are also shapes (shapes.ts), which work without the block.
 */
export const IOS_SECRETS: DialectSecrets = {
  dialect: 'ios',
  fields: [
    { path: 'secret', note: 'enable secret 9 $9$…, username U privilege 15 secret 9 …' },
    { path: 'enable password', note: 'enable password [level N] 7 X' },
    { path: 'username password', note: 'username U password 0 TEXT' },
    { path: 'neighbor password', note: 'neighbor A password 7 X' },
    { path: 'line password', note: 'line vty 0 4 / password 7 X' },
    { path: 'key-string', note: 'key chain K / key 1 / key-string 7 X; HSRP/VRRP md5 key-string' },
    { path: '*authentication-key', note: 'ip ospf authentication-key 7 X, ntp authentication-key N md5 X' },
    { path: 'message-digest-key', note: 'ip ospf message-digest-key N md5 7 X' },
    { path: 'tacacs key', note: 'tacacs server NAME / key 7 X' },
    { path: 'radius key', note: 'radius server NAME / key 7 X (and pac key)' },
    { path: 'tacacs-server key', note: 'tacacs-server [host A] key 7 X' },
    { path: 'radius-server key' },
    { path: 'isakmp key', note: 'crypto isakmp key [0|6] X address A' },
    { path: 'keyring key', note: 'crypto keyring K / pre-shared-key address A key X' },
    { path: 'isis password', note: 'interface: isis password X' },
    { path: 'area-password' },
    { path: 'domain-password' },
    { path: 'snmp-server community name', note: 'the community name is the SNMP password' },
    { path: 'ppp password', note: 'ppp chap password 7 X, ppp pap sent-username U password 7 X' },
  ],
};
