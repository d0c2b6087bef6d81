import type { DialectSecrets } from './types.js';

/**
 * Nokia SR Linux leaves whose values are secrets, as `info`, `info flat` (`set / system aaa
 * authentication user bob password …`) and JSON-RPC JSON print them.
 */
export const SRLINUX_SECRETS: DialectSecrets = {
  dialect: 'srlinux',
  fields: [
    { path: 'user password', note: 'aaa authentication user U password (hashed)' },
    { path: 'admin-user password' },
    { path: 'linuxadmin-user password' },
    { path: 'usm-user password', note: 'SNMPv3 user passwords' },
    { path: 'secret-key', note: 'RADIUS and TACACS+ server shared secrets' },
    { path: 'authentication-key', note: 'keychain keys used by OSPF, IS-IS and BGP authentication' },
    { path: 'server-profile key', note: 'the private key (PEM) of a TLS server profile' },
    { path: 'community-entry community', note: 'SNMPv2 community strings' },
    { path: 'psk', note: 'pre-shared keys' },
  ],
};
