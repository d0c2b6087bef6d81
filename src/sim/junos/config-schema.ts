/**
 * The little of the Junos configuration schema the simulator needs to split statements into
 * hierarchy levels without the real schema: which words take a name (`unit 0`, `area 0.0.0.0`),
 * which containers hold bare names (`interfaces { ge-0/0/0 { … } }`), which leaves hold lists.
 * Data only; config-tree.ts reads it. Add a word here when a hierarchy parses oddly.
 */

/** Words followed by a name that identifies a list entry: `unit 0`, `area 0.0.0.0`, `neighbor 10.0.0.1`. */
export const KEYED: ReadonlySet<string> = new Set([
  'unit', 'family', 'address', 'area', 'interface', 'neighbor', 'group', 'route', 'user', 'file', 'host',
  'server', 'term', 'policy-statement', 'prefix-list', 'community', 'as-path', 'as-path-group', 'security-zone',
  'policy', 'filter', 'ids-option', 'interface-range', 'member', 'vrrp-group', 'vrrp-inet6-group',
  'trap-group', 'label-switched-path', 'lsp', 'path', 'rib', 'rib-group', 'proposal', 'gateway', 'vpn',
  'ike-policy', 'ipsec-policy', 'application-set', 'address-set', 'address-book', 'static-route', 'class',
  'scheduler', 'scheduler-map', 'radius-server', 'tacplus-server', 'pool', 'rule', 'rule-set', 'level',
  'interface-set', 'logical-system', 'policer', 'route-filter', 'prefix-list-filter', 'area-range', 'qualified-next-hop',
  'peer', 'flag', 'ssh-rsa', 'ssh-ecdsa', 'ssh-ed25519',
]);

/**
 * A KEYED word is a plain container when its next word is one of these: `filter { input F; }`.
 * Keeps `set … family inet filter input F` consistent with the block form.
 */
export const KEYED_EXCEPT: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['filter', new Set(['input', 'output', 'input-list', 'output-list'])],
  ['interface', new Set(['traceoptions'])],
]);

/** A KEYED word that is keyed only under these parents (elsewhere it is a plain leaf: `user bob { class ops; }`). */
export const KEYED_ONLY_UNDER: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['class', new Set(['login'])],
  ['policer', new Set(['firewall'])],
  ['prefix-list', new Set(['policy-options'])],
]);

/**
 * Containers holding a list of bare values, shown as `name-server { 8.8.8.8; 1.1.1.1; }`, set as
 * `set system name-server 8.8.8.8`, and in XML as repeated `<name-server><name>8.8.8.8</name></name-server>`.
 * 'any' means in every hierarchy; otherwise only under the listed parents.
 */
export const VALUE_LISTS: ReadonlyMap<string, 'any' | ReadonlySet<string>> = new Map<string, 'any' | ReadonlySet<string>>([
  ['name-server', 'any'],
  ['clients', 'any'],
  ['source-prefix-list', 'any'],
  ['destination-prefix-list', 'any'],
  ['system-services', 'any'],
  ['protocols', new Set(['host-inbound-traffic'])],
  ['prefix-list', new Set(['from'])],
  ['source-address', new Set(['from'])],
  ['destination-address', new Set(['from'])],
  ['address', new Set(['from'])],
]);

export function isValueList(word: string, parentHead: string | undefined): boolean {
  const where = VALUE_LISTS.get(word);
  if (where === undefined) return false;
  return where === 'any' || (parentHead !== undefined && where.has(parentHead));
}

/** Containers whose children are bare names, with the XML element each child maps to. */
export const NAMED_CHILDREN: ReadonlyMap<string, string> = new Map([
  ['interfaces', 'interface'],
  ['vlans', 'vlan'],
  ['routing-instances', 'instance'],
  ['bridge-domains', 'domain'],
  ['groups', 'groups'],
  ['logical-systems', 'logical-systems'],
  ['prefix-list', 'prefix-list-item'],
]);

