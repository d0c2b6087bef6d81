import { describe, expect, it } from 'vitest';
import {
  ConfigSyntaxError,
  applySetCommands,
  configEquals,
  diffConfig,
  findPath,
  mergeConfig,
  parseConfigText,
  rebaseConfig,
  renderConfigText,
  renderSetCommands,
} from '../../../src/sim/junos/config-tree.js';
import { configFromJson, configFromXml, configToJson, configToXml } from '../../../src/sim/junos/config-xml.js';
import { parseXml, serializeXml, x } from '../../../src/sim/junos/xml.js';

/** A router configuration in `show configuration` form, with the quirks real output has. */
const BASE = `## Last commit: 2024-05-01 10:00:00 UTC by admin
version 23.2R1.14;
system {
    host-name r1;
    login {
        user admin {
            uid 2000;
            class super-user;
            authentication {
                encrypted-password "$6$abc$def"; ## SECRET-DATA
            }
        }
    }
    services {
        ssh;
        netconf {
            ssh;
        }
    }
    syslog {
        user * {
            any emergency;
        }
        file messages {
            any notice;
        }
    }
}
interfaces {
    ge-0/0/0 {
        description "to r2 (uplink)";
        unit 0 {
            family inet {
                address 10.1.1.0/31;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                address 10.255.0.1/32;
            }
        }
    }
}
routing-options {
    router-id 10.255.0.1;
    static {
        route 0.0.0.0/0 next-hop 10.1.1.1;
    }
}
protocols {
    ospf {
        export [ direct static ];
        area 0.0.0.0 {
            interface ge-0/0/0.0 {
                interface-type p2p;
            }
            interface lo0.0 {
                passive;
            }
        }
    }
}
policy-options {
    policy-statement direct {
        term 1 {
            from protocol direct;
            then accept;
        }
    }
}
`;

function issuesOf(fn: () => unknown): ConfigSyntaxError['issues'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigSyntaxError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigSyntaxError');
}

describe('curly-brace text', () => {
  it('parses show-configuration output and renders it back in the same form', () => {
    const tree = parseConfigText(BASE);
    const text = renderConfigText(tree);
    expect(text).toContain('    host-name r1;\n');
    expect(text).toContain('        description "to r2 (uplink)";\n');
    expect(text).toContain('                encrypted-password "$6$abc$def"; ## SECRET-DATA\n');
    expect(text).toContain('        export [ direct static ];\n');
    expect(text).not.toContain('Last commit');
    // The one-line `route … next-hop …;` form is stored as the block form.
    expect(text).toContain('        route 0.0.0.0/0 {\n            next-hop 10.1.1.1;\n        }\n');
    const again = parseConfigText(text);
    expect(renderConfigText(again)).toBe(text);
    expect(configEquals(tree, again)).toBe(true);
  });

  it('keeps top-level hierarchies in Junos display order', () => {
    const text = renderConfigText(parseConfigText('protocols { lldp; }\nsystem { host-name a; }\ninterfaces { lo0; }\n'));
    expect(text.split('\n').filter((l) => /^\S.*\{$/.test(l))).toEqual(['system {', 'interfaces {', 'protocols {']);
  });

  it('rejects an unknown top-level statement like Junos: syntax error, then error recovery at the closing brace', () => {
    const issues = issuesOf(() => parseConfigText('system1 {\n    host-name x;\n}\n'));
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'error', message: 'syntax error', badElement: 'system1' }),
      expect.objectContaining({ severity: 'error', message: 'error recovery ignores input until this point', badElement: '}' }),
    ]);
  });

  it('reports a missing semicolon with the hierarchy where it happened', () => {
    const issues = issuesOf(() => parseConfigText('system {\n    host-name x\n}\n'));
    expect(issues[0]).toMatchObject({ severity: 'error', badElement: '}', path: ['system'], line: 3 });
  });

  it('reports an unclosed block', () => {
    const issues = issuesOf(() => parseConfigText('system {\n    host-name x;\n'));
    expect(issues[0]?.message).toMatch(/expecting '}'/);
  });

  it('reads inactive: and normalises `area 0` and unit-less OSPF interfaces', () => {
    const tree = parseConfigText('protocols { ospf { area 0 { inactive: interface ge-0/0/1; } } }');
    expect(renderConfigText(tree)).toBe('protocols {\n    ospf {\n        area 0.0.0.0 {\n            inactive: interface ge-0/0/1.0;\n        }\n    }\n}\n');
  });
});

