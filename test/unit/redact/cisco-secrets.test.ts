import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, learnSecrets, redactText } from '../../../src/redact/index.js';

afterEach(() => clearRegisteredSecrets());

/** Every secret in the configurations below, each unique so a hit can only mean a leak. */
const IOS_SECRETS = {
  enableSecret: '$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM',
  enableLevel: 'LevelPassAlpha',
  userSecret: '$9$Fq3kLm8p2XzQ1w$AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg',
  userClear: 'OpsClearBravo',
  userType7: '0822455D0A16',
  keyString: '070C285F4D06',
  keyring: 'KeyringCharlie',
  isakmp: 'IsakmpDelta',
  ikeLocal: 'IkeLocalEcho',
  ikeRemote: 'IkeRemoteFoxtrot',
  ospfMd5: '02050D480809',
  ospfKey: '1511021F0725',
  hsrp: 'HsrpGolf',
  isisIf: 'IsisHotel',
  vrrp: 'VrrpIndia',
  area: 'AreaJuliet',
  domain: 'DomainKilo',
  bgp: '104D000A0618',
  communityRo: 'PublicLima',
  communityRw: 'PrivMike',
  trapHost: 'HostNovember',
  trapHostV1: 'HostOscar',
  snmpAuth: 'AuthPapa',
  snmpPriv: 'PrivQuebec',
  tacacsInline: '0832585B1910',
  tacacsGlobal: '045802150C2E',
  tacacsServer: '121A0C0411045D5679',
  radiusServer: 'RadiusSierra',
  l2tp: '13061E010803',
  vty: '060506324F41',
  ntp: '110A1016141D',
};

const IOS_CONFIG = `Building configuration...

Current configuration : 3120 bytes
!
! Last configuration change at 10:04:11 UTC Mon Dec 7 2026 by admin
!
version 17.12
service timestamps debug datetime msec
hostname iol1
!
enable secret 9 ${IOS_SECRETS.enableSecret}
enable password level 5 ${IOS_SECRETS.enableLevel}
!
username admin privilege 15 secret 9 ${IOS_SECRETS.userSecret}
username ops password 0 ${IOS_SECRETS.userClear}
username old privilege 1 password 7 ${IOS_SECRETS.userType7}
!
key chain OSPF-KC
 key 1
  key-string 7 ${IOS_SECRETS.keyString}
  cryptographic-algorithm hmac-sha-256
!
crypto keyring KR
  pre-shared-key address 10.0.0.2 key ${IOS_SECRETS.keyring}
crypto isakmp key 0 ${IOS_SECRETS.isakmp} address 10.0.0.3
crypto ikev2 keyring IKR
 peer R2
  address 10.0.0.2
  pre-shared-key local ${IOS_SECRETS.ikeLocal}
  pre-shared-key remote ${IOS_SECRETS.ikeRemote}
 !
!
interface Ethernet0/1
 description to-xrd1
 ip address 10.0.12.1 255.255.255.0
 ip ospf message-digest-key 1 md5 7 ${IOS_SECRETS.ospfMd5}
 ip ospf authentication-key 7 ${IOS_SECRETS.ospfKey}
 standby 1 ip 10.0.12.254
 standby 1 authentication ${IOS_SECRETS.hsrp}
 isis password ${IOS_SECRETS.isisIf}
 vrrp 2 authentication text ${IOS_SECRETS.vrrp}
!
interface Ethernet0/2
 standby 2 authentication md5 key-chain HSRP-KC
 ip ospf authentication message-digest
!
router isis CORE
 net 49.0001.0000.0000.0001.00
 area-password ${IOS_SECRETS.area}
 domain-password ${IOS_SECRETS.domain}
!
router bgp 65001
 bgp log-neighbor-changes
 neighbor 10.0.0.2 remote-as 65002
 neighbor 10.0.0.2 password 7 ${IOS_SECRETS.bgp}
 neighbor 10.0.0.2 send-community both
!
snmp-server community ${IOS_SECRETS.communityRo} RO
snmp-server community ${IOS_SECRETS.communityRw} RW 10
snmp-server host 10.0.0.9 version 2c ${IOS_SECRETS.trapHost}
snmp-server host 10.0.0.10 ${IOS_SECRETS.trapHostV1}
snmp-server host 10.0.0.11 version 3 priv v3user
snmp-server user u1 g1 v3 auth sha ${IOS_SECRETS.snmpAuth} priv aes 128 ${IOS_SECRETS.snmpPriv}
tacacs-server host 10.1.1.1 key 7 ${IOS_SECRETS.tacacsInline}
tacacs-server key 7 ${IOS_SECRETS.tacacsGlobal}
tacacs server ISE
 address ipv4 10.1.1.2
 key 7 ${IOS_SECRETS.tacacsServer}
radius server RAD1
 address ipv4 10.1.1.3 auth-port 1812 acct-port 1813
 key ${IOS_SECRETS.radiusServer}
l2tp-class L2
 password 7 ${IOS_SECRETS.l2tp}
ntp authentication-key 1 md5 ${IOS_SECRETS.ntp} 7
!
line vty 0 4
 password 7 ${IOS_SECRETS.vty}
 login
 transport input ssh
!
end`;

