/**
 * SR Linux YANG lists and their key leaf, as data: turning flat CLI words into a JSON-RPC path
 * needs to know that `interface ethernet-1/1` is a list entry and `admin-state enable` a leaf.
 * Context rules (parent element) come first; a list missing here is read as containers, so its
 * lines fail validation on the device with the device's own message rather than doing harm.
 */
const IN_CONTEXT: ReadonlyArray<readonly [parent: string, list: string, key: string]> = [
  ['area', 'interface', 'interface-name'],
  ['level', 'interface', 'interface-name'],
  ['bgp', 'neighbor', 'peer-address'],
  ['bgp', 'group', 'group-name'],
  ['static-routes', 'route', 'prefix'],
  ['next-hop-groups', 'group', 'name'],
  ['group', 'nexthop', 'index'],
  ['aaa', 'server-group', 'name'],
  ['authentication', 'user', 'username'],
  ['json-rpc-server', 'network-instance', 'name'],
  ['gnmi-server', 'network-instance', 'name'],
  ['ssh-server', 'network-instance', 'name'],
  ['server', 'network-instance', 'name'],
  ['tls', 'server-profile', 'name'],
  ['routing-policy', 'policy', 'name'],
  ['policy', 'statement', 'name'],
  ['acl', 'ipv4-filter', 'name'],
  ['acl', 'ipv6-filter', 'name'],
  ['ipv4-filter', 'entry', 'sequence-id'],
  ['ipv6-filter', 'entry', 'sequence-id'],
  ['afi-safi', 'afi-safi', 'afi-safi-name'],
  ['neighbor', 'afi-safi', 'afi-safi-name'],
  ['group', 'afi-safi', 'afi-safi-name'],
  ['bgp', 'afi-safi', 'afi-safi-name'],
];

const ANYWHERE: Readonly<Record<string, string>> = {
  interface: 'name',
  subinterface: 'index',
  address: 'ip-prefix',
  'network-instance': 'name',
  instance: 'name',
  area: 'area-id',
  'prefix-set': 'name',
  'community-set': 'name',
  'as-path-set': 'name',
  'tunnel-interface': 'name',
  'vxlan-interface': 'index',
  'server-group': 'name',
  checkpoint: 'id',
  lag: 'name',
};

/** The key leaf of `name` when it is a list under the path so far, else undefined. */
export function listKey(parents: readonly string[], name: string): string | undefined {
  const parent = parents[parents.length - 1];
  for (const [p, list, key] of IN_CONTEXT) if (p === parent && list === name) return key;
  return Object.hasOwn(ANYWHERE, name) ? ANYWHERE[name] : undefined;
}