describe('set and delete commands', () => {
  const base = parseConfigText(BASE);

  it('creates hierarchy, replaces leaf values and appends to leaf lists', () => {
    const { tree, warnings } = applySetCommands(
      base,
      [
        'set system host-name r1-new',
        'set interfaces ge-0/0/1 unit 0 family inet address 10.1.2.0/31',
        'set protocols ospf area 0 interface ge-0/0/1',
        'set protocols ospf export bgp',
        'set system services ssh root-login allow',
      ].join('\n'),
    );
    expect(warnings).toEqual([]);
    expect(findPath(tree, ['system', 'host-name'])?.values).toEqual(['r1-new']);
    expect(findPath(tree, ['interfaces', 'ge-0/0/1', 'unit', '0', 'family', 'inet', 'address', '10.1.2.0/31'])).toBeDefined();
    expect(findPath(tree, ['protocols', 'ospf', 'area', '0.0.0.0', 'interface', 'ge-0/0/1.0'])).toBeDefined();
    expect(findPath(tree, ['protocols', 'ospf', 'export'])?.values).toEqual(['direct', 'static', 'bgp']);
    expect(renderConfigText(tree)).toContain('        ssh {\n            root-login allow;\n        }\n');
    // The input tree is never modified.
    expect(findPath(base, ['system', 'host-name'])?.values).toEqual(['r1']);
  });

  it('deletes statements, single leaf-list values, and the plain containers they leave empty', () => {
    const { tree } = applySetCommands(
      base,
      ['delete routing-options static', 'delete protocols ospf export static', 'delete interfaces ge-0/0/0 description'].join('\n'),
    );
    expect(findPath(tree, ['routing-options', 'static'])).toBeUndefined();
    expect(findPath(tree, ['routing-options', 'router-id'])).toBeDefined();
    expect(findPath(tree, ['protocols', 'ospf', 'export'])?.values).toEqual(['direct']);
    expect(findPath(tree, ['interfaces', 'ge-0/0/0', 'description'])).toBeUndefined();
    const emptied = applySetCommands(base, 'delete routing-options router-id\ndelete routing-options static').tree;
    expect(findPath(emptied, ['routing-options'])).toBeUndefined();
  });

  it('warns `statement not found` for deleting what is absent, as Junos does', () => {
    const { tree, warnings } = applySetCommands(base, 'delete protocols bgp group ext');
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', message: 'statement not found' })]);
    expect(configEquals(tree, base)).toBe(true);
  });

  it('deactivates and activates statements', () => {
    const off = applySetCommands(base, 'deactivate protocols ospf area 0.0.0.0 interface ge-0/0/0.0').tree;
    expect(renderConfigText(off)).toContain('            inactive: interface ge-0/0/0.0 {\n');
    expect(renderSetCommands(off)).toContain('deactivate protocols ospf area 0.0.0.0 interface ge-0/0/0.0\n');
    const on = applySetCommands(off, 'activate protocols ospf area 0.0.0.0 interface ge-0/0/0.0').tree;
    expect(configEquals(on, base)).toBe(true);
  });

  it('follows edit / up / top', () => {
    const { tree } = applySetCommands(base, ['edit protocols ospf area 0.0.0.0', 'set interface ge-0/0/5.0 metric 20', 'up', 'set reference-bandwidth 100g', 'top', 'set system domain-name lab.example'].join('\n'));
    expect(findPath(tree, ['protocols', 'ospf', 'area', '0.0.0.0', 'interface', 'ge-0/0/5.0', 'metric'])?.values).toEqual(['20']);
    expect(findPath(tree, ['protocols', 'ospf', 'reference-bandwidth'])?.values).toEqual(['100g']);
    expect(findPath(tree, ['system', 'domain-name'])?.values).toEqual(['lab.example']);
  });

  it('rejects the whole batch when one line is invalid, naming the bad element', () => {
    const issues = issuesOf(() => applySetCommands(base, 'set system host-name ok\nset systemx foo bar\nfrobnicate protocols'));
    expect(issues.map((i) => [i.badElement, i.line])).toEqual([
      ['systemx', 2],
      ['frobnicate', 3],
    ]);
  });

  it('renders the tree back as set commands that rebuild it', () => {
    const sets = renderSetCommands(base);
    expect(sets).toContain('set interfaces ge-0/0/0 description "to r2 (uplink)"\n');
    expect(sets).toContain('set protocols ospf export direct\nset protocols ospf export static\n');
    expect(sets).toContain('set system syslog user * any emergency\n');
    const rebuilt = applySetCommands(parseConfigText(''), sets).tree;
    expect(diffConfig(base, rebuilt)).toBe('');
  });
});

