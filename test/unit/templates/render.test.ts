import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import type { LabNode } from '../../../src/inventory/types.js';
import { nodeIndex, varsObject } from '../../../src/templates/context.js';
import { linksOf } from '../../../src/templates/lab-files.js';
import { renderForNodes, TemplateError } from '../../../src/templates/index.js';
import { removeTempDirs, stage } from '../inventory/helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../inventory/helpers.js';

let nodes: LabNode[];

beforeAll(async () => {
  // Kept beside the containerlab fixtures, not among them (inventory tests scan that folder).
  const dir = await stage('../templates/ring');
  const inventory = await loadInventory([dir], { env: {} });
  nodes = [...inventory.labs[0]!.nodes].sort((a, b) => a.name.localeCompare(b.name));
});
afterAll(removeTempDirs);

const node = (name: string) => nodes.find((n) => n.name === name)!;
const render = (text: string, targets: readonly LabNode[] = nodes, vars: Record<string, unknown> = {}) =>
  renderForNodes({ name: 'ospf.j2', text }, targets, vars);

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

describe('rendering per node', () => {
  const OSPF = [
    'system { host-name {{ node.name }}; }',
    '/* {{ node.kind }} {{ node.vendor }} in {{ lab.name }}, role {{ node.labels.role }}, site {{ node.labels.site }} */',
    'interfaces {',
    '    lo0 { unit 0 { family inet { address 10.255.0.{{ node.index }}/32; } } }',
    '}',
    'protocols { ospf { area {{ vars.area }} {',
    '{% for l in node.links %}    interface {{ l.interface }}.0; /* to {{ l.peer }} {{ l.peer_interface }}{% if l.ipv4 %} {{ l.ipv4 }}{% endif %} */',
    '{% endfor %}} } }',
    'system { ntp { server {{ node.env.NTP_SERVER }}; } syslog { host {{ node.env.SYSLOG_HOST }}; } }',
    'snmp { location "{{ node.mgmt_ipv4 }} {{ node.mgmt_ipv6 }}"; }',
  ].join('\n');

  it("gives every node its own name, addresses, labels, env and links from containerlab's files", () => {
    const out = render(OSPF, nodes, varsObject([{ key: 'area', value: '0.0.0.0' }]));
    expect(out.map((r) => r.node.name)).toEqual(['r1', 'r12', 'r2']);
    const r1 = out[0]!.content;
    expect(r1).toContain('host-name r1;');
    expect(r1).toContain('/* juniper_vjunosrouter juniper in ring, role core, site lab-b */');
    expect(r1).toContain('address 10.255.0.1/32;');
    expect(r1).toContain('area 0.0.0.0 {');
    expect(r1).toContain('interface eth1.0; /* to r2 eth1 */');
    expect(r1).toContain('interface eth2.0; /* to r12 eth2 198.51.100.3/31 */');
    expect(r1).toContain('server 192.0.2.123; } syslog { host 192.0.2.50; }');
    expect(r1).toContain('location "172.31.40.11 3fff:172:31:40::11"');
    const r12 = out[1]!.content;
    expect(r12).toContain('host-name r12;');
    expect(r12).toContain('address 10.255.0.12/32;');
    expect(r12).toContain('role edge');
    expect(r12).toContain('interface eth1.0; /* to r2 eth2 */');
    expect(r12).toContain('interface eth2.0; /* to r1 eth2 198.51.100.2/31 */');
    // r2's own env overrides the kind's.
    expect(out[2]!.content).toContain('host 192.0.2.51;');
    expect(out[2]!.content).toContain('interface eth1.0; /* to r1 eth1 */\n    interface eth2.0; /* to r12 eth1 */');
    for (const r of out) expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(out.map((r) => r.sha256)).size).toBe(3);
  });

  it('reads links in the older shape too (a/z at the top of each link)', () => {
    const links = linksOf(readFileSync(join(FIXTURES, 'docs-shape/topology-data.json'), 'utf8'));
    expect(links.get('c1')).toEqual([{ interface: 'e1-1', peer: 'c2', peer_interface: 'e1-1', ipv4: null, ipv6: null }]);
    expect(links.get('c2')).toEqual([{ interface: 'e1-1', peer: 'c1', peer_interface: 'e1-1', ipv4: null, ipv6: null }]);
  });

  it('numbers nodes by the digits in their names', () => {
    expect([nodeIndex('r12'), nodeIndex('spine-01'), nodeIndex('leaf2a'), nodeIndex('srl')]).toEqual([12, 1, 2, null]);
  });

  it('reads --var pairs as strings, a dotted key nesting', () => {
    const vars = varsObject([
      { key: 'asn', value: '65001' },
      { key: 'bgp.group', value: 'core' },
      { key: 'bgp.peer_as', value: '65002' },
    ]);
    expect(vars).toEqual({ asn: '65001', bgp: { group: 'core', peer_as: '65002' } });
    expect(render('{{ vars.bgp.group }} {{ vars.asn }}', [node('r1')], vars)[0]!.content).toBe('core 65001');
    expect(() => varsObject([{ key: 'a', value: '1' }, { key: 'a.b', value: '2' }])).toThrow(/a is already a value/);
  });

  it('keeps one node\'s {% set %} from the next node', () => {
    expect(render('{% set x = node.name %}{{ x }}', [node('r1'), node('r2')]).map((r) => r.content)).toEqual(['r1', 'r2']);
    const err = failure(() => render('{% if node.name == "r1" %}{% set x = "one" %}{% endif %}{{ x }}', [node('r1'), node('r2')]));
    expect(err.message).toBe('ospf.j2, line 1 for ring/r2: `x` is undefined');
  });
});

