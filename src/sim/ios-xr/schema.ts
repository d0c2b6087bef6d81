/** The IOS-XR configuration modes the simulator knows: which lines open a submode, which are settings. */
import type { ModeSpec } from '../cisco/config-tree.js';

const words = (list: string): RegExp => new RegExp(`^(${list.split(/\s+/).join('|')})\\b`);

const ospfInterface: ModeSpec = {
  name: 'config-ospf-ar-if',
  sections: [],
  leaves: words('cost network passive hello-interval dead-interval bfd authentication mtu-ignore priority shutdown'),
};
const ospfArea: ModeSpec = {
  name: 'config-ospf-ar',
  sections: [{ match: /^interface \S+$/, mode: ospfInterface }],
  leaves: words('network passive cost mpls authentication stub nssa range default-cost hello-interval dead-interval bfd'),
};
const ospf: ModeSpec = {
  name: 'config-ospf',
  sections: [{ match: /^area \S+$/, mode: ospfArea }],
  leaves: words('router-id log redistribute auto-cost passive network timers mpls distance default-information nsf bfd'),
};
const bgpNeighborAf: ModeSpec = {
  name: 'config-bgp-nbr-af',
  sections: [],
  leaves: words('route-policy next-hop-self soft-reconfiguration send-community-ebgp'),
};
const bgpNeighbor: ModeSpec = {
  name: 'config-bgp-nbr',
  sections: [{ match: /^address-family \S+ \S+$/, mode: bgpNeighborAf }],
  leaves: words('remote-as description update-source password shutdown timers ebgp-multihop use'),
};
const bgpAf: ModeSpec = { name: 'config-bgp-af', sections: [], leaves: words('network redistribute maximum-paths') };
const bgp: ModeSpec = {
  name: 'config-bgp',
  sections: [
    { match: /^address-family \S+ \S+$/, mode: bgpAf },
    { match: /^neighbor \S+$/, mode: bgpNeighbor },
  ],
  leaves: words('bgp timers'),
};
const iface: ModeSpec = {
  name: 'config-if',
  sections: [],
  leaves: words('description ipv4 ipv6 shutdown mtu bundle negotiation load-interval vrf encapsulation speed duplex cdp lldp'),
};
const user: ModeSpec = { name: 'config-un', sections: [], leaves: words('group secret password') };
const line: ModeSpec = { name: 'config-line', sections: [], leaves: words('transport exec-timeout session-timeout login') };
const netconf: ModeSpec = { name: 'config-ncy-agent', sections: [], leaves: words('ssh') };
const grpc: ModeSpec = { name: 'config-grpc', sections: [], leaves: words('port no-tls address-family vrf') };
const ntp: ModeSpec = { name: 'config-ntp', sections: [], leaves: words('server peer source') };
const vrf: ModeSpec = { name: 'config-vrf', sections: [], leaves: words('description rd address-family') };
const callHome: ModeSpec = { name: 'config-call-home', sections: [], leaves: words('service contact-email-addr profile') };

export const XR_CONFIG_ROOT: ModeSpec = {
  name: 'config',
  sections: [
    { match: /^interface \S+$/, mode: iface },
    { match: /^router ospf \S+$/, mode: ospf },
    { match: /^router bgp \d+$/, mode: bgp },
    { match: /^username \S+$/, mode: user },
    { match: /^line (default|console|template \S+)$/, mode: line },
    { match: /^netconf-yang agent$/, mode: netconf },
    { match: /^grpc$/, mode: grpc },
    { match: /^ntp$/, mode: ntp },
    { match: /^vrf \S+$/, mode: vrf },
    { match: /^call-home$/, mode: callHome },
  ],
  leaves: words('hostname logging domain ssh telnet snmp-server lldp clock banner cdp tpa router-id explicit-path ipv4 ipv6 xml'),
};
