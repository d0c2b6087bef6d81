import { afterEach, describe, expect, it } from 'vitest';
import {
  REDACTED,
  clearRegisteredSecrets,
  redactKnownSecrets,
  redactObject,
  redactText,
  registerSecret,
} from '../../../src/redact/index.js';

afterEach(() => clearRegisteredSecrets());

/** [line as a device or a log writes it, line as it may leave the process] */
const SECRET_LINES: [string, string][] = [
  // Junos, curly-brace form (show configuration), with the device's own SECRET-DATA marks
  ['        encrypted-password "$6$lB5c6$Hj3Bd8qKxv0pN1y2z3A4b5C6d7E8f9"; ## SECRET-DATA', '        encrypted-password "<redacted>"; ## SECRET-DATA'],
  ['    radius-server 10.0.0.5 secret "$9$dVbwgJZjqmTHk5Q"; ## SECRET-DATA', '    radius-server 10.0.0.5 secret "<redacted>"; ## SECRET-DATA'],
  ['                authentication-key "$9$Hk5QF/tpBIc"; ## SECRET-DATA', '                authentication-key "<redacted>"; ## SECRET-DATA'],
  ['            pre-shared-key ascii-text "$9$Y2oJDikqfz3"; ## SECRET-DATA', '            pre-shared-key ascii-text "<redacted>"; ## SECRET-DATA'],
  ['            pre-shared-key hexadecimal "0a1b2c3d4e5f"; ## SECRET-DATA', '            pre-shared-key hexadecimal "<redacted>"; ## SECRET-DATA'],
  ['    secret "plaintext-tacacs"; ## SECRET-DATA', '    secret "<redacted>"; ## SECRET-DATA'],
  ['          hello-authentication-key "$9$abcdefghijk";', '          hello-authentication-key "<redacted>";'],
  ['        authentication-password "v3-auth-pass"; ## SECRET-DATA', '        authentication-password "<redacted>"; ## SECRET-DATA'],
  ['        privacy-password "v3-priv-pass";', '        privacy-password "<redacted>";'],
  // Junos, set form (no SECRET-DATA marks)
  ['set system root-authentication encrypted-password "$6$abcdefgh$ijklmnopqrstuv"', 'set system root-authentication encrypted-password "<redacted>"'],
  ['set system root-authentication plain-text-password-value "Juniper123"', 'set system root-authentication plain-text-password-value "<redacted>"'],
  ['set system login user admin authentication encrypted-password "$1$abcdefgh$ijklmno"', 'set system login user admin authentication encrypted-password "<redacted>"'],
  ['set protocols bgp group ext authentication-key "$9$Hk5QF/tpBIcrlM"', 'set protocols bgp group ext authentication-key "<redacted>"'],
  ['set protocols ospf area 0 interface ge-0/0/0.0 authentication md5 1 key "$9$Hk5QF/tpBIc"', 'set protocols ospf area 0 interface ge-0/0/0.0 authentication md5 1 key "<redacted>"'],
  ['set security ike policy p1 pre-shared-key ascii-text "$9$Y2oJDikqfz36"', 'set security ike policy p1 pre-shared-key ascii-text "<redacted>"'],
  ['set snmp community public authorization read-only', 'set snmp community <redacted> authorization read-only'],
  ['set snmp v3 usm local-engine user u1 authentication-sha authentication-password "pw-12345"', 'set snmp v3 usm local-engine user u1 authentication-sha authentication-password "<redacted>"'],
  ['set access profile p1 client c1 chap-secret "$9$abcdefghijk"', 'set access profile p1 client c1 chap-secret "<redacted>"'],
  // Junos, one level per block, as some devices and the simulator show it (no SECRET-DATA marks)
  ['                            key Ospf-Md5-Key-Sigma9;', '                            key <redacted>;'],
  ['+                  key "plain md5 key";', '+                  key "<redacted>";'],
  ['                ascii-text Ike-Psk-Omega-4242;', '                ascii-text <redacted>;'],
  ['+                  hexadecimal 0a1b2c3d4e5f;', '+                  hexadecimal <redacted>;'],
  // Junos show | compare diffs: the key and the +/- stay
  ['+      encrypted-password "$6$new$abcdefghijklmnop"; ## SECRET-DATA', '+      encrypted-password "<redacted>"; ## SECRET-DATA'],
  ['-      encrypted-password "$6$old$abcdefghijklmnop"; ## SECRET-DATA', '-      encrypted-password "<redacted>"; ## SECRET-DATA'],
  ['[edit snmp community public]', '[edit snmp community <redacted>]'],
  // EOS / IOS
  ['username admin privilege 15 role network-admin secret sha512 $6$Xyz12345$abcdefghij', 'username admin privilege 15 role network-admin secret sha512 <redacted>'],
  ['username ops secret 0 PlainPass1', 'username ops secret 0 <redacted>'],
  ['enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0', 'enable secret 5 <redacted>'],
  ['enable secret sha512 $6$Xyz12345$abcdefghij', 'enable secret sha512 <redacted>'],
  ['enable password 7 0822455D0A16', 'enable password 7 <redacted>'],
  ['enable password cisco123', 'enable password <redacted>'],
  ['username bob password 0 hunter22', 'username bob password 0 <redacted>'],
  ['username bob privilege 15 password 7 0822455D0A16', 'username bob privilege 15 password 7 <redacted>'],
  [' password 7 1511021F0725', ' password 7 <redacted>'],
  ['   neighbor 10.0.0.1 password 7 ABCDEF0123==', '   neighbor 10.0.0.1 password 7 <redacted>'],
  ['snmp-server community public RO', 'snmp-server community <redacted> RO'],
  ['snmp-server community s3cret ro 10', 'snmp-server community <redacted> ro 10'],
  ['tacacs-server host 10.1.1.1 key 7 0832585B1910', 'tacacs-server host 10.1.1.1 key 7 <redacted>'],
  ['radius-server key 7 0832585B1910', 'radius-server key 7 <redacted>'],
  ['crypto isakmp key MySecretKey address 10.0.0.2', 'crypto isakmp key <redacted> address 10.0.0.2'],
  ['  key-string 7 0822455D0A16', '  key-string 7 <redacted>'],
  [' ip ospf message-digest-key 1 md5 7 02050D480809', ' ip ospf message-digest-key 1 md5 7 <redacted>'],
  [' ip ospf authentication-key 7 02050D480809', ' ip ospf authentication-key 7 <redacted>'],
  ['ntp authentication-key 1 md5 121A0C041104 7', 'ntp authentication-key 1 md5 <redacted> 7'],
  // unified diffs (the `diff` package) keep their markers
  ['- password 7 0822455D0A16', '- password 7 <redacted>'],
  ['+ password 7 1511021F0725', '+ password 7 <redacted>'],
  ['+snmp-server community newcomm RO', '+snmp-server community <redacted> RO'],
  // SR Linux
  ['set / system aaa authentication admin-user password NokiaSrl1!', 'set / system aaa authentication admin-user password <redacted>'],
  ['            password $y$j9T$abcdefghijklmnop$qrstuvwxyz', '            password <redacted>'],
  ['    "password": "$y$j9T$abcdefghijklmnop",', '    "password": "<redacted>",'],
  // hashes anywhere
  ['hash: $6$rounds=5000$abcdefghijklmnop', 'hash: <redacted>'],
  ['old value $9$dVbwgJZjqmTHk5Q was replaced', 'old value <redacted> was replaced'],
  // tokens and headers
  ['token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ok', 'token xoxb-<redacted> ok'],
  ['app token xapp-1-A0123456789-1234567890123-abcdef0123456789', 'app token xapp-<redacted>'],
  ['user token xoxp-1111-2222-3333-abcdef', 'user token xoxp-<redacted>'],
  ['refresh xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTA and xoxe-1-My0xLTEy', 'refresh xoxe.xoxp-<redacted> and xoxe-<redacted>'],
  ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'Authorization: Bearer <redacted>'],
  ['curl -H "authorization: Basic YWRtaW46YWRtaW4=" http://x', 'curl -H "authorization: Basic <redacted>" http://x'],
  ['sent bearer abcdefghijklmnop to the API', 'sent bearer <redacted> to the API'],
  ['CLAB_BOT_DB=postgres://clab:S3cr3t@db:5432/clab', 'CLAB_BOT_DB=postgres://clab:<redacted>@db:5432/clab'],
  ['SLACK_SIGNING_SECRET=8f14e45fceea167a5a36dedd4bea2543', 'SLACK_SIGNING_SECRET=<redacted>'],
  ['  password: admin@123', '  password: <redacted>'],
  ['{"user":"x","password":"hunter2","token":"t0k3n"}', '{"user":"x","password":"<redacted>","token":"<redacted>"}'],
  ['GET /hook?token=abcdef123&x=1', 'GET /hook?token=<redacted>&x=1'],
];

