import type { DialectSecrets } from './types.js';

/**
 * Cisco IOS-XR statements whose values are secrets. XR nests more than IOS (`router bgp` /
 * ` neighbor A` / `  password encrypted X`; `tacacs-server host A` / ` key 7 X`) and names the
 * encryption type in words (`encrypted`, `clear`) or numbers (`secret 10 $6$…`).
 */
export const XR_SECRETS: DialectSecrets = {
  dialect: 'xr',
  fields: [
    { path: 'username secret', note: 'username U / secret 10 $6$…' },
    { path: 'username password', note: 'username U / password 7 X' },
    { path: 'neighbor password', note: 'router bgp N / neighbor A / password encrypted X' },
    { path: 'neighbor-group password' },
    { path: 'session-group password' },
    { path: 'key-string', note: 'key chain K / key 1 / key-string password X' },
    { path: 'message-digest-key', note: 'message-digest-key 1 md5 encrypted X' },
    { path: '*authentication-key', note: 'OSPF authentication-key encrypted X, NTP' },
    { path: 'tacacs-server key', note: 'tacacs-server host A / key 7 X' },
    { path: 'radius-server key', note: 'radius-server host A / key 7 X' },
    { path: 'server-private key', note: 'aaa group server tacacs+ G / server-private A / key 7 X' },
    { path: 'lsp-password', note: 'router isis / lsp-password hmac-md5 encrypted X' },
    { path: 'hello-password', note: 'router isis / interface I / hello-password hmac-md5 encrypted X' },
    { path: 'snmp-server community name', note: 'the community name is the SNMP password' },
    { path: 'snmp-server community-map name' },
  ],
};
