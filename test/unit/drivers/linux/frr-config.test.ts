import { describe, expect, it } from 'vitest';
import { changeCommands, diffFrrConfig, FrrConfigError, parseFrrConfig, renderFrrDiff } from '../../../../src/drivers/linux/frr-config.js';

/** `show running-config` of FRR 8.4 in a lab router (banner already stripped). */
const RUNNING = `!
frr version 8.4.4
frr defaults traditional
hostname r2
no ipv6 forwarding
service integrated-vtysh-config
!
interface eth1
 ip ospf dead-interval 4
 ip ospf hello-interval 1
 ip ospf network point-to-point
exit
!
interface lo
 ip address 10.255.1.2/32
exit
!
router ospf
 ospf router-id 10.255.1.2
 network 10.0.0.0/8 area 0
exit
!
route-map OLD permit 10
 set metric 5
exit
!
router bgp 65001
 neighbor 10.1.1.1 remote-as 65002
 !
 address-family ipv4 unicast
  network 10.9.0.0/24
 exit-address-family
exit
!
end
`;

describe('FRR config contexts (as frr-reload.py sees them)', () => {
  it('parses contexts, nested address-families and top-level lines; ignores version/defaults/end', () => {
    const cfg = parseFrrConfig(RUNNING);
    const paths = cfg.contexts.map((c) => c.path.join(' > '));
    expect(paths).toEqual([
      'hostname r2', 'no ipv6 forwarding', 'interface eth1', 'interface lo', 'router ospf', 'route-map OLD permit 10',
      'router bgp 65001', 'router bgp 65001 > address-family ipv4 unicast',
    ]);
    expect(cfg.contexts.find((c) => c.path[0] === 'router ospf')?.lines).toEqual(['ospf router-id 10.255.1.2', 'network 10.0.0.0/8 area 0']);
    expect(cfg.contexts.at(-1)?.lines).toEqual(['network 10.9.0.0/24']);
  });

  it('merge adds lines to existing contexts and new contexts, and `no X` deletes X', () => {
    const candidate = parseFrrConfig('interface eth1\n ip ospf cost 50\n!\nroute-map NEW permit 10\n match interface eth1\nexit\nrouter ospf\n no network 10.0.0.0/8 area 0\n', { userText: true });
    const changes = diffFrrConfig(parseFrrConfig(RUNNING), candidate, 'merge');
    expect(renderFrrDiff(changes)).toBe(' interface eth1\n+ ip ospf cost 50\n+route-map NEW permit 10\n+ match interface eth1\n router ospf\n- network 10.0.0.0/8 area 0\n');
    expect(changeCommands(changes)).toBe('router ospf\n no network 10.0.0.0/8 area 0\nexit\ninterface eth1\n ip ospf cost 50\nexit\nroute-map NEW permit 10\n match interface eth1\nexit\n');
  });

  it('merge of lines already configured changes nothing', () => {
    const same = parseFrrConfig('router ospf\n network 10.0.0.0/8 area 0\n', { userText: true });
    expect(diffFrrConfig(parseFrrConfig(RUNNING), same, 'merge')).toEqual([]);
  });

  it('override deletes what the candidate lacks: lines, whole contexts, nested blocks; interfaces lose lines only', () => {
    const candidate = RUNNING.replace(' ip ospf hello-interval 1\n', '').replace(/route-map OLD[^!]*!\n/, '').replace('ip address 10.255.1.2/32', 'ip address 10.255.1.22/32');
    const changes = diffFrrConfig(parseFrrConfig(RUNNING), parseFrrConfig(candidate, { userText: true }), 'override');
    expect(renderFrrDiff(changes)).toBe('-route-map OLD permit 10\n- set metric 5\n interface eth1\n- ip ospf hello-interval 1\n interface lo\n- ip address 10.255.1.2/32\n+ ip address 10.255.1.22/32\n');
    expect(changeCommands(changes)).toBe('no route-map OLD permit 10\ninterface eth1\n no ip ospf hello-interval 1\nexit\ninterface lo\n no ip address 10.255.1.2/32\nexit\ninterface lo\n ip address 10.255.1.22/32\nexit\n');
    const noBgp = parseFrrConfig(RUNNING.replace(/router bgp[\s\S]*?\nexit\n/, ''), { userText: true });
    expect(changeCommands(diffFrrConfig(parseFrrConfig(RUNNING), noBgp, 'override'))).toBe('no router bgp 65001\n');
  });

  it('a top-level `no` line in running is undone by its positive form', () => {
    const candidate = parseFrrConfig(RUNNING.replace('no ipv6 forwarding\n', ''), { userText: true });
    expect(changeCommands(diffFrrConfig(parseFrrConfig(RUNNING), candidate, 'override'))).toBe('ipv6 forwarding\n');
  });

  it('nested address-family changes are entered and left with exit-address-family', () => {
    const candidate = parseFrrConfig('router bgp 65001\n address-family ipv4 unicast\n  network 10.8.0.0/24\n exit-address-family\nexit\n', { userText: true });
    const changes = diffFrrConfig(parseFrrConfig(RUNNING), candidate, 'merge');
    expect(renderFrrDiff(changes)).toBe(' router bgp 65001\n  address-family ipv4 unicast\n+  network 10.8.0.0/24\n');
    expect(changeCommands(changes)).toBe('router bgp 65001\n address-family ipv4 unicast\n  network 10.8.0.0/24\n exit-address-family\nexit\n');
  });

  it('refuses a user context whose lines are not indented (they would land in the wrong place)', () => {
    expect(() => parseFrrConfig('interface eth1\nip ospf cost 50\n', { userText: true })).toThrow(FrrConfigError);
    expect(() => parseFrrConfig('interface eth1\nip ospf cost 50\n', { userText: true })).toThrow(/indent the lines/);
  });
});
