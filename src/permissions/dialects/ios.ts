import { LEAF, leaves, type KeywordTree } from '../keyword-tree.js';
import { OPTIONAL_TEXT, TEXT, UNCONFIRMED_QUOTING, WRITES_FILE, type DialectSpec, type RefusedCommand } from './types.js';

/** IOS, IOS-XE and NX-OS accept unique keyword prefixes (`sh ip int br`). */
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
    archive: leaves('config', 'log'),
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
  configure: leaves('terminal', 'replace', 'exclusive', 'confirm'),
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
  // NX-OS `run bash`; IOS-XE `guestshell run`; IOS `tclsh`.
  run: LEAF,
  guestshell: LEAF,
  tclsh: LEAF,
  exit: LEAF,
  logout: LEAF,
};

const SHELL = 'it runs commands in a shell on the device, whose syntax the bot does not check';

/**
 * Commands that break the prompt-driven session every Cisco CLI driver keeps: the driver reads up
 * to the exec prompt, with paging off, at the privilege it chose.
 */
export const CISCO_SESSION_REFUSALS: Readonly<Record<string, RefusedCommand>> = {
  configure: { why: 'it enters configuration mode; change the configuration with `config`, which plans, asks for approval and can roll back' },
  terminal: { why: "it changes the settings (paging, width) of the bot's own session on the device" },
  exit: { why: "it would end the bot's session on the device" },
  logout: { why: "it would end the bot's session on the device" },
};

/** Cisco IOS family. Its quote handling is not confirmed, so a `|` inside quotes is refused. */
export const IOS: DialectSpec = {
  label: 'Cisco IOS/IOS-XE/NX-OS',
  platforms: ['cisco_iosxe', 'cisco_ios', 'cisco_nxos'],
  vendors: ['cisco'],
  shell: false,
  quoting: UNCONFIRMED_QUOTING,
  keywords: { tree: IOS_KEYWORDS, prefixes: true, caseInsensitive: true },
  /**
   * IOS reads everything after `include` as one regular expression, `|` included, so it may see
   * fewer stages than the bot; never more. Each stage the bot sees must be safe.
   */
  pipes: {
    prefixes: true,
    stages: {
      include: { safe: true, args: TEXT },
      exclude: { safe: true, args: TEXT },
      begin: { safe: true, args: TEXT },
      section: { safe: true, args: TEXT },
      count: { safe: true, args: OPTIONAL_TEXT },
      redirect: WRITES_FILE,
      append: WRITES_FILE,
      tee: WRITES_FILE,
      file: WRITES_FILE,
      format: { safe: false, why: 'reads a format file from the device' },
      utility: { safe: false, why: 'runs Unix utilities on the device' },
    },
  },
  refused: {
    ...CISCO_SESSION_REFUSALS,
    run: { why: SHELL },
    guestshell: { why: SHELL },
    tclsh: { why: 'it starts a Tcl shell on the device, which can run any command and write files' },
    enable: { why: 'the bot keeps its session at the privilege level the node is configured for' },
    disable: { why: 'the bot keeps its session at the privilege level the node is configured for' },
  },
};
