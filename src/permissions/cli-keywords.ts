import type { CliDialect } from './cli-dialect.js';
import { JUNOS_KEYWORDS } from './junos-keywords.js';
import { LEAF, leaves, type KeywordTree } from './keyword-tree.js';

/**
 * EOS and IOS accept unique prefixes too (`sh ip int br`). The same rule as for Junos holds: only
 * real keywords at their position, so a prefix unique here is unique on the device.
 */
const EOS_KEYWORDS: KeywordTree = {
  show: {
    version: leaves('detail'),
    interfaces: leaves('status', 'description', 'counters', 'transceiver', 'switchport', 'trunk', 'detail'),
    ip: {
      route: leaves('summary', 'vrf', 'detail'),
      interface: leaves('brief'),
      bgp: leaves('summary', 'neighbors'),
      ospf: leaves('neighbor', 'interface', 'database'),
      arp: LEAF,
      'access-lists': LEAF,
      'prefix-list': LEAF,
    },
    ipv6: leaves('route', 'interface', 'bgp', 'neighbors'),
    'running-config': leaves('interfaces', 'section', 'all', 'diffs'),
    'startup-config': LEAF,
    lldp: leaves('neighbors', 'local-info', 'traffic'),
    bgp: leaves('summary', 'evpn', 'neighbors'),
    isis: leaves('neighbors', 'database', 'interface', 'summary'),
    mac: leaves('address-table'),
    vlan: leaves('brief', 'id'),
    arp: LEAF,
    logging: leaves('last'),
    clock: LEAF,
    inventory: LEAF,
    environment: leaves('all', 'temperature', 'power', 'cooling'),
    processes: leaves('top'),
    hostname: LEAF,
    users: LEAF,
    lacp: leaves('neighbor', 'interface'),
    'port-channel': leaves('summary', 'detail'),
    'spanning-tree': LEAF,
    mlag: leaves('detail', 'interfaces'),
    ntp: leaves('status', 'associations'),
    vxlan: leaves('vtep', 'address-table'),
    'tech-support': LEAF,
  },
  ping: LEAF,
  traceroute: LEAF,
  clear: leaves('counters', 'ip', 'ipv6', 'arp', 'logging', 'lldp', 'mac'),
  reload: LEAF,
  configure: leaves('terminal', 'session', 'replace'),
  copy: LEAF,
  write: leaves('memory', 'terminal'),
  delete: LEAF,
  bash: LEAF,
  enable: LEAF,
  disable: LEAF,
  terminal: leaves('length', 'width', 'monitor'),
  dir: LEAF,
  more: LEAF,
  rename: LEAF,
  watch: LEAF,
  ssh: LEAF,
  telnet: LEAF,
  exit: LEAF,
  logout: LEAF,
};

const IOS_KEYWORDS: KeywordTree = {
  show: {
    version: LEAF,
    interfaces: leaves('status', 'description', 'counters', 'brief', 'summary', 'trunk'),
    ip: {
      route: leaves('summary', 'vrf'),
      interface: leaves('brief'),
      bgp: leaves('summary', 'neighbors'),
      ospf: leaves('neighbor', 'interface', 'database'),
      arp: LEAF,
      'access-lists': LEAF,
    },
    ipv6: leaves('route', 'interface', 'neighbors'),
    'running-config': leaves('interface', 'router'),
    'startup-config': LEAF,
    cdp: leaves('neighbors', 'interface'),
    lldp: leaves('neighbors', 'interface'),
    bgp: leaves('summary', 'neighbors', 'ipv4', 'ipv6', 'vrf'),
    ospf: leaves('neighbor', 'interface', 'database'),
    isis: leaves('neighbors', 'database', 'interface', 'adjacency'),
    mpls: leaves('ldp', 'forwarding', 'interfaces'),
    route: leaves('summary', 'vrf', 'ipv4', 'ipv6'),
    arp: LEAF,
    logging: LEAF,
    clock: LEAF,
    inventory: LEAF,
    platform: LEAF,
    processes: leaves('cpu', 'memory'),
    users: LEAF,
    vlan: leaves('brief'),
    'spanning-tree': LEAF,
  },
  ping: LEAF,
  traceroute: LEAF,
  clear: leaves('counters', 'ip', 'arp', 'logging'),
  reload: LEAF,
  configure: leaves('terminal', 'replace', 'exclusive'),
  copy: LEAF,
  write: leaves('memory', 'erase', 'terminal'),
  delete: LEAF,
  erase: LEAF,
  debug: LEAF,
  undebug: LEAF,
  dir: LEAF,
  more: LEAF,
  terminal: leaves('length', 'width', 'monitor'),
  enable: LEAF,
  disable: LEAF,
  run: LEAF,
  exit: LEAF,
};

/** SR Linux and SR OS do not expand abbreviations; their keywords are only lowercased. */
const SRLINUX_KEYWORDS: KeywordTree = leaves(
  'show', 'info', 'ping', 'traceroute', 'tools', 'bash', 'file', 'enter', 'quit', 'exit', 'diff', 'commit', 'discard',
  'environment', 'monitor', 'tree', 'date', 'pwd', 'history', 'ping6', 'traceroute6',
);

const SROS_KEYWORDS: KeywordTree = leaves(
  'show', 'info', 'ping', 'traceroute', 'tools', 'file', 'admin', 'clear', 'monitor', 'environment', 'edit-config',
  'quit-config', 'logout', 'tree', 'history',
);

export interface KeywordRules {
  readonly tree: KeywordTree;
  /** The CLI accepts any unique prefix of a keyword. */
  readonly prefixes: boolean;
  /**
   * The whole CLI is case-insensitive, arguments included (interface names on EOS and IOS), so
   * patterns compare without case. Elsewhere only keywords are lowercased and arguments keep their case.
   */
  readonly caseInsensitive: boolean;
}

export const KEYWORD_RULES: Readonly<Record<CliDialect, KeywordRules>> = {
  junos: { tree: JUNOS_KEYWORDS, prefixes: true, caseInsensitive: false },
  eos: { tree: EOS_KEYWORDS, prefixes: true, caseInsensitive: true },
  ios: { tree: IOS_KEYWORDS, prefixes: true, caseInsensitive: true },
  srlinux: { tree: SRLINUX_KEYWORDS, prefixes: false, caseInsensitive: false },
  sros: { tree: SROS_KEYWORDS, prefixes: false, caseInsensitive: false },
  linux: { tree: LEAF, prefixes: false, caseInsensitive: false },
  unknown: { tree: LEAF, prefixes: false, caseInsensitive: false },
};