describe('load merge / replace / override', () => {
  const base = parseConfigText(BASE);

  it('merge adds statements and replaces leaf values, keeping everything else', () => {
    const merged = mergeConfig(base, parseConfigText('system { host-name r9; ntp { server 10.0.0.1; } }'), 'merge');
    expect(findPath(merged, ['system', 'host-name'])?.values).toEqual(['r9']);
    expect(findPath(merged, ['system', 'ntp', 'server', '10.0.0.1'])).toBeDefined();
    expect(findPath(merged, ['system', 'services', 'ssh'])).toBeDefined();
    expect(findPath(merged, ['protocols', 'ospf'])).toBeDefined();
  });

  it('replace honours replace: tags and merge ignores them', () => {
    const patch = parseConfigText('protocols { replace: ospf { area 0.0.0.1 { interface ge-0/0/3.0; } } }');
    const replaced = mergeConfig(base, patch, 'replace');
    expect(findPath(replaced, ['protocols', 'ospf', 'area', '0.0.0.0'])).toBeUndefined();
    expect(findPath(replaced, ['protocols', 'ospf', 'area', '0.0.0.1'])).toBeDefined();
    expect(findPath(replaced, ['protocols', 'ospf', 'export'])).toBeUndefined();
    const merged = mergeConfig(base, patch, 'merge');
    expect(findPath(merged, ['protocols', 'ospf', 'area', '0.0.0.0'])).toBeDefined();
    expect(findPath(merged, ['protocols', 'ospf', 'area', '0.0.0.1'])).toBeDefined();
  });

  it('delete: tags remove statements', () => {
    const out = mergeConfig(base, parseConfigText('routing-options { delete: static; }'), 'merge');
    expect(findPath(out, ['routing-options', 'static'])).toBeUndefined();
    expect(findPath(out, ['routing-options', 'router-id'])).toBeDefined();
  });

  it('never modifies its inputs: the base, and a patch loaded twice, stay as they were', () => {
    const before = renderConfigText(base);
    const patch = parseConfigText('system { host-name r9; } protocols { ospf { export extra; area 0.0.0.0 { interface ge-0/0/0.0 { metric 7; } } } }');
    const patchText = renderConfigText(patch);
    const once = mergeConfig(base, patch, 'merge');
    const twice = mergeConfig(base, patch, 'merge');
    expect(renderConfigText(base)).toBe(before);
    expect(renderConfigText(patch)).toBe(patchText);
    expect(diffConfig(once, twice)).toBe('');
    expect(findPath(once, ['protocols', 'ospf', 'export'])?.values).toEqual(['direct', 'static', 'extra']);
    expect(findPath(base, ['protocols', 'ospf', 'export'])?.values).toEqual(['direct', 'static']);
    // untouched hierarchies are shared, not copied; the diff names only what changed
    expect(findPath(once, ['interfaces'])).toBe(findPath(base, ['interfaces']));
    expect(diffConfig(base, once)).not.toContain('interfaces');
  });

  it('override makes the configuration exactly the loaded one', () => {
    const out = mergeConfig(base, parseConfigText('system { host-name only; }'), 'override');
    expect(renderConfigText(out)).toBe('system {\n    host-name only;\n}\n');
  });
});