/** Lines that look close but hold no secret: they must come out unchanged. */
const CLEAN_LINES: string[] = [
  'show system authentication',
  'show configuration system login | display set',
  'show configuration | match "encrypted-password"',
  'show configuration | display set | match secret',
  'show running-config | include secret',
  'show snmp statistics',
  'show bgp neighbor 10.0.0.1 | match community',
  '    password-options {',
  '        password {',
  '            format sha512;',
  '            minimum-length 8;',
  'set system login password minimum-length 10',
  'set system login password change-type character-sets',
  'set system login password format sha512',
  '    authentication-order [ radius password ];',
  '    authentication-order [ password radius ];',
  'set system authentication-order password',
  'set system services ssh root-login deny-password',
  'set policy-options community NO-EXPORT members no-export',
  '    community BLOCK members 65000:666;',
  '   neighbor 10.0.0.1 send-community extended',
  ' set community 65000:100 additive',
  'username admin nopassword',
  'no enable secret',
  'tacacs-server host 10.1.1.1',
  'ip ospf authentication message-digest',
  'aaa authentication login default group tacacs+ local',
  'Your password will expire in 3 days',
  'max_tokens=5 tokens: 42',
  'price $9$ per month, echo $1$2',
  '    ssh-ed25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq admin@host";',
  'Physical interface: ge-0/0/0, Enabled, Physical link is Up',
  '            key 0 {',
  '        key-chain kc1 {',
  '    authentication-key-chains {',
  '',
];

