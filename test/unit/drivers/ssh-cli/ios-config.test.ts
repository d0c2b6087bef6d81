import { describe, expect, it } from 'vitest';
import { configLines } from '../../../../src/drivers/ssh-cli/config-input.js';
import { diffStatements } from '../../../../src/drivers/ssh-cli/diff-statements.js';
import { canonicalSection, iosDiff, mergeLines, parseIosConfig, type IosNode } from '../../../../src/drivers/ssh-cli/ios-config.js';

const ctx = { node: 'r1', lab: 'lab', operation: 'plan' } as never;

/** An IOL running-config as `show running-config` prints it (header, `!` separators, a banner, `end`). */
const IOL_RUNNING = `Building configuration...

Current configuration : 2214 bytes
!
! Last configuration change at 09:12:40 UTC Mon Dec 7 2026 by admin
!
version 17.12
service timestamps debug datetime msec
service timestamps log datetime msec
!
hostname r1
!
boot-start-marker
boot-end-marker
!
no aaa new-model
!
no ip domain lookup
ip domain name lab.example
ip cef
!
username admin privilege 15 secret 9 $9$Fq3kLm8p2XzQ1w$AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg
!
archive
 path unix:archive
 maximum 14
!
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
!
interface Ethernet0/0
 description mgmt
 vrf forwarding clab-mgmt
 ip address 172.20.20.2 255.255.255.0
!
interface Ethernet0/1
 description to-r2
 ip address 10.0.12.1 255.255.255.0
 ip ospf network point-to-point
 ip ospf cost 10
!
interface Ethernet0/2
 no ip address
 shutdown
!
router ospf 1
 router-id 10.255.0.1
 passive-interface Loopback0
 network 10.0.12.0 0.0.0.255 area 0
 network 10.255.0.1 0.0.0.0 area 0
!
router bgp 65001
 bgp log-neighbor-changes
 neighbor 10.255.0.2 remote-as 65001
 neighbor 10.255.0.2 update-source Loopback0
 !
 address-family ipv4
  network 10.255.0.1 mask 255.255.255.255
  neighbor 10.255.0.2 activate
 exit-address-family
!
ip route 0.0.0.0 0.0.0.0 172.20.20.1
!
banner motd ^C
*** r1: lab router ***
!
Authorized access only
^C
!
line con 0
 logging synchronous
line vty 0 4
 login local
 transport input ssh
!
end
`;

/** An XRd running-config: timestamp header, `!!` comments, ` !` block ends, a route-policy. */
const XR_RUNNING = `Mon Dec  7 10:15:02.114 UTC
Building configuration...
!! IOS XR Configuration 24.1.1
!! Last configuration change at Mon Dec  7 10:14:40 2026 by clab
!
hostname xrd1
interface Loopback0
 ipv4 address 10.255.0.11 255.255.255.255
!
interface GigabitEthernet0/0/0/0
 description to-xrd2
 ipv4 address 10.0.1.1 255.255.255.0
!
route-policy PASS
  pass
end-policy
!
router ospf 1
 router-id 10.255.0.11
 area 0
  interface Loopback0
   passive enable
  !
  interface GigabitEthernet0/0/0/0
   cost 10
   network point-to-point
  !
 !
!
router bgp 65000
 bgp router-id 10.255.0.11
 address-family ipv4 unicast
 !
 neighbor 10.255.0.12
  remote-as 65000
  address-family ipv4 unicast
   route-policy PASS in
  !
 !
!
end
`;

