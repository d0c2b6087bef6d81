import { LEAF, leaves, type KeywordTree } from '../keyword-tree.js';
import { CISCO_SESSION_REFUSALS } from './ios.js';
import { TEXT, UNCONFIRMED_QUOTING, WRITES_FILE, type DialectSpec } from './types.js';

/**
 * IOS-XR exec mode. Its commands differ from IOS (`show ipv4 interface brief`, `show route`,
 * `show configuration commit list`), it accepts unique prefixes like IOS (`sh ipv4 int br`).
 */
const XR_KEYWORDS: KeywordTree = {
  show: {
    version: LEAF,
    interfaces: leaves('brief', 'description', 'summary', 'detail', 'accounting'),
    ip: {
      interface: leaves('brief'),
      ospf: leaves('neighbor', 'interface', 'database'),
      route: LEAF,
    },
    ipv4: { interface: leaves('brief'), vrf: LEAF, traffic: LEAF },
    ipv6: { interface: leaves('brief'), neighbors: LEAF, vrf: LEAF, traffic: LEAF },
    route: leaves('ipv4', 'ipv6', 'summary', 'vrf'),
    ospf: leaves('neighbor', 'interface', 'database'),
    ospfv3: leaves('neighbor', 'interface', 'database'),
    bgp: leaves('summary', 'neighbor', 'ipv4', 'ipv6', 'vpnv4', 'l2vpn', 'vrf'),
    isis: leaves('neighbors', 'database', 'interface', 'adjacency'),
    mpls: leaves('ldp', 'forwarding', 'interfaces', 'traffic-eng'),
    'running-config': leaves('interface', 'router'),
    configuration: {
      commit: leaves('list', 'changes'),
      rollback: leaves('changes'),
      failed: LEAF,
      history: LEAF,
      sessions: LEAF,
      lock: LEAF,
    },
    lldp: leaves('neighbors', 'interface'),
    cdp: leaves('neighbors', 'interface'),
    arp: LEAF,
    logging: LEAF,
    clock: LEAF,
    inventory: LEAF,
    platform: LEAF,
    processes: leaves('cpu', 'memory'),
    memory: leaves('summary'),
    users: LEAF,
    redundancy: LEAF,
    install: leaves('active', 'committed'),
    controllers: LEAF,
  },
  ping: LEAF,
  traceroute: LEAF,
  clear: leaves('counters', 'arp-cache', 'logging', 'configuration'),
  reload: LEAF,
  rollback: leaves('configuration'),
  configure: leaves('terminal', 'exclusive'),
  copy: LEAF,
  delete: LEAF,
  dir: LEAF,
  more: LEAF,
  terminal: leaves('length', 'width', 'monitor'),
  admin: LEAF,
  run: LEAF,
  bash: LEAF,
  exit: LEAF,
  logout: LEAF,
};

const LINUX_SHELL = 'it runs commands in the Linux shell underneath IOS-XR, whose syntax the bot does not check';

/** Cisco IOS-XR (XRd, XRv9k, 8000). Its quote handling is not confirmed, so a `|` inside quotes is refused. */
export const XR: DialectSpec = {
  label: 'Cisco IOS-XR',
  platforms: ['cisco_iosxr'],
  vendors: [],
  shell: false,
  quoting: UNCONFIRMED_QUOTING,
  keywords: { tree: XR_KEYWORDS, prefixes: true, caseInsensitive: true },
  /** XR's pipe stages are begin, exclude, include, file and utility; `section` and `count` are IOS's. */
  pipes: {
    prefixes: true,
    stages: {
      include: { safe: true, args: TEXT },
      exclude: { safe: true, args: TEXT },
      begin: { safe: true, args: TEXT },
      file: WRITES_FILE,
      utility: { safe: false, why: 'runs Unix utilities (egrep, tail, wc and others) with options the bot does not check' },
    },
  },
  refused: {
    ...CISCO_SESSION_REFUSALS,
    run: { why: LINUX_SHELL },
    bash: { why: LINUX_SHELL },
    // Alone it enters the admin plane (another prompt); with words it runs them there, `run` included.
    admin: { why: 'it runs commands in the admin plane, whose commands and prompt the bot does not check' },
  },
};