describe('redactText: secret-bearing lines', () => {
  it.each(SECRET_LINES)('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [input] of SECRET_LINES) {
      const once = redactText(input);
      expect(redactText(once)).toBe(once);
    }
  });
});

describe('redactText: lines without secrets', () => {
  it.each(CLEAN_LINES)('%s', (line) => {
    expect(redactText(line)).toBe(line);
  });
});

describe('redactText: Junos hierarchy', () => {
  it('tells an SNMP community (a password) from a BGP community', () => {
    const config = [
      'snmp {',
      '    community public {',
      '        authorization read-only;',
      '    }',
      '}',
      'policy-options {',
      '    community BLOCK {',
      '        members 65000:666;',
      '    }',
      '}',
    ].join('\n');
    expect(redactText(config)).toBe(config.replace('community public {', 'community <redacted> {'));
  });

  it('recognises a community block shown without its snmp parent (show configuration snmp)', () => {
    const config = ['community s3cret {', '    authorization read-write;', '    clients {', '        10.0.0.0/8;', '    }', '}'].join('\n');
    expect(redactText(config).split('\n')[0]).toBe('community <redacted> {');
  });

  it('redacts communities added under an [edit snmp] diff header, not under [edit policy-options]', () => {
    const diff = ['[edit snmp]', '+   community s3cret {', '+       authorization read-only;', '+   }', '[edit policy-options]', '+   community BAR members 1:1;'].join('\n');
    expect(redactText(diff)).toBe(diff.replace('community s3cret {', 'community <redacted> {'));
  });

  it('keeps a whole show | compare readable', () => {
    const diff = [
      '[edit system login user bob authentication]',
      '-      encrypted-password "$6$old$abcdefghijklmnop"; ## SECRET-DATA',
      '+      encrypted-password "$6$new$abcdefghijklmnop"; ## SECRET-DATA',
      '[edit interfaces ge-0/0/0 unit 0 family inet]',
      '+       address 10.0.0.1/30;',
    ].join('\n');
    expect(redactText(diff)).toBe(
      [
        '[edit system login user bob authentication]',
        '-      encrypted-password "<redacted>"; ## SECRET-DATA',
        '+      encrypted-password "<redacted>"; ## SECRET-DATA',
        '[edit interfaces ge-0/0/0 unit 0 family inet]',
        '+       address 10.0.0.1/30;',
      ].join('\n'),
    );
  });
});