const XR_SECRETS = {
  userSecret: '$6$X1.Fz0Rk1dOiF0..$AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzAB',
  userType7: '094F471A1A0A',
  tacacs: '01100F175804',
  radius: '05080F1C2243',
  serverPrivate: '00071A150754',
  keyString: 'XrKeyStringXray',
  community: 'XrCommYankee',
  communityMap: 'XrMapZulu',
  trapHost: 'XrTrapHostAlpha',
  ospf: '0205085A1F0E',
  lsp: '13061E0108035A',
  hello: '1511021F07257A',
  bgp: '104D000A0618B1',
  bgpGroup: '0822455D0A16C2',
};

const XR_CONFIG = `Mon Dec  7 10:15:02.114 UTC
Building configuration...
!! IOS XR Configuration 24.1.1
!! Last configuration change at Mon Dec  7 10:14:40 2026 by clab
!
hostname xrd1
username clab
 group root-lr
 group cisco-support
 secret 10 ${XR_SECRETS.userSecret}
!
username legacy
 group operator
 password 7 ${XR_SECRETS.userType7}
!
tacacs-server host 10.1.1.1 port 49
 key 7 ${XR_SECRETS.tacacs}
!
radius-server host 10.1.1.3 auth-port 1812 acct-port 1813
 key 7 ${XR_SECRETS.radius}
!
aaa group server tacacs+ TAC
 server-private 10.1.1.5 port 49
  key 7 ${XR_SECRETS.serverPrivate}
 !
!
key chain KC1
 key 1
  key-string password ${XR_SECRETS.keyString}
  cryptographic-algorithm HMAC-MD5
 !
!
snmp-server community ${XR_SECRETS.community} RO
snmp-server community-map ${XR_SECRETS.communityMap} context c1
snmp-server host 10.0.0.9 traps version 2c ${XR_SECRETS.trapHost}
interface GigabitEthernet0/0/0/0
 ipv4 address 10.0.12.2 255.255.255.0
!
router ospf 1
 area 0
  interface GigabitEthernet0/0/0/0
   authentication message-digest
   message-digest-key 1 md5 encrypted ${XR_SECRETS.ospf}
  !
 !
!
router isis core
 lsp-password hmac-md5 encrypted ${XR_SECRETS.lsp}
 interface GigabitEthernet0/0/0/1
  hello-password hmac-md5 encrypted ${XR_SECRETS.hello}
  hello-password keychain KC1
 !
!
router bgp 65000
 neighbor-group IBGP
  remote-as 65000
  password encrypted ${XR_SECRETS.bgpGroup}
 !
 neighbor 10.0.0.1
  remote-as 65001
  password encrypted ${XR_SECRETS.bgp}
 !
 neighbor 10.0.0.3
  use neighbor-group IBGP
  password inheritance-disable
 !
!
end`;