describe('show | compare', () => {
  const base = parseConfigText(BASE);

  it('is empty when nothing changed', () => {
    expect(diffConfig(base, parseConfigText(renderConfigText(base)))).toBe('');
  });

  it('prints Junos [edit …] sections with -/+ lines', () => {
    const { tree } = applySetCommands(
      base,
      [
        'set system host-name r2',
        'set interfaces ge-0/0/0 unit 0 family inet address 10.1.1.2/31',
        'delete interfaces ge-0/0/0 unit 0 family inet address 10.1.1.0/31',
        'set snmp community public authorization read-only',
        'delete system syslog file messages',
      ].join('\n'),
    );
    expect(diffConfig(base, tree)).toBe(
      [
        '[edit system]',
        '-  host-name r1;',
        '+  host-name r2;',
        '[edit system syslog]',
        '-  file messages {',
        '-      any notice;',
        '-  }',
        '[edit interfaces ge-0/0/0 unit 0 family inet]',
        '+  address 10.1.1.2/31;',
        '-  address 10.1.1.0/31;',
        '[edit]',
        '+  snmp {',
        '+      community public {',
        '+          authorization read-only;',
        '+      }',
        '+  }',
        '',
      ].join('\n'),
    );
  });

  it('marks activation changes with !', () => {
    const off = applySetCommands(base, 'deactivate protocols ospf').tree;
    expect(diffConfig(base, off)).toBe('[edit protocols]\n!  inactive: ospf { ... }\n');
  });

  it('shows a parent header again after a nested section', () => {
    const { tree } = applySetCommands(base, 'set interfaces ge-0/0/0 unit 0 description a\nset interfaces lo0 description loop');
    expect(diffConfig(base, tree)).toBe('[edit interfaces ge-0/0/0 unit 0]\n+  description a;\n[edit interfaces lo0]\n+  description loop;\n');
  });
});

describe('private candidate rebase', () => {
  it('replays the private changes on a running configuration that moved meanwhile', () => {
    const base = parseConfigText(BASE);
    const mine = applySetCommands(base, 'set system host-name mine\ndelete routing-options static').tree;
    const current = applySetCommands(base, 'set snmp location lab').tree;
    const result = rebaseConfig(base, mine, current);
    expect(findPath(result, ['system', 'host-name'])?.values).toEqual(['mine']);
    expect(findPath(result, ['routing-options', 'static'])).toBeUndefined();
    expect(findPath(result, ['snmp', 'location'])?.values).toEqual(['lab']);
  });
});

describe('XML and JSON forms', () => {
  const base = parseConfigText(BASE);

  it('maps to Junos XML (names under interfaces, keyed lists with <name>) and back', () => {
    const xml = serializeXml(x('configuration', null, configToXml(base)));
    expect(xml).toContain('<interfaces>\n<interface>\n<name>ge-0/0/0</name>');
    expect(xml).toContain('<area>\n<name>0.0.0.0</name>');
    expect(xml).toContain('<export>direct</export>\n<export>static</export>');
    expect(xml).toContain('<ssh/>');
    const back = configFromXml(parseXml(xml));
    expect(diffConfig(base, back)).toBe('');
  });

  it('honours replace="replace" and delete="delete" in loaded XML', () => {
    const patch = configFromXml(
      parseXml('<configuration><routing-options><static delete="delete"/></routing-options><system><syslog replace="replace"><file><name>x</name><any>any</any></file></syslog></system></configuration>'),
    );
    const out = mergeConfig(base, patch, 'replace');
    expect(findPath(out, ['routing-options', 'static'])).toBeUndefined();
    expect(renderConfigText(out)).toContain('    syslog {\n        file x {\n            any any;\n        }\n    }\n');
  });

  it('maps to Junos JSON and back', () => {
    const json = configToJson(base);
    const system = (json['configuration'] as Record<string, Record<string, unknown>>)['system'] as Record<string, unknown>;
    expect(system['host-name']).toBe('r1');
    expect(diffConfig(base, configFromJson(JSON.stringify(json)))).toBe('');
  });
});