describe('redactText: EOS running-config (dialects/eos.ts)', () => {
  const config = [
    'username admin privilege 15 role network-admin secret sha512 $6$abcdefgh$ijklmnopqrst',
    'username bob secret 0 plainpass1',
    'enable password sha512 $6$xyzxyzxyz$abcdef',
    'snmp-server community public1 ro',
    'snmp-server user u1 g1 v3 auth sha AUTHPASS1 priv aes PRIVPASS1',
    'router bgp 65000',
    '   neighbor 10.0.0.1 password 7 XYZabc==',
    '   neighbor PEERS password 0 bgpsecret1',
    'interface Ethernet1',
    '   ip ospf authentication-key 7 OSPFKEY1',
    '   ip ospf message-digest-key 1 md5 7 MDKEY99',
    '   isis authentication key 7 ISISKEY1',
    '   vrrp 1 peer authentication text VRRPPASS',
    'tacacs-server host 1.2.3.4 key 7 TACKEY1',
    'radius-server key 7 RADKEY1',
    'ntp authentication-key 1 md5 7 NTPKEY1',
    'router isis core',
    '   authentication key 0 ISISAREA1',
  ].join('\n');
  const secrets = ['ijklmnopqrst', 'plainpass1', 'abcdef', 'public1', 'AUTHPASS1', 'PRIVPASS1', 'XYZabc==', 'bgpsecret1', 'OSPFKEY1', 'MDKEY99', 'ISISKEY1', 'VRRPPASS', 'TACKEY1', 'RADKEY1', 'NTPKEY1', 'ISISAREA1'];

  it('hides every secret value and keeps the statements readable', () => {
    const out = redactText(config);
    for (const secret of secrets) expect(out, secret).not.toContain(secret);
    expect(out).toContain('   isis authentication key 7 <redacted>');
    expect(out).toContain('   vrrp 1 peer authentication text <redacted>');
    expect(out).toContain('snmp-server user u1 g1 v3 auth sha <redacted> priv aes <redacted>');
    expect(out).toContain('router isis core\n   authentication key 0 <redacted>');
  });

  it('hides them in a session diff too, keeping the markers', () => {
    const diff = `--- system:/running-config\n+++ session:/clab-bot-1-leaf1-abc123-session-config\n@@ -1,3 +1,3 @@\n interface Ethernet1\n-   isis authentication key 7 OLDKEY1\n+   isis authentication key 7 NEWKEY1\n`;
    const out = redactText(diff);
    expect(out).toContain('-   isis authentication key 7 <redacted>');
    expect(out).toContain('+   isis authentication key 7 <redacted>');
    expect(out).toContain('+++ session:/clab-bot-1-leaf1-abc123-session-config');
  });
});

