import { LEAF, leaves, type KeywordTree } from '../keyword-tree.js';
import { NONE, OPTIONAL_TEXT, TEXT, UNCONFIRMED_QUOTING, WRITES_FILE, type DialectSpec } from './types.js';

/**
 * EOS accepts unique prefixes too (`sh ip int br`). The same rule as for Junos holds: only real
 * keywords at their position, so a prefix unique here is unique on the device.
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
  // `run CMD; CMD`: several commands in one line.
  run: LEAF,
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

/** Arista EOS. How its CLI treats quotes around a `|` is not confirmed, so that is refused. */
export const EOS: DialectSpec = {
  label: 'EOS',
  platforms: ['arista_eos'],
  vendors: ['arista'],
  shell: false,
  quoting: UNCONFIRMED_QUOTING,
  keywords: { tree: EOS_KEYWORDS, prefixes: true, caseInsensitive: true },
  pipes: {
    prefixes: true,
    stages: {
      include: { safe: true, args: TEXT },
      exclude: { safe: true, args: TEXT },
      begin: { safe: true, args: TEXT },
      section: { safe: true, args: TEXT },
      json: { safe: true, args: OPTIONAL_TEXT },
      'no-more': { safe: true, args: NONE },
      nz: { safe: true, args: NONE },
      redirect: WRITES_FILE,
      append: WRITES_FILE,
      tee: WRITES_FILE,
    },
  },
};
