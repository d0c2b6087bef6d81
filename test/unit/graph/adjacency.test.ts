import { describe, expect, it } from 'vitest';
import { adjacencyOf, readerFor } from '../../../src/graph/adjacency/index.js';
import { parseFrrBgp, parseFrrOspf } from '../../../src/graph/adjacency/frr.js';
import { parseJunosBgp, parseJunosOspf } from '../../../src/graph/adjacency/junos.js';
import { AdjacencyParseError } from '../../../src/graph/adjacency/types.js';
import { linkVerdict } from '../../../src/graph/model.js';
import { storedState } from '../../../src/ops/graph-ops.js';

/** `show ospf neighbor | display xml` as Junos writes it (namespaced, inside rpc-reply). */
const JUNOS_OSPF = `<rpc-reply xmlns:junos="http://xml.juniper.net/junos/23.2R1/junos">
<ospf-neighbor-information xmlns="http://xml.juniper.net/junos/23.2R1/junos-routing">
<ospf-neighbor>
<neighbor-address>10.1.1.0</neighbor-address>
<interface-name>ge-0/0/0.0</interface-name>
<ospf-neighbor-state>Full</ospf-neighbor-state>
<neighbor-id>10.255.0.1</neighbor-id>
<neighbor-priority>128</neighbor-priority>
<activity-timer>34</activity-timer>
</ospf-neighbor>
<ospf-neighbor>
<neighbor-address>10.1.2.1</neighbor-address>
<interface-name>ge-0/0/1.0</interface-name>
<ospf-neighbor-state>ExStart</ospf-neighbor-state>
<neighbor-id>10.255.0.3</neighbor-id>
<neighbor-priority>128</neighbor-priority>
<activity-timer>39</activity-timer>
</ospf-neighbor>
</ospf-neighbor-information>
</rpc-reply>`;

const JUNOS_BGP = `<rpc-reply><bgp-information xmlns="http://xml.juniper.net/junos/23.2R1/junos-routing">
<bgp-peer junos:style="detail">
<peer-address>10.1.1.0+179</peer-address>
<peer-as>65001</peer-as>
<local-address>10.1.1.1+61234</local-address>
<peer-state>Established</peer-state>
<peer-id>10.255.0.1</peer-id>
<local-id>10.255.0.2</local-id>
</bgp-peer>
<bgp-peer>
<peer-address>10.1.2.1</peer-address>
<peer-state>Active</peer-state>
<local-id>10.255.0.2</local-id>
</bgp-peer>
</bgp-information></rpc-reply>`;

/** vtysh `show ip ospf neighbor json`, FRR 10 (nbrState) and FRR 7 (state). */
const FRR_OSPF = JSON.stringify({
  neighbors: {
    '10.10.10.2': [{ nbrPriority: 1, converged: 'Full', role: 'DROther', nbrState: 'Full/-', ifaceAddress: '192.168.1.2', ifaceName: 'eth1:192.168.1.1' }],
    '10.10.10.3': [{ priority: 1, state: '2-Way/DROther', address: '192.168.2.2', ifaceName: 'eth2:192.168.2.1' }],
  },
});

/** vtysh `show bgp neighbors json`: an unnumbered peer keyed by its interface, a numbered one by its address. */
const FRR_BGP = JSON.stringify({
  eth1: { remoteAs: 65002, localAs: 65001, remoteRouterId: '10.10.10.2', localRouterId: '10.10.10.1', bgpState: 'Established' },
  '192.168.9.2': { remoteAs: 65009, remoteRouterId: '0.0.0.0', localRouterId: '10.10.10.1', bgpState: 'Connect' },
});

describe('adjacency parsers', () => {
  it('reads Junos OSPF neighbours from the XML reply, physical port and state', () => {
    expect(parseJunosOspf(JUNOS_OSPF).neighbors).toEqual([
      { iface: 'ge-0/0/0', state: 'full', peerId: '10.255.0.1', raw: 'Full' },
      { iface: 'ge-0/0/1', state: 'down', peerId: '10.255.0.3', raw: 'ExStart' },
    ]);
    expect(parseJunosOspf('<rpc-reply><ospf-neighbor-information/></rpc-reply>').neighbors).toEqual([]);
  });

  it('reads Junos BGP peers with their router IDs', () => {
    const r = parseJunosBgp(JUNOS_BGP);
    expect(r.localId).toBe('10.255.0.2');
    expect(r.neighbors.map((n) => [n.state, n.peerId, n.raw])).toEqual([
      ['full', '10.255.0.1', 'Established'],
      ['down', undefined, 'Active'],
    ]);
  });

  it('reads FRR OSPF neighbours in both state fields', () => {
    expect(parseFrrOspf(FRR_OSPF).neighbors).toEqual([
      { iface: 'eth1', state: 'full', peerId: '10.10.10.2', raw: 'Full' },
      { iface: 'eth2', state: 'down', peerId: '10.10.10.3', raw: '2-Way' },
    ]);
    expect(parseFrrOspf('{}').neighbors).toEqual([]);
  });

  it('reads FRR BGP peers: the interface of an unnumbered one, the router IDs of both', () => {
    const r = parseFrrBgp(FRR_BGP);
    expect(r.localId).toBe('10.10.10.1');
    expect(r.neighbors).toEqual([
      { iface: 'eth1', state: 'full', peerId: '10.10.10.2', raw: 'Established' },
      { iface: '', state: 'down', peerId: '0.0.0.0', raw: 'Connect' },
    ]);
  });

  it('refuses replies it cannot read rather than guessing', () => {
    expect(() => parseJunosOspf('show ospf neighbor: text, not XML')).toThrow(AdjacencyParseError);
    expect(() => parseJunosOspf('<rpc-reply><route-information/></rpc-reply>')).toThrow(/no <ospf-neighbor-information>/);
    expect(() => parseFrrOspf('% Unknown command')).toThrow(AdjacencyParseError);
    expect(() => parseFrrOspf('[1,2]')).toThrow(AdjacencyParseError);
  });

  it('reads Junos and FRR only; other vendors are not guessed from text', () => {
    expect(readerFor('junos', 'ospf')?.command).toBe('show ospf neighbor');
    expect(readerFor('linux', 'ospf')?.command).toBe('show ip ospf neighbor');
    expect(readerFor('eos', 'ospf')).toBeUndefined();
    expect(readerFor('srlinux', 'bgp')).toBeUndefined();
  });
});