describe('redactText: private keys', () => {
  it('replaces the body of a PEM private key and keeps its armour', () => {
    const text = ['key:', '-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'AAAAAAABAAAAMwAAAAtzc2gtZW', '-----END OPENSSH PRIVATE KEY-----', 'done'].join('\n');
    expect(redactText(text)).toBe(['key:', '-----BEGIN OPENSSH PRIVATE KEY-----', REDACTED, '-----END OPENSSH PRIVATE KEY-----', 'done'].join('\n'));
  });

  it('redacts a key cut off before its END line to the end of the text', () => {
    const text = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn', '(output truncated)'].join('\n');
    expect(redactText(text)).toBe(`-----BEGIN RSA PRIVATE KEY-----\n${REDACTED}\n`);
  });
});

describe('known secrets', () => {
  it('removes a registered value wherever it appears, also URL-encoded and JSON-escaped', () => {
    expect(registerSecret('S3cr3t!pw "x"')).toBe(true);
    expect(redactText('login with S3cr3t!pw "x" failed')).toBe('login with <redacted> failed');
    expect(redactText(`url ${encodeURIComponent('S3cr3t!pw "x"')}`)).toBe('url <redacted>');
    expect(redactText(JSON.stringify({ note: 'pw S3cr3t!pw "x"' }))).toBe('{"note":"pw <redacted>"}');
  });

  it('removes a registered value after Slack escaping', () => {
    registerSecret('p&ss<w>rd');
    expect(redactText('said p&amp;ss&lt;w&gt;rd')).toBe('said <redacted>');
  });

  it('removes the longest of overlapping secrets whole', () => {
    registerSecret('abcdef');
    registerSecret('abcdefghij');
    expect(redactKnownSecrets('x abcdefghij y abcdef z')).toBe('x <redacted> y <redacted> z');
  });

  it('does not register values too short to tell from ordinary words', () => {
    expect(registerSecret('admin')).toBe(false);
    expect(registerSecret('')).toBe(false);
    expect(registerSecret(undefined)).toBe(false);
    expect(redactText('role network-admin')).toBe('role network-admin');
  });

  it('takes extra secrets per call without registering them', () => {
    expect(redactText('pw is Per-Call-1', { secrets: ['Per-Call-1'] })).toBe('pw is <redacted>');
    expect(redactText('pw is Per-Call-1')).toBe('pw is Per-Call-1');
  });

  it('forgets registered secrets on clear', () => {
    registerSecret('Forget-Me-1');
    clearRegisteredSecrets();
    expect(redactText('Forget-Me-1')).toBe('Forget-Me-1');
  });
});

describe('redactObject', () => {
  it('walks objects and arrays, hides values under secret-named keys and redacts strings', () => {
    registerSecret('device-pw-123');
    const input = {
      node: 'r1',
      credentials: { username: 'admin', password: 'admin@123' },
      botToken: 'xoxb-123456789012-abcdefghijkl',
      headers: { Authorization: 'Bearer abcdefghijklmnop', accept: 'json' },
      output: ['line with device-pw-123', 'set snmp community public'],
      retries: 2,
      apiKey: 12345678,
      passwordSet: true,
      empty: { secret: '' },
      tokens: ['t-one-1', 't-two-2'],
    };
    const copy = structuredClone(input);
    expect(redactObject(input)).toEqual({
      node: 'r1',
      credentials: { username: 'admin', password: REDACTED },
      botToken: REDACTED,
      headers: { Authorization: REDACTED, accept: 'json' },
      output: ['line with <redacted>', 'set snmp community <redacted>'],
      retries: 2,
      apiKey: REDACTED,
      passwordSet: true,
      empty: { secret: '' },
      tokens: [REDACTED, REDACTED],
    });
    expect(input).toEqual(copy);
  });

  it('turns errors into plain records, redacting message, stack, fields and cause', () => {
    const cause = new Error('connect postgres://u:pw-in-url@db/x failed');
    const err = Object.assign(new Error('auth failed, password: Hunter22', { cause }), { code: 'auth', token: 'abc' });
    const out = redactObject({ err }) as unknown as { err: Record<string, unknown> };
    expect(out.err['type']).toBe('Error');
    expect(out.err['message']).toBe('auth failed, password: <redacted>');
    expect(out.err['code']).toBe('auth');
    expect(out.err['token']).toBe(REDACTED);
    expect(String(out.err['stack'])).not.toContain('Hunter22');
    expect((out.err['cause'] as Record<string, unknown>)['message']).toBe('connect postgres://u:<redacted>@db/x failed');
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(redactObject(a)).toEqual({ name: 'a', self: '[Circular]' });
    let deep: Record<string, unknown> = { password: 'x1' };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(redactObject(deep))).toContain('[MaxDepth]');
  });

  it('keeps primitives, dates and maps usable', () => {
    expect(redactObject(5)).toBe(5);
    expect(redactObject(null)).toBe(null);
    expect(redactObject('secret "abc"')).toBe('secret "<redacted>"');
    const d = new Date(0);
    expect(redactObject({ d })).toEqual({ d });
    expect(redactObject(new Map([['token', 'abc'], ['n', 'ok']]))).toEqual(new Map([['token', REDACTED], ['n', 'ok']]));
  });
});

// How long redaction takes is measured by `npm run bench -- --only redact`; here, what it does to
// large and pathological inputs. The timeout only catches a rule that backtracks without end.
describe('large and pathological inputs', () => {
  it('redacts a large configuration and leaves pathological lines intact', () => {
    const block = SECRET_LINES.map(([l]) => l).concat(CLEAN_LINES).join('\n');
    const big = Array.from({ length: 200 }, () => block).join('\n');
    const out = redactText(big);
    expect(out).not.toContain('Juniper123');
    expect(out.split('\n')).toHaveLength(big.split('\n').length);
    expect(redactText('user '.repeat(40_000) + 'password x')).toMatch(/^(user ){40000}password /);
    expect(redactText('"'.repeat(100_000))).toBe('"'.repeat(100_000));
    const headers = '-----BEGIN PRIVATE KEY-----\n'.repeat(20_000);
    expect(redactText(headers).length).toBeGreaterThan(0);
    expect(redactText('x://a:'.repeat(40_000)).length).toBeGreaterThan(0);
  }, 60_000);
});