describe('Cisco IOS running-config (dialects/ios.ts and shapes)', () => {
  it('hides every secret value', () => {
    const out = redactText(IOS_CONFIG);
    for (const [name, secret] of Object.entries(IOS_SECRETS)) expect(out, name).not.toContain(secret);
    expect(redactText(out)).toBe(out);
  });

  it('keeps each statement readable: keyword, encryption type and what follows the value stay', () => {
    const out = redactText(IOS_CONFIG).split('\n');
    for (const line of [
      'enable secret 9 <redacted>',
      'enable password level 5 <redacted>',
      'username admin privilege 15 secret 9 <redacted>',
      '  key-string 7 <redacted>',
      '  pre-shared-key address 10.0.0.2 key <redacted>',
      'crypto isakmp key 0 <redacted> address 10.0.0.3',
      '  pre-shared-key local <redacted>',
      '  pre-shared-key remote <redacted>',
      ' ip ospf message-digest-key 1 md5 7 <redacted>',
      ' standby 1 authentication <redacted>',
      ' isis password <redacted>',
      ' area-password <redacted>',
      ' neighbor 10.0.0.2 password 7 <redacted>',
      'snmp-server community <redacted> RW 10',
      'snmp-server host 10.0.0.9 version 2c <redacted>',
      'snmp-server host 10.0.0.10 <redacted>',
      'snmp-server user u1 g1 v3 auth sha <redacted> priv aes 128 <redacted>',
      'tacacs server ISE',
      ' key 7 <redacted>',
      ' key <redacted>',
      ' password 7 <redacted>',
      'ntp authentication-key 1 md5 <redacted> 7',
    ]) {
      expect(out, line).toContain(line);
    }
  });

  it('leaves statements without a secret as they are', () => {
    const out = redactText(IOS_CONFIG).split('\n');
    for (const line of [
      ' key 1',
      '  cryptographic-algorithm hmac-sha-256',
      ' standby 2 authentication md5 key-chain HSRP-KC',
      ' ip ospf authentication message-digest',
      'snmp-server host 10.0.0.11 version 3 priv v3user',
      ' neighbor 10.0.0.2 send-community both',
      ' address ipv4 10.1.1.3 auth-port 1812 acct-port 1813',
      'radius server RAD1',
    ]) {
      expect(out, line).toContain(line);
    }
  });

  it('finds a key by its block: the same ` key X` line outside tacacs/radius is left alone', () => {
    expect(redactText('radius server RAD1\n key Plain-Radius-Key')).toBe('radius server RAD1\n key <redacted>');
    expect(redactText('key chain KC\n key 7')).toBe('key chain KC\n key 7');
    // A `!` ends the block: the next indented line belongs elsewhere.
    expect(redactText('tacacs server T\n!\ninterface Loopback0\n key-chain-name x')).toContain('key-chain-name x');
  });
});

describe('Cisco IOS-XR running-config (dialects/xr.ts and shapes)', () => {
  it('hides every secret value', () => {
    const out = redactText(XR_CONFIG);
    for (const [name, secret] of Object.entries(XR_SECRETS)) expect(out, name).not.toContain(secret);
    expect(redactText(out)).toBe(out);
  });

  it('keeps each statement readable, and keywords that stand where a value would', () => {
    const out = redactText(XR_CONFIG).split('\n');
    for (const line of [
      ' secret 10 <redacted>',
      ' password 7 <redacted>',
      ' key 7 <redacted>',
      '  key 7 <redacted>',
      '  key-string password <redacted>',
      'snmp-server community-map <redacted> context c1',
      'snmp-server host 10.0.0.9 traps version 2c <redacted>',
      '   message-digest-key 1 md5 encrypted <redacted>',
      ' lsp-password hmac-md5 encrypted <redacted>',
      '  hello-password hmac-md5 encrypted <redacted>',
      '  hello-password keychain KC1',
      '  password encrypted <redacted>',
      '  password inheritance-disable',
      ' key 1',
    ]) {
      expect(out, line).toContain(line);
    }
  });
});