describe('random edit sequences keep every form consistent', () => {
  /** Deterministic PRNG (mulberry32) so a failure reproduces. */
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const templates: ((n: number, m: number) => string)[] = [
    (n) => `set system host-name R${n}`,
    (n) => `set system ntp server 10.0.0.${n}`,
    (n) => `set system name-server 1.1.1.${n}`,
    (n) => `set system login user u${n} class super-user`,
    (n) => `set interfaces ge-0/0/${n} description "link ${n} to core"`,
    (n, m) => `set interfaces ge-0/0/${n} unit ${m} family inet address 10.${n}.${m}.1/24`,
    (n) => `set interfaces ge-0/0/${n} disable`,
    (n, m) => `set protocols ospf area 0.0.0.${n} interface ge-0/0/${m}.0 metric ${n + m}`,
    (n) => `set protocols ospf area ${n} interface lo0.0 passive`,
    (n) => `set protocols ospf export P${n}`,
    (n, m) => `set policy-options policy-statement P${n} term t${m} from protocol direct`,
    (n, m) => `set policy-options policy-statement P${n} term t${m} then accept`,
    (n, m) => `set routing-options static route 10.${n}.0.0/16 next-hop 10.0.0.${m}`,
    (n) => `set vlans v${n} vlan-id ${n + 1}`,
    (n) => `set snmp community c${n} authorization read-only`,
    (n, m) => `set firewall family inet filter F${n} term t${m} then discard`,
    (n) => `delete interfaces ge-0/0/${n}`,
    (n) => `delete protocols ospf area 0.0.0.${n}`,
    (n) => `delete system ntp server 10.0.0.${n}`,
    (n) => `deactivate interfaces ge-0/0/${n}`,
    (n) => `activate interfaces ge-0/0/${n}`,
  ];

  for (const seed of [1, 7, 42, 1234, 99999]) {
    it(`seed ${seed}`, () => {
      const rand = rng(seed);
      const pick = (k: number): number => Math.floor(rand() * k);
      const lines = Array.from({ length: 120 }, () => (templates[pick(templates.length)] as (n: number, m: number) => string)(pick(6), pick(4)));
      const base = parseConfigText('system { host-name start; }');
      const tree = applySetCommands(base, lines.join('\n')).tree;
      // text round trip
      const text = renderConfigText(tree);
      expect(diffConfig(tree, parseConfigText(text))).toBe('');
      // set round trip
      expect(diffConfig(tree, applySetCommands(parseConfigText(''), renderSetCommands(tree)).tree)).toBe('');
      // XML and JSON round trips
      expect(diffConfig(tree, configFromXml(parseXml(serializeXml(x('configuration', null, configToXml(tree))))))).toBe('');
      expect(diffConfig(tree, configFromJson(JSON.stringify(configToJson(tree))))).toBe('');
      // override with the same text changes nothing; rebase onto the base gives the edited tree back
      expect(diffConfig(tree, mergeConfig(base, parseConfigText(text), 'override'))).toBe('');
      expect(diffConfig(tree, rebaseConfig(base, tree, base))).toBe('');
      // the diff is empty exactly when the trees render the same
      expect(diffConfig(base, tree) === '').toBe(renderConfigText(base) === text);
    });
  }
});
