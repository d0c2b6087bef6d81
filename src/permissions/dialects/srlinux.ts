import { leaves } from '../keyword-tree.js';
import { UNCONFIRMED_QUOTING, type DialectSpec } from './types.js';

/**
 * Nokia SR Linux. It does not expand abbreviations; keywords are only lowercased. Its pipe stages
 * are Unix filters, so only flags that cannot read or write files are allowed.
 */
export const SRLINUX: DialectSpec = {
  label: 'SR Linux',
  platforms: ['nokia_srlinux'],
  vendors: [],
  shell: false,
  quoting: UNCONFIRMED_QUOTING,
  keywords: {
    tree: leaves(
      'show', 'info', 'ping', 'traceroute', 'tools', 'bash', 'file', 'enter', 'quit', 'exit', 'diff', 'commit', 'discard',
      'environment', 'monitor', 'tree', 'date', 'pwd', 'history', 'ping6', 'traceroute6',
    ),
    prefixes: false,
    caseInsensitive: false,
  },
  pipes: {
    prefixes: false,
    stages: {
      as: { safe: true, args: { kind: 'option', options: ['json', 'table', 'text'] } },
      grep: { safe: true, args: { kind: 'filter', flags: ['-i', '-v', '-w', '-x', '-c', '-n', '-E', '-F', '-o'], operands: 1 } },
      head: { safe: true, args: { kind: 'lines' } },
      tail: { safe: true, args: { kind: 'lines' } },
      wc: { safe: true, args: { kind: 'filter', flags: ['-l', '-w', '-c'], operands: 0 } },
      more: { safe: false, why: 'is a pager: it needs a terminal and can start a shell' },
      less: { safe: false, why: 'is a pager: it needs a terminal and can start a shell' },
    },
  },
};