/** A plan's diff as the IOS driver shows it (unified, one marker column) and XR's `show commit changes diff`. */
const IOS_DIFF = `--- running-config
+++ candidate
@@ -3,2 +3,4 @@
 tacacs server ISE
-  key 7 ${IOS_SECRETS.tacacsServer}
+  key 7 0A1B2C3D4E5F60
 interface Ethernet0/1
+ ip ospf message-digest-key 2 md5 ${IOS_SECRETS.ospfMd5}
+snmp-server community ${IOS_SECRETS.communityRo} RO`;

const XR_DIFF = `Building configuration...
!! IOS XR Configuration 24.1.1
+  tacacs-server host 10.1.1.9 port 49
+   key 7 ${XR_SECRETS.tacacs}
   !
   router bgp 65000
    neighbor 10.0.0.1
-    password encrypted ${XR_SECRETS.bgp}
+    password encrypted ${XR_SECRETS.bgpGroup}
    !
   !
end`;

describe('Cisco diffs keep their markers and lose their secrets', () => {
  it('IOS plan diff (unified)', () => {
    const out = redactText(IOS_DIFF);
    for (const secret of [IOS_SECRETS.tacacsServer, '0A1B2C3D4E5F60', IOS_SECRETS.ospfMd5, IOS_SECRETS.communityRo]) expect(out).not.toContain(secret);
    expect(out).toContain('\n-  key 7 <redacted>\n+  key 7 <redacted>\n');
    expect(out).toContain('+ ip ospf message-digest-key 2 md5 <redacted>');
    expect(out).toContain('+snmp-server community <redacted> RO');
  });

  it('IOS-XR show commit changes diff', () => {
    const out = redactText(XR_DIFF);
    for (const secret of [XR_SECRETS.tacacs, XR_SECRETS.bgp, XR_SECRETS.bgpGroup]) expect(out).not.toContain(secret);
    expect(out).toContain('+   key 7 <redacted>');
    expect(out).toContain('-    password encrypted <redacted>');
    expect(out).toContain('+    password encrypted <redacted>');
  });
});

describe('value masking for Cisco output a pipe cut from its block', () => {
  // `show running-config | include key`, `| utility`-free cuts the user can make with safe pipes.
  const CUT = [` key 7 ${IOS_SECRETS.tacacsServer}`, ` key ${IOS_SECRETS.radiusServer}`, `  key 7 ${XR_SECRETS.serverPrivate}`, ` key 7 ${XR_SECRETS.tacacs}`];

  it('without the configuration a cut ` key X` line leaks (why the value layer exists)', () => {
    expect(redactText(CUT[0]!)).toContain(IOS_SECRETS.tacacsServer);
  });

  it.each([
    ['IOS', IOS_CONFIG, Object.keys(IOS_SECRETS).length],
    ['IOS-XR', XR_CONFIG, Object.keys(XR_SECRETS).length],
  ])('after learning the %s running-config, no cut line shows a secret', (_name, config, count) => {
    expect(learnSecrets(config)).toBe(count);
    for (const line of CUT.filter((l) => config.includes(l.trim()))) expect(redactText(line), line).toMatch(/^ +key (7 )?<redacted>$/);
  });

  it('never learns a keyword as a secret', () => {
    learnSecrets(XR_CONFIG);
    expect(redactText('neighbor 10.0.0.4\n password inheritance-disable')).toContain('password inheritance-disable');
    expect(redactText('key chain KC1')).toBe('key chain KC1');
  });
});

describe('idempotent after escaping for Slack', () => {
  it.each([IOS_CONFIG, XR_CONFIG, IOS_DIFF, XR_DIFF])('a redacted Cisco text escaped for mrkdwn comes through unchanged', (text) => {
    const escaped = redactText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(redactText(escaped)).toBe(escaped);
  });
});