/** The tree as indented lines, for readable expectations. */
function render(nodes: readonly IosNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${' '.repeat(depth)}${n.line}`, ...(n.text ?? []).map((t) => `${' '.repeat(depth + 1)}${t}`), ...render(n.children, depth + 1)]);
}

function plan(running: string, candidate: string): string[] {
  const tree = parseIosConfig(running);
  return iosDiff(tree, mergeLines(tree, configLines(candidate, ctx)));
}

describe('parseIosConfig: show running-config → hierarchy', () => {
  it('reads an IOL configuration: header, separators and end are not configuration', () => {
    const tree = parseIosConfig(IOL_RUNNING);
    expect(tree[0]?.line).toBe('version 17.12');
    expect(tree.map((n) => n.line)).not.toContain('Building configuration...');
    expect(tree.map((n) => n.line)).not.toContain('end');
    expect(tree.at(-1)?.line).toBe('line vty 0 4');
    const eth1 = tree.find((n) => n.line === 'interface Ethernet0/1');
    expect(eth1?.children.map((c) => c.line)).toEqual(['description to-r2', 'ip address 10.0.12.1 255.255.255.0', 'ip ospf network point-to-point', 'ip ospf cost 10']);
  });

  it('nests address families and drops exit-address-family', () => {
    const bgp = parseIosConfig(IOL_RUNNING).find((n) => n.line === 'router bgp 65001');
    expect(render(bgp?.children ?? [])).toEqual([
      'bgp log-neighbor-changes',
      'neighbor 10.255.0.2 remote-as 65001',
      'neighbor 10.255.0.2 update-source Loopback0',
      'address-family ipv4',
      ' network 10.255.0.1 mask 255.255.255.255',
      ' neighbor 10.255.0.2 activate',
    ]);
  });

  it('keeps a banner as one node, `!` lines of its text included', () => {
    const banner = parseIosConfig(IOL_RUNNING).find((n) => n.line.startsWith('banner'));
    expect(banner).toEqual({ line: 'banner motd ^C', children: [], text: ['*** r1: lab router ***', '!', 'Authorized access only', '^C'] });
    // The lines after the banner are configuration again.
    expect(parseIosConfig(IOL_RUNNING).some((n) => n.line === 'Authorized access only')).toBe(false);
    expect(parseIosConfig('banner login #Keep out#\nhostname r9\n')).toEqual([
      { line: 'banner login #Keep out#', children: [], text: [] },
      { line: 'hostname r9', children: [] },
    ]);
  });

  it('reads an IOS-XR configuration: timestamp, !! comments, nested blocks and end-policy', () => {
    const tree = parseIosConfig(XR_RUNNING);
    expect(tree.map((n) => n.line)).toEqual([
      'hostname xrd1',
      'interface Loopback0',
      'interface GigabitEthernet0/0/0/0',
      'route-policy PASS',
      'router ospf 1',
      'router bgp 65000',
    ]);
    expect(render(tree.filter((n) => n.line === 'route-policy PASS'))).toEqual(['route-policy PASS', ' pass', ' end-policy']);
    expect(render(tree.filter((n) => n.line === 'router ospf 1'))).toEqual([
      'router ospf 1',
      ' router-id 10.255.0.11',
      ' area 0',
      '  interface Loopback0',
      '   passive enable',
      '  interface GigabitEthernet0/0/0/0',
      '   cost 10',
      '   network point-to-point',
    ]);
  });

  it('an empty or header-only text is an empty configuration; nothing after `end` is read', () => {
    expect(parseIosConfig('')).toEqual([]);
    expect(parseIosConfig('Building configuration...\n\nCurrent configuration : 10 bytes\n!\nend\n')).toEqual([]);
    expect(parseIosConfig('hostname r1\nend\nr1#show clock\n')).toEqual([{ line: 'hostname r1', children: [] }]);
  });
});

describe('the IOS plan: running-config + candidate lines → diff', () => {
  it('a new setting in an existing interface shows under its section', () => {
    expect(plan(IOL_RUNNING, 'interface Ethernet0/2\n description spare\n')).toEqual(['   interface Ethernet0/2', '+   description spare']);
  });

  it('a new value replaces the old one', () => {
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n ip ospf cost 20\n')).toEqual(['   interface Ethernet0/1', '-   ip ospf cost 10', '+   ip ospf cost 20']);
    expect(plan(IOL_RUNNING, 'hostname r1-new\n')).toEqual(['-  hostname r1', '+  hostname r1-new']);
  });

  it('`no` removes the line it names, with or without its value', () => {
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n no ip ospf cost\n')).toEqual(['   interface Ethernet0/1', '-   ip ospf cost 10']);
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n no ip ospf cost 10\n')).toEqual(['   interface Ethernet0/1', '-   ip ospf cost 10']);
    expect(plan(IOL_RUNNING, 'interface Ethernet0/2\n no shutdown\n')).toEqual(['   interface Ethernet0/2', '-   shutdown']);
  });

  it('`no` on a section line removes the whole section', () => {
    expect(plan(IOL_RUNNING, 'no router ospf 1\n')).toEqual([
      '-  router ospf 1',
      '-   router-id 10.255.0.1',
      '-   passive-interface Loopback0',
      '-   network 10.0.12.0 0.0.0.255 area 0',
      '-   network 10.255.0.1 0.0.0.0 area 0',
    ]);
    expect(plan(IOL_RUNNING, 'router bgp 65001\n no neighbor 10.255.0.2\n')).toEqual([
      '   router bgp 65001',
      '-   neighbor 10.255.0.2 remote-as 65001',
      '-   neighbor 10.255.0.2 update-source Loopback0',
    ]);
  });

  it('a `no` that removes nothing is shown as the negation IOS prints, except the ones it never prints', () => {
    expect(plan(IOL_RUNNING, 'no ip http server\n')).toEqual(['+  no ip http server']);
    expect(plan(IOL_RUNNING, 'no ip domain lookup\n')).toEqual([]);
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n no shutdown\n')).toEqual([]);
    // The positive form removes a printed negation.
    expect(plan(IOL_RUNNING, 'ip domain lookup\n')).toEqual(['-  no ip domain lookup']);
  });

  it('`default` removes like `no` and adds nothing', () => {
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n default ip ospf network\n')).toEqual(['   interface Ethernet0/1', '-   ip ospf network point-to-point']);
    expect(plan(IOL_RUNNING, 'default ip http server\n')).toEqual([]);
  });

  it('lines like others are added beside them, not over them', () => {
    expect(plan(IOL_RUNNING, 'router ospf 1\n network 10.0.13.0 0.0.0.255 area 0\n')).toEqual(['   router ospf 1', '+   network 10.0.13.0 0.0.0.255 area 0']);
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n ip address 10.0.99.1 255.255.255.0 secondary\n')).toEqual(['   interface Ethernet0/1', '+   ip address 10.0.99.1 255.255.255.0 secondary']);
    expect(plan(IOL_RUNNING, 'ip route 10.9.0.0 255.255.0.0 10.0.12.2\n')).toEqual(['+  ip route 10.9.0.0 255.255.0.0 10.0.12.2']);
  });

  it('a new section is added whole; nested sections are opened where they are', () => {
    expect(plan(IOL_RUNNING, 'interface Loopback1\n ip address 10.255.1.1 255.255.255.255\n!\n')).toEqual([
      '+  interface Loopback1',
      '+   ip address 10.255.1.1 255.255.255.255',
    ]);
    expect(plan(IOL_RUNNING, 'router bgp 65001\n address-family ipv4\n  network 10.0.12.0 mask 255.255.255.0\n exit-address-family\n')).toEqual([
      '   router bgp 65001',
      '    address-family ipv4',
      '+    network 10.0.12.0 mask 255.255.255.0',
    ]);
  });

  it('short interface names open the section running-config prints', () => {
    expect(canonicalSection('int eth0/1')).toBe('interface Ethernet0/1');
    expect(canonicalSection('interface gi0/0/0/0')).toBe('interface GigabitEthernet0/0/0/0');
    expect(canonicalSection('interface Lo0')).toBe('interface Loopback0');
    expect(canonicalSection('interface T1')).toBe('interface T1');
    expect(canonicalSection('router ospf 1')).toBe('router ospf 1');
    expect(plan(IOL_RUNNING, 'int eth0/1\n ip ospf cost 30\n')).toEqual(['   interface Ethernet0/1', '-   ip ospf cost 10', '+   ip ospf cost 30']);
  });

  it('lines already in running change nothing', () => {
    expect(plan(IOL_RUNNING, 'interface Ethernet0/1\n description to-r2\n ip ospf cost 10\n!\nhostname r1\n')).toEqual([]);
  });

  it('a changed banner is replaced whole', () => {
    const tree = parseIosConfig(IOL_RUNNING);
    const other = parseIosConfig(IOL_RUNNING.replace('Authorized access only', 'Lab use only'));
    expect(iosDiff(tree, other)).toEqual([
      '-  banner motd ^C',
      '-   *** r1: lab router ***',
      '-   !',
      '-   Authorized access only',
      '-   ^C',
      '+  banner motd ^C',
      '+   *** r1: lab router ***',
      '+   !',
      '+   Lab use only',
      '+   ^C',
    ]);
  });

  it('compares two XR configurations (a rollback plan) through nested blocks', () => {
    const before = parseIosConfig(XR_RUNNING);
    const after = parseIosConfig(XR_RUNNING.replace('   cost 10\n', '   cost 20\n').replace('  remote-as 65000\n', '  remote-as 65000\n  description ibgp\n'));
    expect(iosDiff(before, after)).toEqual([
      '   router ospf 1',
      '    area 0',
      '     interface GigabitEthernet0/0/0/0',
      '-     cost 10',
      '+     cost 20',
      '   router bgp 65000',
      '    neighbor 10.255.0.12',
      '+    description ibgp',
    ]);
  });

  it('the diff is what the config_deny statements are read from', () => {
    const diff = plan(IOL_RUNNING, 'no router ospf 1\ninterface Ethernet0/1\n ip ospf cost 20\nsnmp-server community lab RO\n');
    expect(diffStatements(`${diff.join('\n')}\n`)).toEqual([
      'delete router ospf 1',
      'delete interface Ethernet0/1 ip ospf cost 10',
      'set interface Ethernet0/1 ip ospf cost 20',
      'set snmp-server community lab RO',
    ]);
  });

  it('does not change the running tree it was given', () => {
    const tree = parseIosConfig(IOL_RUNNING);
    const copy = JSON.stringify(tree);
    mergeLines(tree, configLines('no router ospf 1\ninterface Ethernet0/1\n ip ospf cost 20\n', ctx));
    expect(JSON.stringify(tree)).toBe(copy);
  });
});

describe('configLines: banners', () => {
  it('takes a banner closed on its own line', () => {
    expect(configLines('banner motd #Lab router#\nhostname r1\n', ctx).map((l) => l.text)).toEqual(['banner motd #Lab router#', 'hostname r1']);
  });

  it('refuses a banner over several lines, whose text the device reads without a prompt, and says how to write it', () => {
    for (const text of ['banner motd ^C\nLab router\n^C\n', 'banner login #\nKeep out\n#\n']) {
      expect(() => configLines(text, ctx)).toThrow(/line 1 \(`banner \w+ (\^C|#)`\) starts a banner that goes on over several lines \(write it on one line between two delimiters: `banner motd #Lab router#`\); a multi-line banner is not supported/);
    }
  });
});
