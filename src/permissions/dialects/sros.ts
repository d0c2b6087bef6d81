import { leaves } from '../keyword-tree.js';
import { NONE, TEXT, UNCONFIRMED_QUOTING, type DialectSpec } from './types.js';

/** Nokia SR OS (MD-CLI). No abbreviation expansion; quote handling not confirmed. */
export const SROS: DialectSpec = {
  label: 'SR OS',
  platforms: ['nokia_sros'],
  vendors: [],
  shell: false,
  quoting: UNCONFIRMED_QUOTING,
  keywords: {
    tree: leaves(
      'show', 'info', 'ping', 'traceroute', 'tools', 'file', 'admin', 'clear', 'monitor', 'environment', 'edit-config',
      'quit-config', 'logout', 'tree', 'history',
    ),
    prefixes: false,
    caseInsensitive: false,
  },
  pipes: {
    prefixes: false,
    stages: {
      match: { safe: true, args: TEXT },
      count: { safe: true, args: NONE },
      'no-more': { safe: true, args: NONE },
    },
  },
};
