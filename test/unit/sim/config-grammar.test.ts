import { describe, expect, it } from 'vitest';
import { COMMON, OPAQUE_HIERARCHIES, ROOT, type Grammar, type Statement } from '../../../src/sim/junos/config-grammar.js';
import { KEYED, MULTI_KEYED, TOP_LEVEL } from '../../../src/sim/junos/config-schema.js';
import { ConfigSyntaxError, applySetCommands, emptyConfig, parseConfigText, renderConfigText } from '../../../src/sim/junos/config-tree.js';
import { configFromXml } from '../../../src/sim/junos/config-xml.js';
import { validateConfig } from '../../../src/sim/junos/config-validate.js';
import { parseXml } from '../../../src/sim/junos/xml.js';

function issuesOf(fn: () => unknown): ConfigSyntaxError['issues'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigSyntaxError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigSyntaxError');
}

/** Every keyed statement word in the grammar, for the consistency check below. */
function keyedWords(): Set<string> {
  const out = new Set<string>();
  const seen = new Set<Grammar>();
  const walk = (g: Grammar): void => {
    if (seen.has(g)) return;
    seen.add(g);
    for (const [w, st] of Object.entries(g)) visit(w, st);
  };
  const visit = (w: string, st: Statement): void => {
    if (st.kind === 'keyed') {
      out.add(w);
      walk(st.children);
    } else if (st.kind === 'container') walk(st.children);
    else if (st.kind === 'named') {
      walk(st.entry);
      if (st.also !== undefined) walk(st.also);
    } else if (st.kind === 'value' && st.block !== undefined) walk(st.block);
  };
  walk(ROOT);
  return out;
}

describe('Junos grammar', () => {
  it('knows every top-level hierarchy the parser accepts, modelled or listed as unchecked', () => {
    for (const word of TOP_LEVEL) expect(Object.hasOwn(ROOT, word) || Object.hasOwn(COMMON, word), word).toBe(true);
    for (const word of OPAQUE_HIERARCHIES) expect(ROOT[word]?.kind, word).toBe('opaque');
  });

  it('splits every keyed statement the same way in text and set form (the word is keyed for the parser too)', () => {
    // `ntp source-address A routing-instance R` is split by its leaf-list rule; from-zone by MULTI_KEYED.
    const known = new Set([...KEYED, ...MULTI_KEYED.keys(), 'source-address']);
    expect([...keyedWords()].filter((w) => !known.has(w))).toEqual([]);
  });

  it('refuses unknown words at every level it models, naming the word and its hierarchy', () => {
    const cases: Array<[string, string, string]> = [
      ['system { services { ssh { bogus-a; } } }', 'bogus-a', 'system services ssh'],
      ['interfaces { ge-0/0/0 { unit 0 { family inet { address 10.0.0.1/24 { bogus-b; } } } } }', 'bogus-b', 'interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/24'],
      ['protocols { bgp { group g { neighbor 10.0.0.2 { bogus-c 1; } } } }', 'bogus-c', 'protocols bgp group g neighbor 10.0.0.2'],
      ['protocols { isis { interface ge-0/0/0.0 { level 2 { bogus-d; } } } }', 'bogus-d', 'protocols isis interface ge-0/0/0.0 level 2'],
      ['protocols { lldp { interface all { bogus-e; } } }', 'bogus-e', 'protocols lldp interface all'],
      ['protocols { bogus-f; }', 'bogus-f', 'protocols'],
      ['routing-options { static { route 0.0.0.0/0 { bogus-g; } } }', 'bogus-g', 'routing-options static route 0.0.0.0/0'],
      ['policy-options { policy-statement p { term t { then { bogus-h; } } } }', 'bogus-h', 'policy-options policy-statement p term t then'],
      ['firewall { family inet { filter f { term t { from { bogus-i 1; } } } } }', 'bogus-i', 'firewall family inet filter f term t from'],
      ['snmp { community public { bogus-j; } }', 'bogus-j', 'snmp community public'],
      ['security { zones { security-zone trust { interfaces { ge-0/0/0.0 { bogus-k; } } } } }', 'bogus-k', 'security zones security-zone trust interfaces ge-0/0/0.0'],
      ['routing-instances { vrf1 { protocols { ospf { bogus-l; } } } }', 'bogus-l', 'routing-instances vrf1 protocols ospf'],
    ];
    for (const [text, bad, path] of cases) {
      expect(issuesOf(() => parseConfigText(text)), text).toEqual([{ severity: 'error', message: 'syntax error', badElement: bad, path: path.split(' ') }]);
    }
  });

  it('refuses a missing value and a value where none belongs, and checks words from a fixed set', () => {
    expect(issuesOf(() => parseConfigText('protocols { ospf { area 0.0.0.0 { interface ge-0/0/0.0 { metric; } } } }'))[0]).toMatchObject({
      message: 'syntax error, expecting <data>',
      badElement: 'metric',
    });
    expect(issuesOf(() => applySetCommands(emptyConfig(), 'set routing-options router-id'))[0]).toMatchObject({ message: 'missing argument.', badElement: 'router-id', line: 1 });
    expect(issuesOf(() => parseConfigText('interfaces { ge-0/0/0 { disable now; } }'))[0]).toMatchObject({ message: 'syntax error', badElement: 'now' });
    expect(issuesOf(() => parseConfigText('system { services { ssh { root-login maybe; } } }'))[0]).toMatchObject({ badElement: 'maybe' });
  });

  it('refuses the same mistakes in XML, and accepts what a real device holds', () => {
    const xml = configFromXml(parseXml('<configuration><snmp><community><name>c</name><authorisation>read-only</authorisation></community></snmp></configuration>'));
    expect(validateConfig(xml, 'xml')).toEqual([{ severity: 'error', message: 'syntax error', badElement: 'authorisation', path: ['snmp', 'community', 'c'] }]);
    const good = configFromXml(parseXml('<configuration><snmp><community><name>c</name><authorization>read-only</authorization></community></snmp></configuration>'));
    expect(validateConfig(good, 'xml')).toEqual([]);
  });

  it('loads anything below a hierarchy it does not model, and stores `word value;` container shorthands in block form', () => {
    expect(() => parseConfigText('chassis { aggregated-devices { ethernet { device-count 4; } } }\nprotocols { mpls { interface all; label-switched-path x { to 10.0.0.1; } } }')).not.toThrow();
    const tree = parseConfigText('protocols { bgp { group g { multipath multiple-as; } } }');
    expect(renderConfigText(tree)).toContain('multipath {\n                multiple-as;\n            }');
  });
});
