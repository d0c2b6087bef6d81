import { LEAF, type KeywordTree } from '../keyword-tree.js';

/**
 * FRR vtysh keywords (FRR 8.4's `vtysh -c list`, every daemon's commands, four keywords deep), as
 * `keyword(children ...)`. vtysh accepts any unique prefix of a keyword (`sh ip ospf nei`) and reads
 * keywords case-sensitively. Variables (WORD, A.B.C.D, ranges) are not keywords and leave the
 * position unchanged. Builds with shell access add `start-shell`, `ssh` and `telnet` at the top, so
 * they are listed too: their abbreviations expand and a policy can deny them by name. A keyword
 * deeper than four levels is not expanded (an abbreviation of it only fails to match a pattern).
 */
const OUTLINE = `
  add(vnc(mac(virtual-network-identifier) prefix(vn)) vrf(prefix(label preference rd))) clear(bfd(peer(counters
  interface local-address multihop) vrf(peer)) bgp(external(in message-stats out soft) in(prefix-filter)
  ipv4(evpn external flowspec in labeled-unicast message-stats multicast out peer-group soft unicast vpn)
  ipv6(evpn external flowspec in labeled-unicast message-stats multicast out peer-group soft unicast vpn)
  l2vpn(evpn external flowspec in labeled-unicast message-stats multicast out peer-group soft unicast vpn)
  message-stats out peer-group(in message-stats out soft) prefix soft(in out) view(external in ipv4 ipv6 l2vpn
  message-stats out peer-group prefix soft) vrf(external in ipv4 ipv6 l2vpn message-stats out peer-group prefix
  soft)) evpn(dup-addr(vni)) fpm(counters) ip(bgp(dampening external in ipv4 ipv6 l2vpn message-stats out
  peer-group prefix soft view vrf) eigrp(neighbors vrf) igmp(interfaces vrf) interfaces(vrf) mroute(count vrf)
  nhrp(cache shortcut) ospf(interface neighbor process vrf) pim(bsr-data interface interfaces oil statistics
  vrf) prefix-list rip(vrf)) ipv6(mroute(count vrf) nhrp(cache shortcut) ospf6(auth-counters interface process
  vrf) pim(bsr-data interface interfaces oil statistics vrf) prefix-list ripng(vrf)) isis(neighbor vrf(all
  neighbor)) log(cmdline-targets) mpls(ldp(neighbor)) openfabric(neighbor vrf(all neighbor)) route-map(counters)
  sr-te(pcep(session)) thread(cpu) vnc(counters mac(virtual-network-identifier) nve(un vn) prefix(un vn))
  vrf(all prefix(rd) rd) zebra(fpm(stats))) configure(terminal) copy(running-config(startup-config))
  debug(babel(all common filter interface kernel route timeout) bfd(distributed network peer zebra)
  bgp(as4(segment) bestpath bfd evpn(mh) flowspec graceful-restart keepalives labelpool neighbor-events nht
  pbr(error) update-groups updates(in out prefix) vnc(import-bi-attach import-del-remote rfapi-query verbose)
  vpn(label leak-from-vrf leak-to-vrf rmap-event) zebra(prefix)) eigrp(packets(ack all hello probe query reply
  request retry siaquery siareply stub terse update) transmit(all recv send)) igmp(events packets trace(detail))
  isis(adj-packets bfd events flooding ldp-sync lfa lsp-gen lsp-sched packet-dump route-events snp-packets
  spf-events sr-events te-events tx-queue update-packets) memstats-at-exit mpls(ldp(discovery errors event
  labels messages sync zebra)) mroute(detail) mroute6(detail) msdp(events packets) mtrace nhrp(all common event
  interface kernel route vici) northbound(callbacks(configuration rpc state) events libyang notifications)
  openfabric(adj-packets bfd events flooding ldp-sync lfa lsp-gen lsp-sched packet-dump route-events snp-packets
  spf-events sr-events te-events tx-queue update-packets) ospf(bfd client-api default-information event
  graceful-restart ism(events status timers) ldp-sync lsa(aggregate flooding generate install refresh)
  nsm(events status timers) nssa packet(all dd hello ls-ack ls-request ls-update) sr te ti-lfa zebra(interface
  redistribute)) ospf6(abr asbr authentication(rx tx) border-routers(area-id router-id) flooding
  graceful-restart interface lsa(aggregation all as-external inter-prefix inter-router intra-prefix link network
  nssa router unknown) message(all dbdesc hello lsack lsreq lsupdate unknown) neighbor(event state) nssa
  route(all inter-area intra-area memory table) spf(database process time) zebra(recv send)) pathd(mpls-te
  pcep(basic message path pceplib)) pbr(events map nht zebra) pim(bsm events mlag nht(detail rp)
  packet-dump(receive send) packets(hello joins register) static trace(detail) vxlan zebra) pimv6(events
  nht(detail) packet-dump(receive send) packets(hello joins register) trace(detail) zebra)
  prefix-list(match(address-mode)) resolver rfapi-dev(close(rfd vn) open(vn) query(done vn) register(vn)
  response-omit-self(off on) show(import nves) unregister(vn)) rip(events packet(recv send) zebra) ripng(events
  packet(recv send) zebra) route-map rpki show(mld(interface)) spf-delay-ietf ssmpingd static(events route)
  unique-id(backtrace) vrf vrrp(arp autoconfigure ndisc packets protocol sockets zebra) zebra(dplane(detailed
  dpdk) events evpn(mh) fpm kernel(msgdump) mlag mpls(detailed) neigh nexthop(detail) nht(detailed)
  packet(detail recv send) pbr pseudowires rib(detailed) vxlan)) disable enable end exit find
  graceful-restart(prepare(ip(ospf) ipv6(ospf))) list(permutations) mtrace no(debug(all(bgp) babel(all common
  filter interface kernel route timeout) bfd(distributed network peer zebra) bgp(as4 bestpath bfd evpn flowspec
  graceful-restart keepalives labelpool neighbor-events nht pbr update-groups updates vnc vpn zebra)
  eigrp(packets transmit) igmp(events packets trace) isis(adj-packets bfd events flooding ldp-sync lfa lsp-gen
  lsp-sched packet-dump route-events snp-packets spf-events sr-events te-events tx-queue update-packets)
  memstats-at-exit mpls(ldp) mroute(detail) mroute6(detail) msdp(events packets) mtrace nhrp(all common event
  interface kernel route vici) northbound(callbacks events libyang notifications) openfabric(adj-packets bfd
  events flooding ldp-sync lfa lsp-gen lsp-sched packet-dump route-events snp-packets spf-events sr-events
  te-events tx-queue update-packets) ospf(bfd client-api default-information event graceful-restart ism ldp-sync
  lsa nsm nssa packet sr te ti-lfa zebra) ospf6(abr asbr authentication border-routers flooding graceful-restart
  interface lsa message neighbor nssa route spf zebra) pathd(mpls-te pcep) pbr(events map nht zebra) pim(bsm
  events mlag nht packet-dump packets static trace vxlan zebra) pimv6(events nht packet-dump packets trace
  zebra) resolver rip(events packet zebra) ripng(events packet zebra) route-map rpki spf-delay-ietf ssmpingd
  static(events route) unique-id(backtrace) vrf vrrp(arp autoconfigure ndisc packets protocol sockets zebra)
  zebra(dplane events evpn fpm kernel mlag mpls neigh nexthop nht packet pbr pseudowires rib vxlan))
  output(file) terminal(length monitor(babeld bfdd bgpd eigrpd fabricd isisd ldpd nhrpd ospf6d ospfd pathd pbrd
  pim6d pimd ripd ripngd staticd vrrpd zebra) paginate) watchfrr(ignore)) output(file) ping(ip ipv6) quit
  rpki(reset start stop) show(babel(interface neighbor parameters route) bfd(distributed peer(counters interface
  json local-address multihop) peers(brief counters json) vrf(peer peers)) bgp(access-list(json wide) alias(json
  wide) all(access-list alias cidr-only community community-list dampening filter-list json longer-prefixes
  neighbors prefix-list route-map rpki summary version wide) as-path-access-list(json) attribute-info
  bestpath(json rpki) cidr-only(json wide) community(accept-own accept-own-nexthop blackhole exact-match
  graceful-shutdown json llgr-stale no-advertise no-export no-llgr no-peer route-filter-translated-v4
  route-filter-translated-v6 route-filter-v4 route-filter-v6 wide) community-info community-list(detail
  exact-match json wide) dampening(dampened-paths flap-statistics parameters) detail(json)
  extcommunity-list(detail) filter-list(json wide) import-check-table(detail) ipv4(access-list alias all
  bestpath cidr-only community community-list dampening filter-list flowspec json labeled-unicast
  large-community large-community-list longer-prefixes multicast multipath neighbors prefix-list regexp
  route-leak route-map rpki statistics summary unicast update-groups version vpn wide) ipv6(access-list alias
  all bestpath cidr-only community community-list dampening filter-list flowspec json labeled-unicast
  large-community large-community-list longer-prefixes multicast multipath neighbors prefix-list regexp
  route-leak route-map rpki statistics summary unicast update-groups version vpn wide) json(detail) l2vpn(evpn)
  labelpool(chunks inuse ledger requests summary) large-community(exact-match json) large-community-list(detail
  exact-match json) listeners longer-prefixes(json wide) mac(hash) martian(next-hop) memory multicast(paths)
  multipath(json rpki) neighbors(advertised-routes bestpath-routes dampened-routes filtered-routes
  flap-statistics graceful-restart json prefix-counts received received-routes routes) nexthop(detail) paths
  peer-group(json) peerhash prefix-list(json wide) regexp(json) route-leak(json) route-map(json wide)
  rpki(invalid notfound valid) segment-routing(srv6) statistics(json) statistics-all(json) summary(established
  failed json neighbor remote-as terse wide) unicast(paths) update-groups(advertise-queue advertised-routes
  packet-queue statistics) version(json wide) view(access-list alias all bestpath cidr-only community
  community-list dampening detail filter-list import-check-table ipv4 ipv6 json l2vpn large-community
  large-community-list longer-prefixes martian multipath neighbors nexthop peer-group prefix-list regexp
  route-leak route-map rpki statistics statistics-all summary update-groups version wide) views vpn(paths)
  vrf(access-list alias all bestpath cidr-only community community-list dampening detail filter-list
  import-check-table ipv4 ipv6 json l2vpn large-community large-community-list longer-prefixes martian multipath
  neighbors nexthop peer-group prefix-list regexp route-leak route-map rpki statistics statistics-all summary
  update-groups version vni wide) vrfs(json) wide) bmp daemons debugging(hashtable(statistics) pathd-pcep)
  dmvpn(json) dplane(dpdk(counters pbr port)) error(all(json) json) evpn(access-vlan(detail json) arp-cache(vni)
  es(detail json) es-evi(detail json vni) json l2-nh(json) mac(vni) next-hops(vni) rmac(vni) vni(detail json))
  fpm(counters(json)) history interface(brief(json) description(vrf) json nexthop-group vrf(all brief json))
  ip(access-list(json) as-path-access-list(json) bgp(access-list alias all attribute-info bestpath cidr-only
  community community-info community-list dampening detail filter-list import-check-table ipv4 ipv6 json l2vpn
  large-community large-community-info large-community-list longer-prefixes memory multicast multipath neighbors
  nexthop paths peer-group prefix-list regexp route-leak route-map rpki statistics statistics-all summary
  unicast update-groups version view views vpn vrf vrfs wide) eigrp(interfaces neighbors topology vrf) fib(babel
  bgp connected eigrp isis json kernel longer-prefixes nexthop-group nhrp openfabric ospf rip static
  supernets-only table tag vnc vrf) forwarding igmp(groups interface join sources statistics vrf)
  import-check(mrib vrf) mroute(count fill json summary vrf) msdp(mesh-group peer sa vrf) multicast(count vrf)
  neigh nhrp(cache json nhs opennhrp shortcut) nht(mrib route-map vrf) ospf(border-routers database
  graceful-restart interface json mpls mpls-te neighbor reachable-routers route router-info summary-address vrf
  vrfs) pim(assert assert-internal assert-metric assert-winner-metric bsm-database bsr bsrp-info channel
  group-type interface join jp-agg local-membership mlag neighbor nexthop nexthop-lookup rp-info rpf secondary
  state statistics upstream upstream-join-desired upstream-rpf vrf vxlan-groups) prefix-list(detail first-match
  json longer seq summary) protocol(vrf) rib(vrf) rip(status vrf) route(babel bgp connected eigrp isis json
  kernel longer-prefixes nexthop-group nhrp openfabric ospf rip static summary supernets-only table tag vnc vrf)
  router-id(vrf) rpf(json) ssmpingd(vrf)) ipv6(access-list(json) fib(babel bgp connected isis json kernel
  longer-prefixes nexthop-group nhrp openfabric ospf6 ripng static table tag vnc vrf) forwarding
  import-check(mrib vrf) mld(groups interface joins statistics vrf) mroute(count fill json summary vrf)
  multicast(count vrf) nd(ra-interfaces) nhrp(cache json nhs opennhrp shortcut) nht(mrib route-map vrf)
  ospf6(area border-routers database graceful-restart interface json linkstate neighbor redistribute route
  simulate spf summary-address vrf vrfs zebra) pim(channel interface join jp-agg local-membership neighbor
  nexthop nexthop-lookup rp-info rpf secondary state statistics upstream upstream-join-desired upstream-rpf vrf)
  prefix-list(detail first-match json longer seq summary) protocol(vrf) ripng(status vrf) route(babel bgp
  connected isis json kernel longer-prefixes nexthop-group nhrp openfabric ospf6 ripng static summary table tag
  vnc vrf) router-id(vrf)) isis(database(detail json) fast-reroute(summary) hostname interface(detail json)
  mpls(ldp-sync) mpls-te(database interface router) neighbor(detail json) route(backup level-1 level-2
  prefix-sid) segment-routing(node) spf-delay-ietf summary(json) topology(level-1 level-2) vrf(all database
  fast-reroute hostname interface mpls-te neighbor route spf-delay-ietf summary topology)) l2vpn(atom(binding
  vc)) logging(filter-text) mac(access-list) memory(babeld bfdd bgpd eigrpd fabricd isisd ldpd nhrpd ospf6d
  ospfd pathd pbrd pim6d pimd ripd ripngd staticd vrrpd zebra) modules mpls(fec ldp(binding capabilities
  discovery igp-sync interface ipv4 ipv6 neighbor) pseudowires(detail) status table(json)) nexthop-group(rib(bgp
  kernel sharp singleton vrf zebra)) openfabric(database(detail json) fast-reroute(summary) flooding hostname
  interface(detail json) mpls(ldp-sync) neighbor(detail json) route(backup prefix-sid) spf-delay-ietf
  summary(json) topology vrf(all database fast-reroute hostname interface neighbor route spf-delay-ietf summary
  topology)) pathd(ted(database)) pbr(interface(json) ipset iptable map(detail json) nexthop-groups(json) rule)
  route-map(json) route-map-unused router-id(vrf) rpki(as-number(json) cache-connection(json) cache-server(json)
  prefix(json) prefix-table(json)) running-config(babeld(no-header) bfdd(no-header) bgpd(no-header)
  eigrpd(no-header) fabricd(no-header) isisd(no-header) ldpd(no-header) nhrpd(no-header) no-header
  ospf6d(no-header) ospfd(no-header) pathd(no-header) pbrd(no-header) pim6d(no-header) pimd(no-header)
  ripd(no-header) ripngd(no-header) staticd(no-header) vrrpd(no-header) zebra(no-header))
  segment-routing(srv6(locator)) sr-te(pcep(counters pcc pce pce-config session) policy(detail)) startup-config
  thread(cpu poll timers) version vnc(nves(un vn) queries registrations(all holddown imported local remote)
  responses(active removed) summary) vrf(vni(json)) vrrp(interface(json summary) json summary) watchfrr
  work-queues(babeld bfdd bgpd eigrpd fabricd isisd ldpd nhrpd ospf6d ospfd pathd pbrd pim6d pimd ripd ripngd
  staticd vrrpd zebra) yang(module(babeld bfdd bgpd compiled eigrpd fabricd isisd ldpd module-translator nhrpd
  ospf6d ospfd pathd pbrd pim6d pimd ripd ripngd staticd summary tree vrrpd yang yin zebra)
  operational-data(babeld bfdd bgpd eigrpd fabricd format isisd ldpd nhrpd ospf6d ospfd pathd pbrd pim6d pimd
  ripd ripngd staticd translate vrrpd with-config zebra)) zebra(client(summary) dplane(detailed providers)
  fpm(stats) router(table))) ssh start-shell(bash zsh) telnet terminal(length monitor(babeld bfdd bgpd eigrpd
  fabricd isisd ldpd nhrpd ospf6d ospfd pathd pbrd pim6d pimd ripd ripngd staticd vrrpd zebra) paginate)
  traceroute(ip ipv6) watchfrr(ignore) write(file integrated memory terminal(babeld(no-header) bfdd(no-header)
  bgpd(no-header) eigrpd(no-header) fabricd(no-header) isisd(no-header) ldpd(no-header) nhrpd(no-header)
  no-header ospf6d(no-header) ospfd(no-header) pathd(no-header) pbrd(no-header) pim6d(no-header) pimd(no-header)
  ripd(no-header) ripngd(no-header) staticd(no-header) vrrpd(no-header) zebra(no-header)))
`;

/** `a(b c(d)) e` → { a: { b: {}, c: { d: {} } }, e: {} } */
function parseOutline(text: string): KeywordTree {
  const stack: Record<string, KeywordTree>[] = [{}];
  let word = '';
  let last = '';
  const flush = (): void => {
    if (word === '') return;
    (stack[stack.length - 1] as Record<string, KeywordTree>)[word] = LEAF;
    last = word;
    word = '';
  };
  for (const ch of text) {
    if (ch === '(') {
      flush();
      const child: Record<string, KeywordTree> = {};
      (stack[stack.length - 1] as Record<string, KeywordTree>)[last] = child;
      stack.push(child);
    } else if (ch === ')') {
      flush();
      stack.pop();
    } else if (ch === ' ' || ch === '\n') {
      flush();
    } else {
      word += ch;
    }
  }
  flush();
  return stack[0] as KeywordTree;
}

let tree: KeywordTree | undefined;
/** The tree, parsed on first use: only a command to a linux node needs it, and parsing costs milliseconds at start. */
export const vtyshKeywords = (): KeywordTree => (tree ??= parseOutline(OUTLINE));