describe('strict undefined', () => {
  it('names the variable, the template line and the node', () => {
    const err = failure(() => render('interfaces {\n  lo0 {\n    address {{ node.loopback }};\n  }\n}', [node('r2')]));
    expect(err.code).toBe('template_undefined');
    expect(err.message).toBe('ospf.j2, line 3 for ring/r2: `node.loopback` is undefined');
    expect(err.hint).toContain('--var NAME=VALUE');
  });

  it('names an undefined --var, a missing label and an unknown top-level name', () => {
    expect(failure(() => render('a\n{{ vars.asn }}', [node('r1')])).message).toBe('ospf.j2, line 2 for ring/r1: `vars.asn` is undefined');
    expect(failure(() => render('{% if node.labels.pod == "a" %}x{% endif %}', [node('r1')])).message).toBe(
      'ospf.j2, line 1 for ring/r1: `node.labels.pod` is undefined',
    );
    expect(failure(() => render('x\ny\n{{ hostname }}', [node('r12')])).message).toBe('ospf.j2, line 3 for ring/r12: `hostname` is undefined');
  });

  it('fails on the first node that cannot render, naming it', () => {
    const err = failure(() => render('{{ vars.by_node[node.name] }}', nodes, { by_node: { r1: 'a', r12: 'b' } }));
    expect(err.message).toBe('ospf.j2, line 1 for ring/r2: `vars.by_node.r2` is undefined');
  });

  it('lets a template test for an optional name with `in`', () => {
    const out = render('{% if "pod" in node.labels %}{{ node.labels.pod }}{% else %}no pod{% endif %}', [node('r1')]);
    expect(out[0]!.content).toBe('no pod');
  });

  it('reports a syntax error with its line, before any node', () => {
    const err = failure(() => render('a\n{{ node.name + }}'));
    expect(err.code).toBe('template_syntax');
    expect(err.message).toBe('ospf.j2, line 2: unexpected token: }}');
    expect(err.where.node).toBeUndefined();
    // nunjucks gives no line for a block left open; the message still says what is missing.
    expect(failure(() => render('a\n{% if node.name %}\nb')).message).toBe('ospf.j2: parseIf: expected elif, else, or endif, got end of file');
  });

  it('refuses a template that renders nothing for a node', () => {
    const err = failure(() => render('{% if node.name == "r1" %}x{% endif %}', [node('r1'), node('r2')]));
    expect(err.message).toBe('ospf.j2 for ring/r2: renders to nothing');
  });
});

describe('sandbox', () => {
  const marker = join(FIXTURES, '..', '..', '..', 'template-escape-marker');
  const payloads = [
    // The classic nunjucks escape: a global function's constructor is Function.
    `{{ range.constructor("return process.mainModule.require('fs').writeFileSync('${marker}', 'x')")() }}`,
    `{{ cycler.constructor("return process")().exit(3) }}`,
    `{{ joiner.constructor("return process")().exit(3) }}`,
    // Through a string, a loop variable, a computed key, the prototype.
    `{{ "".constructor.constructor("return process")().exit(3) }}`,
    `{{ node.name["constructor"]["constructor"]("return process")().exit(3) }}`,
    `{{ node["con" ~ "structor"]["con" ~ "structor"]("return process")().exit(3) }}`,
    `{% for l in node.links %}{{ l.interface.constructor.constructor("return process")().exit(3) }}{% endfor %}`,
    `{{ node.__proto__.constructor.constructor("return process")().exit(3) }}`,
    `{{ node.links.map.constructor("return process")().exit(3) }}`,
    `{% set f = "".sub %}{{ f.call.constructor("return process")().exit(3) }}`,
    `{% macro m() %}{% endmacro %}{{ m.constructor("return process")().exit(3) }}`,
  ];

  it.each(payloads)('refuses %s', (payload) => {
    const err = failure(() => render(payload, [node('r1')]));
    expect(err.code).toBe('template_refused');
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['{% include "/etc/passwd" %}', '"/etc/passwd"'],
    ['{% import "secrets.j2" as s %}', '"secrets.j2"'],
    ['{% extends "base.j2" %}', '"base.j2"'],
    ['{% from "macros.j2" import m %}', '"macros.j2"'],
  ])('cannot read another file: %s', (payload, name) => {
    const err = failure(() => render(payload, [node('r1')]));
    expect(err.code).toBe('template_refused');
    expect(err.message).toContain(`templates cannot include, import or extend other files (${name})`);
  });

  it('sees nothing of the bot process: no process, require or credentials', () => {
    for (const name of ['process', 'require', 'global', 'globalThis', 'module']) {
      expect(failure(() => render(`{{ ${name} }}`, [node('r1')])).message).toContain(`\`${name}\` is undefined`);
    }
    expect(failure(() => render('{{ node.credentials }}', [node('r1')])).message).toContain('`node.credentials` is undefined');
  });

  it('stops a runaway loop and a huge range', () => {
    const nested = '{% for i in range(0, 1000) %}{% for j in range(0, 1000) %}{% endfor %}{% endfor %}';
    expect(failure(() => render(nested, [node('r1')])).message).toContain('the template does too much work');
    expect(failure(() => render('{% for i in range(0, 100000000) %}{{ i }}{% endfor %}', [node('r1')])).message).toContain('range() makes at most 100000 numbers');
  });

  it('keeps the filters nunjucks ships', () => {
    const out = render('{{ node.name | upper }} {{ node.links | join(",", "peer") }} {{ node.links | length }} {{ node.kind | replace("juniper_", "") }}', [node('r12')]);
    expect(out[0]!.content).toBe('R12 r2,r1 2 vjunosrouter');
  });
});
