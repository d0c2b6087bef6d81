/** The IOS configuration modes the simulator knows: which lines open a submode, which are settings. */
import type { ModeSpec } from '../cisco/config-tree.js';

const words = (list: string): RegExp => new RegExp(`^(${list.split(/\s+/).join('|')})\\b`);

const iface: ModeSpec = {
  name: 'config-if',
  sections: [],
  leaves: words(
    'description ip ipv6 shutdown mtu speed duplex bandwidth negotiation cdp encapsulation vrf standby load-interval channel-group switchport mpls',
  ),
};
const routerAf: ModeSpec = { name: 'config-router-af', sections: [], leaves: words('network neighbor redistribute maximum-paths') };
const router: ModeSpec = {
  name: 'config-router',
  sections: [{ match: /^address-family \S+( \S+)?$/, mode: routerAf }],
  leaves: words(
    'router-id network passive-interface area redistribute neighbor default-information auto-cost log-adjacency-changes bgp timers maximum-paths distance',
  ),
};
const line: ModeSpec = {
  name: 'config-line',
  sections: [],
  leaves: words('login transport exec-timeout password privilege logging stopbits session-timeout access-class'),
};
const archive: ModeSpec = { name: 'config-archive', sections: [], leaves: words('path maximum write-memory time-period log') };
const vrfAf: ModeSpec = { name: 'config-vrf-af', sections: [], leaves: words('route-target import export') };
const vrf: ModeSpec = { name: 'config-vrf', sections: [{ match: /^address-family \S+$/, mode: vrfAf }], leaves: words('description rd') };
const acl: ModeSpec = { name: 'config-ext-nacl', sections: [], leaves: /^(\d+ )?(permit|deny|remark)\b/ };

export const IOS_CONFIG_ROOT: ModeSpec = {
  name: 'config',
  sections: [
    { match: /^interface \S+$/, mode: iface },
    { match: /^router (ospf|bgp|eigrp) \d+$/, mode: router },
    { match: /^line (con|vty|aux) \d+( \d+)?$/, mode: line },
    { match: /^archive$/, mode: archive },
    { match: /^vrf definition \S+$/, mode: vrf },
    { match: /^ip access-list (standard|extended) \S+$/, mode: acl },
  ],
  leaves: words(
    'hostname version service ip ipv6 username enable ntp logging snmp-server boot aaa clock banner cdp lldp spanning-tree license memory multilink mpls alias vtp',
  ),
};