describe('link verdicts from both ends', () => {
  const junos = (xml: string) => ({ kind: 'report' as const, report: parseJunosOspf(xml), driver: 'junos' as const });
  const r2 = junos(JUNOS_OSPF);

  it('is up when both ends report Full on the link interfaces, down when one end is not Full', () => {
    const r1 = junos(JUNOS_OSPF.replace('ge-0/0/0.0', 'ge-0/0/5.0').replace('ge-0/0/1.0', 'ge-0/0/1.0'));
    expect(adjacencyOf({ node: 'r2', iface: 'ge-0/0/0' }, { node: 'r1', iface: 'ge-0/0/5' }, r2, r1, 'ospf')).toEqual({ a: 'full', z: 'full', verdict: 'up' });
    expect(adjacencyOf({ node: 'r2', iface: 'ge-0/0/1' }, { node: 'r3', iface: 'ge-0/0/0' }, r2, r1, 'ospf').verdict).toBe('down');
  });

  it('matches the containerlab port name eth1 to ge-0/0/0 on Junos', () => {
    expect(adjacencyOf({ node: 'r2', iface: 'eth1' }, { node: 'x', iface: 'e' }, r2, { kind: 'unknown' }, 'ospf').a).toBe('full');
  });

  it('fails a link with an unreachable end, or a missing neighbour facing a router; not one facing a host', () => {
    expect(adjacencyOf({ node: 'r2', iface: 'ge-0/0/0' }, { node: 'r1', iface: 'x' }, r2, { kind: 'unreachable' }, 'ospf')).toEqual({ a: 'full', z: 'unreachable', verdict: 'down' });
    expect(adjacencyOf({ node: 'r2', iface: 'ge-0/0/7' }, { node: 'r1', iface: 'ge-0/0/5' }, r2, r2, 'ospf').verdict).toBe('down');
    expect(adjacencyOf({ node: 'r2', iface: 'ge-0/0/7' }, { node: 'h1', iface: 'eth1' }, r2, { kind: 'unknown' }, 'ospf')).toEqual({ a: 'missing', z: 'unknown', verdict: 'unknown' });
    expect(linkVerdict('unknown', 'unknown')).toBe('unknown');
  });

  it('pairs numbered BGP sessions by router ID', () => {
    const a = { kind: 'report' as const, report: parseJunosBgp(JUNOS_BGP), driver: 'junos' as const };
    const z = { kind: 'report' as const, report: { localId: '10.255.0.1', neighbors: [{ iface: '', state: 'full' as const, peerId: '10.255.0.2', raw: 'Established' }] }, driver: 'junos' as const };
    expect(adjacencyOf({ node: 'r2', iface: 'ge-0/0/0' }, { node: 'r1', iface: 'ge-0/0/0' }, a, z, 'bgp')).toEqual({ a: 'full', z: 'full', verdict: 'up' });
  });
});

describe('stored node state', () => {
  const now = new Date('2026-12-07T04:00:00Z');
  const at = (min: number) => new Date(now.getTime() - min * 60_000);
  const exec = (min: number, ok: boolean, errorCode?: string) => ({ lab: 'l', name: 'n', requestId: 'r', command: 'show version', ok, errorCode, durationMs: 1, outputBytes: 0, startedAt: at(min) });

  it('takes the newest of the facts read, a failed read and the last exec', () => {
    const facts = { lab: 'l', name: 'n', facts: undefined, readAt: at(30), error: undefined };
    expect(storedState(facts, undefined, now)).toEqual({ state: 'reachable', why: 'facts read 30 min ago' });
    expect(storedState(facts, exec(5, false, 'timeout'), now)).toEqual({ state: 'unreachable', why: 'last exec 5 min ago: timeout' });
    expect(storedState(facts, exec(50, false, 'timeout'), now).state).toBe('reachable');
    // A device that refused a command answered: it is reachable.
    expect(storedState(undefined, exec(1, false, 'rejected'), now).state).toBe('reachable');
    expect(storedState({ ...facts, error: { code: 'unreachable', message: 'x', at: at(2) } }, undefined, now).state).toBe('unreachable');
    expect(storedState(undefined, undefined, now).state).toBe('unknown');
  });
});