/** Words that stay statements inside a NAMED_CHILDREN container (`interfaces { traceoptions { … } }`). */
export const NAMED_EXCEPT: ReadonlySet<string> = new Set([
  'apply-path', 'apply-groups', 'apply-groups-except', 'interface-range', 'interface-set', 'traceoptions',
]);

/** Keyed words with a second key word: `from-zone trust to-zone untrust`. */
export interface MultiKey {
  readonly words: readonly string[];
  readonly xml: string;
  readonly xmlKeys: readonly string[];
}
export const MULTI_KEYED: ReadonlyMap<string, MultiKey> = new Map([
  ['from-zone', { words: ['from-zone', 'to-zone'], xml: 'policy', xmlKeys: ['from-zone-name', 'to-zone-name'] }],
]);

/** Leaves that hold a list of values: `members [ v10 v20 ];`; `set` appends to them. */
export const LEAF_LIST: ReadonlySet<string> = new Set([
  'members', 'apply-groups', 'apply-groups-except', 'export', 'import', 'vlan-id-list', 'authentication-order',
  'protocol', 'domain-search', 'permissions', 'source-address', 'destination-address', 'application',
  'destination-port', 'source-port', 'port', 'virtual-address', 'next-hop', 'allow-clients',
]);

/**
 * Words that are always containers, never `keyword value` leaves, so `set … netconf ssh` means
 * `netconf { ssh; }` and `set interfaces ge-0/0/0` creates the interface.
 */
export const CONTAINERS: ReadonlySet<string> = new Set([
  'system', 'services', 'netconf', 'interfaces', 'vlans', 'routing-instances', 'groups', 'protocols', 'ospf', 'ospf3',
  'bgp', 'isis', 'ldp', 'mpls', 'rsvp', 'lldp', 'pim', 'routing-options', 'static', 'forwarding-table',
  'policy-options', 'firewall', 'security', 'zones', 'policies', 'screen', 'host-inbound-traffic', 'system-services',
  'snmp', 'syslog', 'login', 'authentication', 'root-authentication', 'chassis', 'ethernet-switching', 'vlan',
  'traceoptions', 'match', 'from', 'to', 'then', 'ip', 'tcp', 'icmp', 'udp', 'nat', 'graceful-restart', 'ntp',
  'archival', 'commit', 'license', 'web-management', 'http', 'https', 'extension-service', 'nssa', 'stub',
  'bfd-liveness-detection', 'ether-options', 'gigether-options', 'aggregated-ether-options', 'lacp', 'switch-options',
  'class-of-service', 'forwarding-options', 'event-options', 'applications', 'access',
]);

/** Top-level hierarchies, in the order Junos displays them; any other top-level word is a syntax error. */
export const TOP_LEVEL_ORDER: readonly string[] = [
  'version', 'groups', 'apply-groups', 'apply-groups-except', 'system', 'chassis', 'services', 'security',
  'interfaces', 'snmp', 'forwarding-options', 'event-options', 'routing-options', 'protocols', 'policy-options',
  'class-of-service', 'firewall', 'routing-instances', 'bridge-domains', 'vlans', 'switch-options',
  'ethernet-switching-options', 'virtual-chassis', 'poe', 'access', 'access-profile', 'accounting-options',
  'applications', 'logical-systems', 'multi-chassis', 'schedulers', 'dynamic-profiles', 'jsrc', 'fabric',
  'tenants', 'vmhost', 'smtp', 'rest', 'openconfig-network-instance', 'multicast-snooping-options',
  'protocols-evo', 'diameter', 'session-limit-group', 'wlan', 'fabric-options',
];
export const TOP_LEVEL: ReadonlySet<string> = new Set(TOP_LEVEL_ORDER);

/** Hierarchies where `interface ge-0/0/0` means unit 0 (Junos stores `ge-0/0/0.0`). */
export const UNIT_DEFAULT_CONTEXTS: ReadonlySet<string> = new Set(['ospf', 'ospf3', 'isis', 'ldp', 'rsvp', 'mpls', 'pim']);
